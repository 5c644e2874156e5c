import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { frame } from '../../../../src/flespi/store/framing';
import { encodeConfirmed, encodeMessage, StoredMessage } from '../../../../src/flespi/store/record';
import { recoverStore } from '../../../../src/flespi/store/recovery';
import { segmentPath, storeDirectory } from '../../../../src/flespi/store/segments';

const message = (seq: number): StoredMessage => ({
  seq,
  id: `id${seq}`,
  topic: 't',
  payload: Buffer.from(`reading ${seq}`),
  qos: 1,
  retain: false,
});
const seqs = (messages: StoredMessage[]) => messages.map((m) => m.seq);

describe('outbox store: reading a store back at start', () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-recovery-'));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  const write = (number: number, records: Buffer[]) => fs.writeFileSync(segmentPath(directory, number), Buffer.concat(records.map(frame)));

  it('gives back the unconfirmed messages of every segment in order, after the highest confirmation mark', () => {
    write(1, [1, 2, 3].map((s) => encodeMessage(message(s))).concat(encodeConfirmed(1)));
    write(2, [encodeConfirmed(2), ...[4, 5].map((s) => encodeMessage(message(s)))]);
    const found = recoverStore(directory);
    assert.deepEqual(seqs(found.messages), [3, 4, 5]);
    assert.equal(found.confirmedThrough, 2);
    assert.equal(found.lastSeq, 5);
    assert.deepEqual(
      found.segments.map((s) => [s.number, s.lastSeq]),
      [
        [1, 3],
        [2, 5],
      ],
    );
  });

  it('cuts a torn tail off the file, so the next append follows a whole record', () => {
    write(
      1,
      [1, 2, 3].map((s) => encodeMessage(message(s))),
    );
    const file = segmentPath(directory, 1);
    const whole = fs.statSync(file).size;
    fs.truncateSync(file, whole - 5);
    const found = recoverStore(directory);
    assert.deepEqual(seqs(found.messages), [1, 2]);
    assert.ok(found.tornBytes > 0);
    assert.equal(fs.statSync(file).size, whole - 5 - found.tornBytes);
    assert.equal(recoverStore(directory).tornBytes, 0, 'the second start finds a clean file');
  });

  it('skips and counts a corrupt record in the middle and an unreadable layout', () => {
    write(1, [1, 2, 3].map((s) => encodeMessage(message(s))).concat(Buffer.from([7, 7])));
    const file = segmentPath(directory, 1);
    const data = fs.readFileSync(file);
    data[frame(encodeMessage(message(1))).length + 14] ^= 0xff;
    fs.writeFileSync(file, data);
    const found = recoverStore(directory);
    assert.deepEqual(seqs(found.messages), [1, 3]);
    assert.equal(found.corrupt, 2);
  });

  it('creates a missing directory and ignores files that are not segments', () => {
    const fresh = path.join(directory, 'a', 'b');
    assert.deepEqual(seqs(recoverStore(fresh).messages), []);
    fs.writeFileSync(path.join(fresh, 'notes.txt'), 'x');
    assert.deepEqual(recoverStore(fresh).segments, []);
  });

  it('names a store after its owner id, and no id reaches outside the parent folder', () => {
    assert.equal(storeDirectory('/data/flespi-outbox', 'e5f1a0c0d00000c2'), path.join('/data/flespi-outbox', 'e5f1a0c0d00000c2'));
    for (const id of ['..', '../../etc', 'a/b', '.', 'x\\y']) {
      const made = storeDirectory('/data/flespi-outbox', id);
      assert.equal(path.dirname(made), '/data/flespi-outbox', id);
      assert.doesNotMatch(path.basename(made), /^\.+$|[/\\]/, id);
    }
    assert.notEqual(storeDirectory('/p', 'a.b'), storeDirectory('/p', 'a_b'));
  });
});
