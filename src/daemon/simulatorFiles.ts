import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** `<data-dir>/simulator`: what `fiscald --simulate` keeps from one start to the next (0700). */
export function simulatorDir(dataDir: string): string {
  return join(dataDir, 'simulator');
}

/** The saved state of simulated register number `seed` (1-based), its slot cards included. */
export function simulatedRegisterPath(dataDir: string, seed: number): string {
  return join(simulatorDir(dataDir), `register-${seed}.json`);
}

/** The virtual card in simulated reader number `index` (0-based). */
export function simulatedReaderCardPath(dataDir: string, index: number): string {
  return join(simulatorDir(dataDir), `reader-${index}-card.json`);
}

export function ensureSimulatorDir(dataDir: string): void {
  mkdirSync(simulatorDir(dataDir), { recursive: true, mode: 0o700 });
}

/**
 * Moves a saved file that cannot be read back out of the way (`.unreadable-<time>`), so the simulator starts
 * afresh and the file stays there to look at. Returns where it went.
 */
export function setAside(path: string, now = new Date()): string {
  const target = `${path}.unreadable-${now.toISOString().replaceAll(':', '')}`;
  renameSync(path, target);
  return target;
}
