import { ChosenSensor, normaliseChosenSensors } from '../onewire/read-selection';
import {
  RuleProblem,
  checkDeadband,
  checkDecimals,
  checkHeartbeat,
  checkMaxStep,
  checkResolution,
  checkSensorName,
  checkSensorOffset,
} from '../field-rules';
import { PipelineSettings } from './reading-pipeline';

/**
 * The read node's reading settings as saved in a flow (strings from the edit dialog, numbers from a
 * flow written by hand), checked by the field rules and turned into numbers.
 */

export interface SavedReadingSettings {
  unit?: unknown;
  sensors?: unknown;
  decimals?: unknown;
  resolution?: unknown;
  deadband?: unknown;
  heartbeat?: unknown;
  maxStep?: unknown;
}

export interface ReadingSettings extends PipelineSettings {
  /** undefined leaves the sensors' resolution as it is. */
  resolution: number | undefined;
}

/** Every problem the edit dialog would mark, in the dialog's order. */
export function readingSettingProblems(saved: SavedReadingSettings): Array<RuleProblem | undefined> {
  const sensors = Array.isArray(saved.sensors) ? (saved.sensors as Array<{ name?: unknown; offset?: unknown } | null>) : [];
  return [
    ...sensors.map((s) => checkSensorName(s?.name)),
    ...sensors.map((s) => checkSensorOffset(s?.offset)),
    checkDecimals(saved.decimals),
    checkResolution(saved.resolution),
    checkDeadband(saved.deadband),
    checkHeartbeat(saved.heartbeat),
    checkMaxStep(saved.maxStep),
  ];
}

/** The settings as numbers; call once readingSettingProblems found nothing. Blank means the default. */
export function readingSettings(saved: SavedReadingSettings): ReadingSettings {
  const number = (value: unknown): number | undefined => {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    return text === '' ? undefined : Number(text);
  };
  const sensors: ChosenSensor[] = normaliseChosenSensors(saved.sensors);
  return {
    sensors,
    unit: saved.unit === 'F' ? 'F' : 'C',
    decimals: number(saved.decimals) ?? null,
    resolution: number(saved.resolution),
    deadband: number(saved.deadband) ?? 0,
    heartbeat: number(saved.heartbeat) ?? 0,
    maxStep: number(saved.maxStep) ?? 0,
  };
}
