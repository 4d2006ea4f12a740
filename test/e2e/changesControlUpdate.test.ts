import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';
import { declareAndPay, type PaidDeclaration } from '../../fixtures/simulator/declareAndPay.js';
import { RegisterSimulator } from '../../fixtures/simulator/RegisterSimulator.js';
import { saveRegisterState } from '../../fixtures/simulator/state/persistence.js';
import { simulatedRegisterPath, simulatorDir } from '../../fixtures/simulate/simulatorFiles.js';
import { eventually, removeDataDir, runFiscalctl, startDaemon, tempDataDir, type RunningDaemon } from '../helpers/daemon.js';

let daemon: RunningDaemon;
let deviceId: string;
let paid: PaidDeclaration;
let machineNumber: string;

/**
 * `fiscald --simulate=2` brings its registers back from `<data-dir>/simulator`. Register 2 is put there as a
 * register that has just declared, whose taxpayer has paid: the tax office took the declaration off the user
 * card and wrote new control data for its fiscal card (a seeded register's monthly control updates are
 * already done, so its declared flag is never set).
 */
async function seedDeclaredRegister(dataDir: string): Promise<void> {
  mkdirSync(simulatorDir(dataDir), { recursive: true, mode: 0o700 });
  const prepared = prepareSimulatedRegister({ seed: 2, defaultBaud: 115200, history: { days: 45, invoicesPerDay: 6 } });
  const simulator = new RegisterSimulator({ state: prepared.state, cards: prepared.cards, timing: { timed: false } });
  paid = declareAndPay(simulator, { singleInvoiceLimit: 2_500_000, cumulativeLimit: 600_000_000, returnLimit: 40_000_000 });
  machineNumber = prepared.state.identity.machineNumber;
  await saveRegisterState(simulatedRegisterPath(dataDir, 2), simulator.snapshot());
}

beforeAll(async () => {
  const dataDir = tempDataDir();
  await seedDeclaredRegister(dataDir);
  daemon = await startDaemon({ dataDir, simulate: 2, args: ['--simulator-timing', '{"timed":false}'] });
  const res = await fetch(`${daemon.url}/v1/devices`, { headers: { authorization: `Bearer ${daemon.token}` } });
  const { devices } = (await res.json()) as { devices: { id: string; transport: { path: string } }[] };
  deviceId = devices.find((d) => d.transport.path === 'memory:sim-2')!.id;
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  if (daemon) removeDataDir(daemon.dataDir);
});

describe('monitoring-data change (监控数据回写, GB link 40) against fiscald --simulate', () => {
  it('fiscalctl change ID monitoring-data: the register writes the new controls back, read back from 41 and fiscal EF01', async () => {
    const run = await runFiscalctl(daemon, ['change', deviceId, 'monitoring-data', '--yes', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const { change } = JSON.parse(run.stdout) as { change: { register: string; after: Record<string, unknown>; machineNumber: string } };
    expect(change.machineNumber).toBe(machineNumber);
    expect(change.register).toBe('gb-link-40');
    expect(change.after).toMatchObject({
      register: { awaitingControlUpdate: false, issueDeadline: paid.controls.issueDeadline },
      fiscalCard: { monitoring: { issueDeadline: paid.controls.issueDeadline, singleInvoiceLimit: 2_500_000, cumulativeLimit: 600_000_000, returnLimit: 40_000_000 } },
    });
    // The daemon keeps the simulated register's state: the update survives in its saved file.
    const saved = () => JSON.parse(readFileSync(simulatedRegisterPath(daemon.dataDir, 2), 'utf8')) as { fiscal: { declaredFlag: boolean; limits: { singleInvoiceLimit: number } } };
    await eventually(async () => (saved().fiscal.declaredFlag ? undefined : true));
    expect(saved().fiscal.limits.singleInvoiceLimit).toBe(2_500_000);
  }, 60_000);

  it('a second update has no declaration to follow: refused with its own code (exit 3) and the advice to declare first', async () => {
    const run = await runFiscalctl(daemon, ['change', deviceId, 'monitoring-data', '--yes', '--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ job: { error: { code: 'CHANGE_NOT_DECLARED' } } });
  }, 60_000);

  it('the service record shows the change with the fiscal card before and after', async () => {
    const res = await fetch(`${daemon.url}/v1/records?device=${encodeURIComponent(deviceId)}`, { headers: { authorization: `Bearer ${daemon.token}` } });
    const { records } = (await res.json()) as { records: { action: string; result: string; after: unknown }[] };
    const done = records.find((r) => r.action === 'registration-change:monitoring-data' && r.result === 'succeeded');
    expect(done?.after).toMatchObject({ fiscalCard: { monitoring: { singleInvoiceLimit: 2_500_000 } } });
  });
});

