// The plain-text report of a check, made to be pasted into a bug report as it is.
import type { FlashResult } from '../esp8266/flasher';
import { CycleTimes, SensorTally, cycleTimes } from './tally';
import { report as words } from './words';

export interface FlashSummary {
  chip: string;
  mac: string;
  flashId: string;
  flashSize: string;
  bytesWritten: number;
  durationMs: number;
  flashBaudRate: number;
  restarted: boolean;
  /** Files --backup saved what the write replaced in; empty when nothing was replaced or none was asked for. */
  backupFiles?: string[];
}

/** What a report (and the Boards sidebar) keeps of a write: the board and how the write went, not the backup files. */
export function flashSummary(result: FlashResult): FlashSummary {
  const { chip, mac, flashId, flashSize, bytesWritten, durationMs, flashBaudRate, restarted } = result;
  return { chip, mac, flashId, flashSize, bytesWritten, durationMs, flashBaudRate, restarted };
}

export interface FirmwareSummary {
  firmware: string;
  version: string;
  protocol: number;
  pin?: number;
}

export interface CheckReport {
  packageName: string;
  packageVersion: string;
  nodeVersion: string;
  platform: string;
  port: string;
  flash?: FlashSummary;
  firmware?: FirmwareSummary;
  /** Sensors the scan found, then any the cycles added, with their counts. */
  sensors: SensorTally[];
  /** Whether a scan ran (a check that stops before it has no sensor list to show). */
  scanned: boolean;
  cyclesAsked: number;
  cycleDurationsMs: number[];
  noiseLines: number;
  malformedLines: number;
  errors: Array<{ message: string; count: number }>;
  /** Why the check failed; absent when it passed. */
  failure?: string;
}

const LABEL_WIDTH = 13;

function field(label: string, value: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${value}`;
}

function indent(line: string): string {
  return `${' '.repeat(LABEL_WIDTH)}${line}`;
}

function familyOf(ident: string): string {
  return ident.slice(0, 2);
}

function perSensorLine(row: SensorTally, cycles: number): string {
  const last = row.lastCelsius === undefined ? words.noReading : words.celsius(row.lastCelsius);
  return words.perSensorLine(
    row.ident,
    `${row.clean}/${cycles}`.padEnd(5),
    String(row.crc).padEnd(3),
    String(row.powerOn).padEnd(8),
    String(row.other).padEnd(5),
    last,
  );
}

function flashLines(flash: FlashSummary | undefined): string[] {
  if (!flash) return [field(words.flashed, words.notFlashed)];
  return [
    field(words.chip, flash.chip),
    field(words.mac, flash.mac),
    field(words.flashId, words.flashIdSummary(flash.flashId, flash.flashSize)),
    field(
      words.flashed,
      words.flashedSummary(flash.bytesWritten, (flash.durationMs / 1000).toFixed(1), flash.flashBaudRate, flash.restarted),
    ),
    ...(flash.backupFiles?.length ? [field(words.backup, flash.backupFiles.join(', '))] : []),
  ];
}

function sensorLines(report: CheckReport): string[] {
  if (!report.scanned && report.sensors.length === 0) return [];
  const lines = [field(words.sensors, words.sensorCount(report.sensors.length))];
  for (const row of report.sensors) {
    lines.push(indent(words.sensorLine(row.ident, row.model, familyOf(row.ident), row.power, row.resolution)));
  }
  return lines;
}

function cycleLines(report: CheckReport): string[] {
  const done = report.cycleDurationsMs.length;
  if (!report.scanned && done === 0) return [];
  const times: CycleTimes | undefined = cycleTimes(report.cycleDurationsMs);
  const lines = [
    field(words.cycles, words.cyclesRun(done, report.cyclesAsked)),
    field(words.cycleTimes, times ? words.cycleTimeSummary(times.min, times.median, times.max) : words.noCycleTimes),
  ];
  if (report.sensors.length > 0 && done > 0) {
    lines.push(field(words.perSensor, words.perSensorHeader));
    for (const row of report.sensors) lines.push(indent(perSensorLine(row, done)));
  }
  return lines;
}

function errorLines(errors: CheckReport['errors']): string[] {
  if (errors.length === 0) return [field(words.errors, words.noErrors)];
  return errors.map(({ count, message }, i) => {
    const line = words.errorLine(count, message);
    return i === 0 ? field(words.errors, line) : indent(line);
  });
}

export function formatReport(report: CheckReport): string {
  const lines = [
    words.title,
    field(words.package, `${report.packageName} ${report.packageVersion}`),
    field(words.node, `${report.nodeVersion} (${report.platform})`),
    field(words.port, report.port),
    ...flashLines(report.flash),
    field(
      words.firmware,
      report.firmware
        ? words.firmwareSummary(report.firmware.firmware, report.firmware.version, report.firmware.protocol, report.firmware.pin)
        : words.noFirmware,
    ),
    ...sensorLines(report),
    ...cycleLines(report),
    field(words.noise, words.noiseSummary(report.noiseLines, report.malformedLines)),
    ...errorLines(report.errors),
    field(words.result, report.failure === undefined ? words.pass : words.fail(report.failure)),
  ];
  return `${lines.join('\n')}\n`;
}
