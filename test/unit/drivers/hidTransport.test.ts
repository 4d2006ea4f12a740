import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HidTransport } from '../../../drivers/hid/HidTransport.js';
import { hidPayloadPerReport, payloadOfReport, splitIntoReports } from '../../../drivers/hid/hidReports.js';
import type { HidApi, HidDeviceHandle, HidDeviceInfo } from '../../../drivers/hid/HidApi.js';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';

const info = { vendorId: 0x0483, productId: 0x5750, path: '/dev/hidraw3', interface: 0, serialNumber: 'R1' } satisfies HidDeviceInfo;

/** A HID device in memory: input reports are queued by the test, output reports recorded. */
class FakeHid implements HidApi {
  readonly written: Uint8Array[] = [];
  readonly inbox: Uint8Array[] = [];
  present = true;
  failWrites = false;
  /** What the next writes report as written, when the device takes less than a report. */
  shortWrite: number | undefined;
  closed = 0;
  private waiting: (() => void) | undefined;

  listingDelayMs = 0;
  async devices(): Promise<HidDeviceInfo[]> {
    if (this.listingDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.listingDelayMs));
    return this.present ? [info] : [];
  }

  async open(path: string): Promise<HidDeviceHandle> {
    if (path !== info.path || !this.present) throw new Error(`cannot open ${path}`);
    return {
      write: async (report) => {
        if (this.failWrites || !this.present) throw new Error('Cannot write to hid device');
        this.written.push(Uint8Array.from(report));
        return this.shortWrite ?? report.length;
      },
      read: async (timeoutMs) => {
        if (!this.present) throw new Error('could not read from HID device');
        if (this.inbox.length === 0) {
          await new Promise<void>((resolve) => {
            this.waiting = resolve;
            setTimeout(resolve, timeoutMs);
          });
        }
        if (!this.present) throw new Error('could not read from HID device');
        return this.inbox.shift();
      },
      close: async () => {
        this.closed += 1;
      },
    };
  }

  push(report: Uint8Array): void {
    this.inbox.push(report);
    this.waiting?.();
  }

  unplug(): void {
    this.present = false;
    this.waiting?.();
  }
}

function report(payload: number[]): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes[0] = payload.length;
  bytes.set(payload, 1);
  return bytes;
}

function collect(transport: HidTransport, count: number): Promise<number[]> {
  const seen: number[] = [];
  return new Promise((resolve) => {
    transport.onData((chunk) => {
      seen.push(...chunk);
      if (seen.length >= count) resolve(seen);
    });
  });
}

describe('HID report framing', () => {
  it('splits any write into 64-byte reports with a length prefix and joins them back unchanged', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const reports = splitIntoReports(bytes);
        expect(reports.length).toBe(Math.ceil(bytes.length / hidPayloadPerReport));
        for (const each of reports) {
          expect(each.length).toBe(65);
          expect(each[0]).toBe(0);
        }
        const joined = reports.flatMap((each) => [...payloadOfReport(each.subarray(1))]);
        expect(joined).toEqual([...bytes]);
      }),
    );
  });

  it('rejects random reports only with HID_REPORT_INVALID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        try {
          const payload = payloadOfReport(bytes);
          expect(payload.length).toBeLessThanOrEqual(hidPayloadPerReport);
        } catch (error) {
          expect(isGatewayError(error, 'HID_REPORT_INVALID')).toBe(true);
        }
      }),
    );
  });
});

describe('HidTransport over a fake node-hid', () => {
  it('describes the device and writes a 150-byte frame as three reports', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    expect(transport.description).toEqual({ kind: 'hid', path: 'hid:/dev/hidraw3', vendorId: 0x0483, productId: 0x5750, serialNumber: 'R1' });
    await transport.open();
    const frame = Uint8Array.from({ length: 150 }, (_, i) => i);
    await transport.write(frame);
    expect(hid.written.map((each) => each[1])).toEqual([63, 63, 24]);
    expect(hid.written.flatMap((each) => [...each.subarray(2, 2 + each[1]!)])).toEqual([...frame]);
    await transport.close();
    expect(hid.closed).toBe(1);
  });

  it('reassembles the payloads of input reports in order, skipping empty and impossible reports', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    const received = collect(transport, 5);
    hid.push(report([0x4f, 0x4b]));
    hid.push(report([]));
    const bogus = new Uint8Array(64);
    bogus[0] = 200;
    hid.push(bogus);
    hid.push(report([1, 2, 3]));
    expect(await received).toEqual([0x4f, 0x4b, 1, 2, 3]);
    expect(transport.droppedReports).toBe(1);
    await transport.close();
  });

  it('maps a failed open to TRANSPORT_OPEN_FAILED', async () => {
    const hid = new FakeHid();
    hid.present = false;
    const transport = new HidTransport({ info, api: hid });
    await expect(transport.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
  });

  it('closes with TRANSPORT_UNPLUGGED when the device leaves, and refuses writes after', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
    hid.unplug();
    expect(isGatewayError(await closed, 'TRANSPORT_UNPLUGGED')).toBe(true);
    expect(transport.isOpen).toBe(false);
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_UNPLUGGED' });
  });

  it('closes with TRANSPORT_IO_FAILED when a write fails while the device is still present', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
    hid.failWrites = true;
    const failure = await transport.write(Uint8Array.of(1, 2)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe('TRANSPORT_IO_FAILED');
    expect(isGatewayError(await closed, 'TRANSPORT_IO_FAILED')).toBe(true);
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('reports a requested close without an error', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    const reasons: (Error | undefined)[] = [];
    transport.onClose((reason) => reasons.push(reason));
    await transport.close();
    await transport.close();
    expect(reasons).toEqual([undefined]);
  });

  it('sends nothing for an empty write, and fails a report the device took only partly with TRANSPORT_IO_FAILED', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    await transport.write(new Uint8Array(0));
    expect(hid.written).toEqual([]);
    hid.shortWrite = 10;
    await expect(transport.write(Uint8Array.of(1, 2, 3))).rejects.toMatchObject({ code: 'TRANSPORT_IO_FAILED' });
    await transport.close();
  });

  it('lets a second close wait for the first, and reopens when asked to open while closing', async () => {
    const hid = new FakeHid();
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    const first = transport.close();
    await transport.close();
    expect(hid.closed).toBe(1);
    await first;
    const closing = transport.close();
    await transport.open();
    await closing;
    expect(transport.isOpen).toBe(true);
    await transport.close();
    expect(hid.closed).toBe(1 + 1);
  });

  it('closes when asked to while it is finding out whether a failed device is still there', async () => {
    const hid = new FakeHid();
    hid.listingDelayMs = 20;
    const transport = new HidTransport({ info, api: hid, readTimeoutMs: 10 });
    await transport.open();
    const reasons: (Error | undefined)[] = [];
    transport.onClose((reason) => reasons.push(reason));
    hid.unplug();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await transport.close();
    expect(transport.isOpen).toBe(false);
    expect(hid.closed).toBe(1);
    expect(reasons).toHaveLength(1);
  });
});
