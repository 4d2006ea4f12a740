import type { Logger } from 'pino';
import type { SimulatorTimingInput } from '../../fixtures/simulator/SimulatorTiming.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';

/** A year of sales at a small shop: what the initialized simulated registers carry. */
const HISTORY = { days: 365, invoicesPerDay: 20 };

/**
 * `fiscald --simulate=N`: the first register is new (uninitialized, its fiscal and user cards matching
 * and ready for initialization); the others are initialized and carry a year of history. Machine
 * numbers differ per register and stay the same from one start to the next.
 */
export async function createSimulatedRegisters(count: number, logger: Logger, timing?: SimulatorTimingInput): Promise<SimulatedRegister[]> {
  const registers: SimulatedRegister[] = [];
  for (let index = 0; index < count; index += 1) {
    const seed = index + 1;
    const register = await createSimulatedRegister({
      seed,
      path: `memory:sim-${seed}`,
      ...(timing === undefined ? {} : { timing }),
      ...(index === 0 ? {} : { history: HISTORY }),
    });
    logger.info({
      path: `memory:sim-${seed}`, machineNumber: register.state.identity.machineNumber,
      initialized: index !== 0, days: index === 0 ? 0 : HISTORY.days,
    }, 'simulated register ready');
    registers.push(register);
  }
  return registers;
}
