/**
 * What a 1-Wire device does in the next time slot: nothing (waiting for a reset), read the master's
 * bits, or send its own.
 */
export type Mode =
  | { kind: 'idle' }
  /** `then` gets the bits and the time of the last one's rising edge, and says what comes next. */
  | { kind: 'receive'; count: number; bits: number[]; then: (bits: number[], us: number) => Mode }
  /** `bitAt` is asked at the slot's falling edge; `sent` after the slot says what comes next, if it changes. */
  | { kind: 'send'; bitAt: (us: number) => 0 | 1; sent: () => Mode | undefined };

export const IDLE: Mode = { kind: 'idle' };

/** Receives `count` bits, least significant first. */
export function receiveBits(count: number, then: (bits: number[], us: number) => Mode): Mode {
  return { kind: 'receive', count, bits: [], then };
}

/** Receives `count` bytes. */
export function receiveBytes(count: number, then: (bytes: Uint8Array, us: number) => Mode): Mode {
  return receiveBits(count * 8, (bits, us) => then(bitsToBytes(bits), us));
}

/** Sends `bytes` least significant bit first, then does `after`. */
export function sendBytes(bytes: Uint8Array, after: () => Mode): Mode {
  let index = 0;
  return {
    kind: 'send',
    bitAt: () => romBit(bytes, index),
    sent: () => {
      index += 1;
      return index === bytes.length * 8 ? after() : undefined;
    },
  };
}

/** Sends one bit, then does `after`. */
export function sendBit(bit: 0 | 1, after: () => Mode): Mode {
  return { kind: 'send', bitAt: () => bit, sent: after };
}

/** Sends the same answer in every slot (a status bit: busy/done, parasite/external, the idle 1s). */
export function sendStatus(bitAt: (us: number) => 0 | 1): Mode {
  return { kind: 'send', bitAt, sent: () => undefined };
}

export function bitsToBytes(bits: number[]): Uint8Array {
  const bytes = new Uint8Array(bits.length >> 3);
  bits.forEach((bit, i) => {
    bytes[i >> 3] |= bit << (i & 7);
  });
  return bytes;
}

/** Bit `index` of a byte string, counting from bit 0 of byte 0 (1-Wire's wire order). */
export function romBit(bytes: Uint8Array, index: number): 0 | 1 {
  return ((bytes[index >> 3] >> (index & 7)) & 1) as 0 | 1;
}
