import { GatewayError } from '../../contracts/errors/index.js';

/**
 * GB link over HID (DESIGN.md): 64-byte reports, the first byte the number of payload bytes that
 * follow (0…63), the rest zero padding. A write is split over as many reports as it needs.
 */
export const hidReportSize = 64;
export const hidPayloadPerReport = hidReportSize - 1;

/** The reports that carry `bytes`, each prefixed with `reportId` for hidapi (not sent on the wire for id 0). */
export function splitIntoReports(bytes: Uint8Array, reportId = 0): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += hidPayloadPerReport) {
    const payload = bytes.subarray(offset, offset + hidPayloadPerReport);
    const report = new Uint8Array(1 + hidReportSize);
    report[0] = reportId;
    report[1] = payload.length;
    report.set(payload, 2);
    reports.push(report);
  }
  return reports;
}

/** The payload of one input report; HID_REPORT_INVALID when its length byte claims more than the report holds. */
export function payloadOfReport(report: Uint8Array): Uint8Array {
  if (report.length === 0) return report;
  const length = report[0]!;
  if (length > hidPayloadPerReport || length > report.length - 1) {
    throw new GatewayError('HID_REPORT_INVALID', {
      params: { detail: `length byte ${length} in a ${report.length}-byte report` },
    });
  }
  return report.subarray(1, 1 + length);
}
