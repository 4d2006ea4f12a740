import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { prepareSimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';

/** The line rate the campaign's registers are set up for (the daemon opens the pty at the same rate). */
export const CAMPAIGN_BAUD = 115200;

export interface SeededRegister {
  readonly machineNumber: string;
  readonly statePath: string;
}

/**
 * Writes the saved state of one simulated register (its slot cards included) to `statePath`: new and
 * uninitialized with matching unregistered cards (`historyDays` 0, for initialization), or initialized
 * `historyDays` ago with its fiscal card registered (for changes, rolls, backups and deregistration).
 * Both `fiscald --simulate` (from `<data-dir>/simulator/register-1.json`) and `serve.ts --state` load it.
 */
export async function seedRegisterState(statePath: string, options: { seed: number; historyDays: number; invoicesPerDay?: number }): Promise<SeededRegister> {
  const prepared = prepareSimulatedRegister({
    seed: options.seed,
    defaultBaud: CAMPAIGN_BAUD,
    ...(options.historyDays > 0 ? { history: { days: options.historyDays, invoicesPerDay: options.invoicesPerDay ?? 20 } } : {}),
  });
  const simulator = new RegisterSimulator({ state: prepared.state, cards: prepared.cards, timing: { timed: false } });
  mkdirSync(dirname(statePath), { recursive: true, mode: 0o700 });
  await simulator.save(statePath);
  return { machineNumber: prepared.state.identity.machineNumber, statePath };
}
