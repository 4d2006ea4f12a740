import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { SimulatorTimingInput } from '../../fixtures/simulator/SimulatorTiming.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';
import { loadRegisterState } from '../../fixtures/simulator/state/persistence.js';
import type { RegisterState } from '../../fixtures/simulator/state/schema.js';
import { RegisterStateKeeper } from './RegisterStateKeeper.js';
import { ensureSimulatorDir, setAside, simulatedRegisterPath } from './simulatorFiles.js';

/** A year of sales at a small shop: what the initialized simulated registers carry. */
const HISTORY = { days: 365, invoicesPerDay: 20 };

export interface SimulatedRegistersOptions {
  readonly logger: Logger;
  readonly timing?: SimulatorTimingInput;
  /**
   * Registers are saved under `<dataDir>/simulator` (after every change and at close) and brought back from there
   * at the next start; in memory only when absent.
   */
  readonly dataDir?: string;
}

async function savedState(path: string, logger: Logger): Promise<RegisterState | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const state = await loadRegisterState(path);
    if (state.cards.fiscal === undefined || state.cards.user === undefined) throw new RangeError('the saved state holds no card snapshots');
    return state;
  } catch (error) {
    logger.warn({ err: error, path, setAside: setAside(path) }, 'a saved simulated register could not be read back; a new one is made');
    return undefined;
  }
}

const SIMULATED_LINE_BAUD = 115200;

/**
 * The first register is new; the second carries a year of history; from the third on, each has also
 * just declared and been paid at the tax office, so a monitoring-data change (GB link 40) can run at once.
 */
function historyOf(index: number): { history?: typeof HISTORY & { declaredAndPaid?: boolean } } {
  if (index === 0) return {};
  return index === 1 ? { history: HISTORY } : { history: { ...HISTORY, declaredAndPaid: true } };
}

/**
 * `fiscald --simulate=N`: the first register is new (uninitialized, its fiscal and user cards matching
 * and ready for initialization); the others are initialized and carry a year of history. Machine
 * numbers differ per register and stay the same from one start to the next; with a data dir, so does
 * everything else (an initialized register is still initialized after a restart).
 */
export async function createSimulatedRegisters(count: number, options: SimulatedRegistersOptions): Promise<SimulatedRegister[]> {
  const { logger, timing, dataDir } = options;
  if (dataDir !== undefined) ensureSimulatorDir(dataDir);
  const registers: SimulatedRegister[] = [];
  for (let index = 0; index < count; index += 1) {
    const seed = index + 1;
    const statePath = dataDir === undefined ? undefined : simulatedRegisterPath(dataDir, seed);
    const saved = statePath === undefined ? undefined : await savedState(statePath, logger);
    const register = await createSimulatedRegister({
      seed,
      path: `memory:sim-${seed}`,
      // A register set up for 115200 (the fastest rate DESIGN.md names as usual): a year's backup takes
      // about half a minute instead of the ten it takes at the factory default of 9600.
      defaultBaud: SIMULATED_LINE_BAUD,
      ...(timing === undefined ? {} : { timing }),
      ...(saved !== undefined ? { state: saved } : { ...historyOf(index) }),
    });
    const keeper = statePath === undefined ? undefined : new RegisterStateKeeper(register.simulator, statePath, { logger });
    if (keeper !== undefined && saved === undefined) {
      keeper.changed();
      await keeper.flush();
    }
    logger.info({
      path: `memory:sim-${seed}`, machineNumber: register.state.identity.machineNumber, restored: saved !== undefined,
      initialized: register.simulator.memory.initialized, ...(statePath === undefined ? {} : { statePath }),
    }, 'simulated register ready');
    registers.push({
      ...register,
      async close() {
        await keeper?.stop();
        await register.close();
      },
    });
  }
  return registers;
}
