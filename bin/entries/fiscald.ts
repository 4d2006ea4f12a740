// fiscald's program: what bin/fiscald.js runs, compiled (dist/bin/fiscald.js, `npm run build`) or through tsx.
import { runFiscald } from '../../src/daemon/main.js';

// The simulation (fixtures/simulate) is loaded only when --simulate asks for it.
await runFiscald(process.argv.slice(2), { loadSimulation: () => import('../../fixtures/simulate/index.js') });
