// The report esp8266-bridge-check prints, made from what a live session has seen since the deploy instead
// of from a check of its own: the same fields, the same words, the same layout (src/bridge-check/report.ts).
import { isBridgeHello } from '../onewire/bridge-protocol';
import type { Environment } from '../bridge-check/environment';
import { CheckReport, formatReport } from '../bridge-check/report';
import { failures } from '../bridge-check/words';
import type { BoardRecord } from './board-record';

export function liveCheckReport(record: BoardRecord, environment: Environment): CheckReport {
  const report: CheckReport = {
    ...environment,
    port: record.port,
    sensors: record.sensors.all.map((row) => {
      const tally = {
        ident: row.ident,
        model: row.model,
        power: row.power ?? '?',
        resolution: row.resolution ?? 0,
        clean: row.clean,
        crc: row.crc,
        powerOn: row.powerOn,
        other: row.vanished + row.other,
      };
      return row.lastCelsius === undefined ? tally : { ...tally, lastCelsius: row.lastCelsius };
    }),
    scanned: record.scanned,
    cyclesAsked: record.durations.length,
    cycleDurationsMs: [...record.durations],
    noiseLines: record.tap.noiseLines,
    malformedLines: record.tap.malformedLines,
    errors: [...record.errors].map(([message, count]) => ({ message, count })),
  };
  if (record.flashed) report.flash = { ...record.flashed };
  const firmware = record.firmware;
  if (firmware) {
    report.firmware = { firmware: firmware.name, version: firmware.version, protocol: firmware.protocol };
    if (firmware.pin !== undefined) report.firmware.pin = firmware.pin;
  }
  report.failure = failureOf(record, report);
  return report;
}

/** The same reasons, in the same order, as the command gives for a board it checked. */
function failureOf(record: BoardRecord, report: CheckReport): string | undefined {
  const firmware = record.firmware;
  if (record.kind === 'esp8266') {
    if (!firmware)
      return record.tap.noiseLines > 0 ? failures.otherText(record.port, record.tap.noiseLines) : failures.noAnswer(record.port);
    const hello = { type: 'hello' as const, firmware: firmware.name, version: firmware.version, protocol: firmware.protocol };
    if (!isBridgeHello(hello)) {
      return firmware.name === 'ds18b20-bridge'
        ? failures.otherProtocol(firmware.version, firmware.protocol)
        : failures.otherFirmware(firmware.name, firmware.protocol);
    }
  }
  if (report.sensors.length === 0) return failures.noSensors(firmware?.pin);
  const neverClean = report.sensors.filter((row) => row.clean === 0).map((row) => row.ident);
  if (neverClean.length > 0) return failures.neverClean(neverClean);
  return undefined;
}

export function liveReportText(record: BoardRecord, environment: Environment): string {
  return formatReport(liveCheckReport(record, environment));
}
