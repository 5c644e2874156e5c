/**
 * What setting the resolution did, for the read node to say once: sensors that refused it (the bridge
 * could not write or read back their scratchpad), or sensors whose resolution the system does not let
 * us write (the w1 `resolution` attribute is missing or read-only).
 */
export type ResolutionReport =
  | { kind: 'failed'; bits: number; idents: string[]; detail: string }
  | { kind: 'not-writable'; bits: number; idents: string[]; detail: string };
