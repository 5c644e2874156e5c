import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MESSAGE_ID_MAX_LENGTH, Pending, PublishQueue, QueueOptions, Storage } from '../../../../src/flespi/publish-queue';
import { diskFiles, StoreFiles } from '../../../../src/flespi/store/files';
import { recoverStore } from '../../../../src/flespi/store/recovery';
import { listSegments } from '../../../../src/flespi/store/segments';
import { waitUntil } from '../../../support/wait';

const request = (n: number) => ({ topic: `sensors/${n % 3}`, payload: Buffer.from(`{"n":${n}}`), qos: 1 as const, retain: false });

function fill(queue: PublishQueue, from: number, count: number): void {
  for (let n = from; n < from + count; n += 1) queue.accept(request(n), 40, () => undefined);
}

/** What the broker confirming the oldest `count` messages does to the queue. */
function confirmOldest(queue: PublishQueue, count: number): Pending[] {
  const sent: Pending[] = [];
  for (let i = 0; i < count; i += 1) sent.push(queue.next()!);
  queue.progress();
  return sent;
}

const payloads = (messages: Array<{ payload: Buffer | string }>) => messages.map((m) => m.payload.toString());

describe('outbox store: the log on disk', () => {
  let directory: string;
  const open = (options: Partial<QueueOptions> = {}) => new PublishQueue({ directory, syncIntervalMs: 10, ...options });

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('writes what waits in one write and one sync per batch, and reads it back in order with its ids', async () => {
    const queue = open();
    fill(queue, 0, 100);
    const ids: string[] = [];
    for (let sent = queue.next(); sent; sent = queue.next()) {
      queue.inFlight.add(sent); // sent, not yet confirmed
      ids.push(sent.id);
    }
    await queue.flush();
    const stats = queue.logStats!;
    assert.equal(stats.syncs, 2, 'one sync for the new segment in the directory, one for the batch');
    const found = recoverStore(directory);
    assert.deepEqual(
      payloads(found.messages),
      Array.from({ length: 100 }, (_, n) => `{"n":${n}}`),
    );
    assert.deepEqual(
      found.messages.map((m) => m.id),
      ids,
    );
    assert.ok(
      ids.every((id) => id.length <= MESSAGE_ID_MAX_LENGTH),
      'ids fit the room the packet size leaves for them',
    );
    assert.equal(stats.bytesWritten, fs.statSync(path.join(directory, '000000000001.seg')).size);
    await queue.close();
  });

  it('never writes a message the broker confirmed before its batch was due', async () => {
    const queue = open();
    fill(queue, 0, 50);
    confirmOldest(queue, 50);
    await queue.flush();
    assert.deepEqual(queue.logStats, { bytesWritten: 0, syncs: 0 });
    assert.deepEqual(listSegments(directory), []);
  });

  it('after a restart, sends only what was not confirmed, oldest first, then new messages', async () => {
    const first = open();
    fill(first, 0, 10);
    await first.flush();
    confirmOldest(first, 4);
    await first.flush();
    await first.close();

    const second = open();
    assert.equal(second.takeOpenReport()?.recovered, 6);
    assert.equal(second.takeOpenReport(), undefined, 'the report is given once');
    fill(second, 10, 2);
    const order: Pending[] = [];
    for (let p = second.next(); p; p = second.next()) order.push(p);
    assert.deepEqual(
      payloads(order),
      [4, 5, 6, 7, 8, 9, 10, 11].map((n) => `{"n":${n}}`),
    );
    assert.ok(
      order.every((p, i) => i === 0 || p.seq > order[i - 1].seq),
      'sequence numbers keep growing across the restart',
    );
    await second.close();
  });

  it('deletes each segment once every message in it is confirmed, and the last one when all are', async () => {
    const queue = open({ segmentBytes: 300 });
    for (let batch = 0; batch < 5; batch += 1) {
      fill(queue, batch * 10, 10);
      await queue.flush();
    }
    const before = listSegments(directory).length;
    assert.ok(before >= 4, `${before} segments`);
    confirmOldest(queue, 20);
    await queue.flush();
    const after = listSegments(directory).length;
    assert.ok(after < before, `${before} segments before, ${after} after`);
    assert.equal(recoverStore(directory).messages.length, 30);
    confirmOldest(queue, 30);
    await queue.flush();
    assert.deepEqual(listSegments(directory), []);
    await queue.close();
  });

  it('commits on its own within the sync interval', async () => {
    const queue = open({ syncIntervalMs: 20 });
    fill(queue, 0, 3);
    const deadline = Date.now() + 5000;
    while (recoverStore(directory).messages.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(recoverStore(directory).messages.length, 3);
    await queue.close();
  });

  it('deletes the files when the last confirmations arrive while a commit is writing', async () => {
    let release: () => void = () => undefined;
    let syncing = false;
    const slowSync: StoreFiles = {
      ...diskFiles,
      async create(file) {
        const real = await diskFiles.create(file);
        return {
          ...real,
          async datasync() {
            syncing = true;
            await new Promise<void>((resolve) => (release = resolve));
            syncing = false;
            await real.datasync();
          },
        };
      },
    };
    const queue = open({ files: slowSync });
    fill(queue, 0, 10);
    const flushed = queue.flush();
    await waitUntil(() => syncing, 5000, 'the commit to reach its sync');
    confirmOldest(queue, 10);
    release();
    await flushed;
    await waitUntil(() => listSegments(directory).length === 0, 5000, 'the confirmed segment to be deleted');
    await queue.close();
  });

  it('resting closes the file and keeps the store; the next message starts a new segment', async () => {
    let open = 0;
    const counting: StoreFiles = {
      ...diskFiles,
      async create(file) {
        const real = await diskFiles.create(file);
        open += 1;
        return {
          ...real,
          close: async () => {
            open -= 1;
            await real.close();
          },
        };
      },
    };
    const queue = new PublishQueue({ directory, syncIntervalMs: 10, files: counting });
    fill(queue, 0, 10);
    await queue.rest();
    assert.equal(open, 0, 'no file is left open while the queue is parked');
    assert.equal(recoverStore(directory).messages.length, 10);
    fill(queue, 10, 1);
    await queue.flush();
    assert.equal(open, 1);
    assert.deepEqual(listSegments(directory), [1, 2]);
    assert.deepEqual(
      payloads(recoverStore(directory).messages),
      Array.from({ length: 11 }, (_, n) => `{"n":${n}}`),
    );
    await queue.close();
    assert.equal(open, 0);
  });

  for (const code of ['ENOSPC', 'EROFS', 'EACCES']) {
    it(`cuts a failed append back and carries on in memory on ${code}, losing nothing`, async () => {
      const truncated: number[] = [];
      let appends = 0;
      const failing: StoreFiles = {
        ...diskFiles,
        async create(file) {
          if (code === 'EACCES') throw Object.assign(new Error(`${code}: permission denied, open '${file}'`), { code });
          const real = await diskFiles.create(file);
          return {
            ...real,
            async append(data) {
              appends += 1;
              if (appends === 1) return real.append(data);
              await real.append(data.subarray(0, Math.floor(data.length / 2)));
              throw Object.assign(new Error(`${code}: failed`), { code });
            },
            async truncate(length) {
              truncated.push(length);
              await real.truncate(length);
            },
          };
        },
      };
      const queue = open({ files: failing });
      const seen: Storage[] = [];
      queue.on('storage', (storage) => seen.push(storage));
      fill(queue, 0, 5);
      await queue.flush();
      fill(queue, 5, 5);
      await queue.flush();
      fill(queue, 10, 5);
      await queue.flush();

      assert.deepEqual(
        seen.map((s) => s.kind === 'memory-fallback' && s.code),
        [code],
        'one switch to memory, naming the error',
      );
      assert.equal(queue.storage.kind, 'memory-fallback');
      assert.equal(queue.length, 15, 'every message is still queued');
      const onDisk = recoverStore(directory);
      if (code === 'EACCES') {
        assert.equal(onDisk.messages.length, 0);
      } else {
        const firstBatch = fs.statSync(path.join(directory, '000000000001.seg')).size;
        assert.deepEqual(truncated, [firstBatch], 'the file is cut back to the end of the last whole batch');
        assert.equal(onDisk.tornBytes, 0);
        assert.deepEqual(
          payloads(onDisk.messages),
          [0, 1, 2, 3, 4].map((n) => `{"n":${n}}`),
        );
      }
      await queue.discard().deleted;
      assert.equal(fs.existsSync(directory), false, 'deleting the config deletes what the disk still held');
    });
  }

  it('falls back to memory when the store directory cannot be made', () => {
    const blocker = path.join(directory, 'a-file');
    fs.writeFileSync(blocker, '');
    const queue = new PublishQueue({ directory: path.join(blocker, 'store') });
    assert.equal(queue.storage.kind, 'memory-fallback');
    fill(queue, 0, 3);
    assert.equal(queue.length, 3);
  });

  it('discarding deletes the store and hands back what was queued', async () => {
    const queue = open();
    fill(queue, 0, 4);
    await queue.flush();
    const { messages, deleted } = queue.discard();
    await deleted;
    assert.equal(messages.length, 4);
    assert.equal(fs.existsSync(directory), false);
  });
});
