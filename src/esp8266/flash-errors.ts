// Errors a flash can end with. Each message says what happened and what the user can do.

export type FlashErrorCode =
  | 'invalid-image'
  | 'image-too-large'
  | 'port-busy'
  | 'port-denied'
  | 'port-missing'
  | 'port-lost'
  | 'no-answer'
  | 'wrong-chip'
  | 'md5-mismatch'
  | 'no-control-lines'
  | 'already-flashing'
  | 'backup-failed'
  | 'invalid-read'
  | 'flash-failed';

export class FlashError extends Error {
  override name = 'FlashError';
  constructor(
    readonly code: FlashErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export function portBusyError(path: string, cause?: unknown): FlashError {
  return new FlashError('port-busy', `another program holds ${path}: close it, or disable the serial node using it`, cause);
}

export function portMissingError(path: string, cause?: unknown): FlashError {
  return new FlashError(
    'port-missing',
    `serial port ${path} does not exist: check the cable and the port name (use the search button)`,
    cause,
  );
}

export function portLostError(path: string, cause?: unknown): FlashError {
  return new FlashError(
    'port-lost',
    `serial port ${path} went away during the flash (unplugged?): plug the board back in and flash again`,
    cause,
  );
}

export function noAnswerError(path: string, cause?: unknown): FlashError {
  return new FlashError(
    'no-answer',
    `no answer from the ESP8266 boot ROM on ${path}: hold BOOT/FLASH while pressing RESET, or check the cable`,
    cause,
  );
}

export function wrongChipError(chip: string): FlashError {
  return new FlashError('wrong-chip', `the board is an ${chip}, not an ESP8266: this firmware is for the ESP8266 only`);
}

export function md5MismatchError(expected: string, actual: string): FlashError {
  return new FlashError(
    'md5-mismatch',
    `verification failed: flash MD5 ${actual} differs from the image's ${expected}; flash again, or try a lower flash baud rate`,
  );
}

export function noControlLinesError(path: string, cause?: unknown): FlashError {
  return new FlashError(
    'no-control-lines',
    `${path} has no DTR/RTS control lines: set the device's reset to "none" and hold BOOT/FLASH while pressing RESET`,
    cause,
  );
}

/** Maps an error from opening a port to one that says what to do. */
export function describeOpenError(path: string, error: unknown): FlashError {
  const message = error instanceof Error ? error.message : String(error);
  if (/cannot lock|resource busy|resource temporarily unavailable|EBUSY|EAGAIN|held exclusively|is busy/i.test(message))
    return portBusyError(path, error);
  if (/no such file|ENOENT|not found|does not exist|unplugged/i.test(message)) return portMissingError(path, error);
  if (/permission denied|EACCES/i.test(message)) {
    return new FlashError('port-denied', `no permission to open ${path}: add the Node-RED user to the "dialout" group`, error);
  }
  return new FlashError('flash-failed', `could not open ${path}: ${message}`, error);
}
