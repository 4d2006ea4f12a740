import { createSimulatedRegister, type SimulatedRegister, type SimulatedRegisterOptions } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { FrameDecoder } from '../../../protocols/gb-link/FrameDecoder.js';
import type { CommandFrame } from '../../../protocols/gb-link/frame.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import type { JobContext } from '../../../src/jobs/types.js';
import { silentLogger } from '../../../src/log.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { deviceDiagnostics } from '../../../src/services/diagnostics/deviceDiagnostics.js';
import type { DiagnosticsPort } from '../../../src/services/diagnostics/DiagnosticsPort.js';
import { runDiagnostics, type DiagnosticsOptions, type DiagnosticsReport } from '../../../src/services/diagnostics/runDiagnostics.js';
import { borrowedDevice } from '../../helpers/fakeDevicePort.js';

export function jobContext(deviceId: string): JobContext {
  return {
    jobId: 'j', deviceId, operator: 'test', signal: new AbortController().signal, log: silentLogger,
    stage: () => undefined, progress: () => undefined, record: () => undefined, throwIfCancelled: () => undefined,
    checkpoint: () => undefined, resumedFrom: undefined, waiting: () => undefined, running: () => undefined,
  };
}

export interface Diagnosable {
  readonly register: SimulatedRegister;
  readonly session: RegisterSession;
  /** Every command frame the host put on the line, decoded. */
  readonly sent: CommandFrame[];
  readonly port: DiagnosticsPort;
  diagnose(options?: DiagnosticsOptions): Promise<DiagnosticsReport>;
  close(): Promise<void>;
}

/** A simulated register (seeded with 40 days unless told), its session, the daemon's diagnostics view over it, and a tap on the line. */
export async function diagnosable(options: SimulatedRegisterOptions = {}, mode: 'application' | 'bootloader' = 'application'): Promise<Diagnosable> {
  const register = await createSimulatedRegister({ seed: 11, history: { days: 40, invoicesPerDay: 3 }, timing: { timed: false }, ...options });
  const sent: CommandFrame[] = [];
  const decoder = new FrameDecoder('to-register');
  const write = register.transport.write.bind(register.transport);
  (register.transport as { write: (bytes: Uint8Array) => Promise<void> }).write = (bytes) => {
    for (const frame of decoder.push(bytes)) if (frame.kind === 'command') sent.push(frame);
    return write(bytes);
  };
  const session = await RegisterSession.open(register.transport, { deviceId: 'sim', settleMs: 10 });
  const identity = { ...register.simulator.identity(), mode };
  const device = borrowedDevice(identity.machineNumber, { session, identity });
  const port = deviceDiagnostics(device, 480, (channel) => readCard(channel));
  return {
    register, session, sent, port,
    diagnose: (extra = {}) => runDiagnostics(jobContext(identity.machineNumber), port, { utcOffsetMinutes: 480, ...extra }),
    async close() {
      await session.close();
      await register.close();
    },
  };
}

export const byId = (report: DiagnosticsReport, id: string) => {
  const check = report.checks.find((c) => c.id === id);
  if (check === undefined) throw new Error(`no check ${id}`);
  return check;
};
