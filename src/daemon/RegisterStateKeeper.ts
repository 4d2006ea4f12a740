import type { Logger } from 'pino';
import type { RegisterSimulator } from '../../fixtures/simulator/RegisterSimulator.js';
import { CMD } from '../../protocols/gb-link/index.js';

/** GB-link commands that only read: after them there is nothing new to save. */
const READ_ONLY = new Set<number>([
  CMD.CONNECT, CMD.DISTRIBUTED_ROLLS, CMD.FACTORY_DATA, CMD.USER_INFO, CMD.TAX_ITEMS, CMD.DATE_TIME, CMD.ROLL_SUMMARIES,
  CMD.DECLARATIONS, CMD.INVOICES_BY_INDEX, CMD.STATUS, CMD.INVOICES_BY_NUMBER, CMD.INVOICES_BY_TIME, CMD.DAILY_RECORDS,
  CMD.CARD_POWER_ON, CMD.CARD_POWER_OFF, CMD.SELF_CHECK_CPU, CMD.SELF_CHECK_ROM, CMD.SELF_CHECK_RAM, CMD.SELF_CHECK_MEMORY,
  CMD.SELF_CHECK_SERIAL, CMD.SELF_CHECK_CYCLE, CMD.CAPABILITIES, CMD.RECORD_COUNTS, CMD.INITIALIZATION_HISTORY,
]);

/** What the keeper needs of a simulator (RegisterSimulator has it). */
export type SavableRegister = Pick<RegisterSimulator, 'onEvent' | 'save'>;

export interface RegisterStateKeeperOptions {
  /** How long the register must be quiet after a change before its state is written. Default 500. */
  readonly quietMs?: number;
  readonly logger?: Logger;
}

/**
 * Keeps a simulated register's saved state (its slot cards included) in step with it: written a moment after
 * every command that may change something (initialization, invoice numbers, card APDUs through 5B, a firmware
 * boot…) once the line is quiet, and at `stop`. Reads and heartbeats write nothing. Saves never overlap; each
 * is atomic (a temporary file renamed), so a daemon killed at any moment leaves the last whole state behind.
 */
export class RegisterStateKeeper {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private readonly quietMs: number;

  constructor(private readonly simulator: SavableRegister, readonly path: string, private readonly options: RegisterStateKeeperOptions = {}) {
    this.quietMs = options.quietMs ?? 500;
    this.unsubscribe = simulator.onEvent((event) => {
      if ((event.type === 'command' && !READ_ONLY.has(event.cmd)) || event.type === 'boot') this.changed();
    });
  }

  /** Marks the state as changed: it is written once the register has been quiet for `quietMs`. */
  changed(): void {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.quietMs);
  }

  /** Writes the state now if it changed since the last save; resolves once it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.simulator.save(this.path);
        this.options.logger?.debug({ path: this.path }, 'simulated register state saved');
      } catch (error) {
        this.dirty = true;
        this.options.logger?.error({ err: error, path: this.path }, 'could not save the simulated register state');
      }
    });
    return this.saving;
  }

  /** Stops listening and writes what is left. */
  async stop(): Promise<void> {
    this.unsubscribe();
    await this.flush();
  }
}
