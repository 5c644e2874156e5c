/**
 * Why a sensor gave no temperature. The codes match the bridge firmware's `err` codes where they overlap
 * (firmware/PROTOCOL.md), so a flow can switch on `code` whatever the source.
 */
export type SensorErrorCode =
  | 'crc' // scratchpad or ROM failed its CRC: noise on the bus, a long cable, a loose contact
  | 'power_on_value' // 85 °C with the power-on scratchpad: the conversion never ran (power, parasite supply)
  | 'no_device' // the sensor did not answer: unplugged, or DQ open
  | 'bus_short' // DQ held low: a short or a wiring fault
  | 'out_of_range' // outside the DS18B20's -55..125 °C: not a plausible reading
  | 'read_failed' // the operating system refused the read (permission, I/O error)
  | 'stuck' // w1: an earlier read never returned from the kernel; the sensor is skipped until it does
  | 'bad_data' // an answer we could not make sense of
  | 'spike'; // a jump larger than the spike filter's step that the next reading did not confirm

export class SensorError extends Error {
  override readonly name = 'SensorError';

  constructor(
    readonly ident: string,
    readonly code: SensorErrorCode,
    message: string,
  ) {
    super(`${ident}: ${message}`);
  }
}

/** The per-sensor errors of one read, as a flow sees them in `msg.errors`. */
export interface SensorErrorSummary {
  ident: string;
  code: SensorErrorCode;
  message: string;
}

/** One read in which some sensors failed: the message lists them all, `sensors` itemises them. */
export class SensorReadFailure extends Error {
  override readonly name = 'SensorReadFailure';
  readonly sensors: SensorErrorSummary[];

  constructor(errors: ReadonlyArray<SensorError | SensorErrorSummary>) {
    super(errors.map((e) => e.message).join('; '));
    this.sensors = errors.map((e) => ({ ident: e.ident, code: e.code, message: e.message }));
  }
}
