import { SensorErrorSummary } from '../onewire/sensor-error';
import { boardPayload, boardTopic } from './board-message';
import { ProcessedCycle } from './reading-pipeline';

/**
 * The messages a processed cycle becomes, by the node's *Output*: one per reading (`each`, topic the
 * sensor's id), one array (`array`), or one per board (`board`, failing sensors in `errors`). A held
 * jump that the cycle confirmed goes first: as its own message for `board`, whose keys hold one value.
 */

export type OutputMode = 'each' | 'array' | 'board';

export interface OutgoingMessage {
  topic?: string;
  payload: unknown;
  errors?: SensorErrorSummary[];
}

export function outgoingMessages(cycle: ProcessedCycle, mode: OutputMode, boardIdent: string): OutgoingMessage[] {
  const readings = cycle.outgoing.map((o) => o.reading);
  if (mode === 'each') return readings.map((reading) => ({ topic: reading.ident, payload: reading }));
  if (mode === 'array') return readings.length > 0 ? [{ payload: readings }] : [];
  const groups = [cycle.outgoing.filter((o) => o.earlier), cycle.outgoing.filter((o) => !o.earlier)]
    .map((group) => group.map((o) => o.reading))
    .filter((group) => group.length > 0);
  return groups.map((group, i) => {
    const message: OutgoingMessage = { topic: boardTopic(boardIdent), payload: boardPayload(boardIdent, group) };
    if (i === groups.length - 1 && cycle.errors.length > 0) message.errors = cycle.errors;
    return message;
  });
}

export function outputMode(value: unknown): OutputMode {
  return value === 'array' || value === 'board' ? value : 'each';
}
