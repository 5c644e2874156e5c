/**
 * Publish on change, per sensor: a reading goes out when it is at least `deadband` °C from the last
 * one sent, when `heartbeat` seconds passed since that one, when it is the sensor's first, or when
 * the sensor comes back from failing. The rest are held back. Times are the readings' own timestamps
 * (unix seconds), so the decision does not depend on when the node gets round to it.
 */

export interface GateSettings {
  /** °C; 0 sends every reading. */
  deadband: number;
  /** Seconds; 0 never sends an unchanged reading again. */
  heartbeat: number;
}

interface SentState {
  celsius: number;
  timestamp: number;
  failedSince: boolean;
}

/** Float sums such as 21.4375 + 0.1 must not miss a deadband they meet on paper. */
const EPSILON = 1e-9;

export class PublishGate {
  private readonly sensors = new Map<string, SentState>();

  constructor(private readonly settings: GateSettings) {}

  /** Whether this reading goes out; when it does, it becomes the one later readings are compared with. */
  admit(ident: string, celsius: number, timestamp: number, force = false): boolean {
    const last = this.sensors.get(ident);
    const send =
      force ||
      last === undefined ||
      last.failedSince ||
      this.settings.deadband === 0 ||
      Math.abs(celsius - last.celsius) + EPSILON >= this.settings.deadband ||
      (this.settings.heartbeat > 0 && timestamp - last.timestamp + EPSILON >= this.settings.heartbeat);
    if (send) this.sensors.set(ident, { celsius, timestamp, failedSince: false });
    return send;
  }

  /** The sensor failed: its next good reading goes out whatever its value. */
  failed(ident: string): void {
    const last = this.sensors.get(ident);
    if (last) last.failedSince = true;
  }
}
