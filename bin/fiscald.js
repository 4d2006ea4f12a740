#!/usr/bin/env node
import { register } from 'tsx/esm/api';

register();
const { runFiscald } = await import('../src/daemon/main.ts');
// The simulation (fixtures/simulate) is loaded only when --simulate asks for it.
await runFiscald(process.argv.slice(2), { loadSimulation: () => import('../fixtures/simulate/index.ts') });
