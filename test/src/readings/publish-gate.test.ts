import { strict as assert } from 'assert';
import { PublishGate } from '../../../src/readings/publish-gate';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';

describe('readings: publish on change', () => {
  it('sends the first reading, then only moves of at least the deadband from the last one sent', () => {
    const gate = new PublishGate({ deadband: 0.5, heartbeat: 0 });
    const sent = [20, 20.25, 20.4375, 20.5, 20.0625, 20.125, 19.5].map((c, i) => gate.admit(A, c, i));
    assert.deepEqual(sent, [true, false, false, true, false, false, true]);
  });

  it('sends an unchanged reading once the heartbeat has passed since the last one sent', () => {
    const gate = new PublishGate({ deadband: 1, heartbeat: 30 });
    assert.deepEqual(
      [0, 10, 29.9, 30, 45, 60.001].map((t) => gate.admit(A, 20, t)),
      [true, false, false, true, false, true],
    );
  });

  it('keeps each sensor apart, and sends the first reading after a failure', () => {
    const gate = new PublishGate({ deadband: 1, heartbeat: 0 });
    assert.equal(gate.admit(A, 20, 0), true);
    assert.equal(gate.admit(B, 20.1, 0), true);
    assert.equal(gate.admit(A, 20.1, 1), false);
    gate.failed(A);
    assert.equal(gate.admit(A, 20.1, 2), true);
    assert.equal(gate.admit(A, 20.2, 3), false);
    assert.equal(gate.admit(B, 20.2, 3), false);
  });

  it('sends everything with deadband 0, and what it is told to', () => {
    const off = new PublishGate({ deadband: 0, heartbeat: 60 });
    assert.deepEqual(
      [20, 20, 20].map((c, i) => off.admit(A, c, i)),
      [true, true, true],
    );
    const on = new PublishGate({ deadband: 5, heartbeat: 0 });
    on.admit(A, 20, 0);
    assert.equal(on.admit(A, 20, 1, true), true);
  });
});
