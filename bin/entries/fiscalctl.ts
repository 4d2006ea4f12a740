// fiscalctl's program: what bin/fiscalctl.js runs, compiled (dist/bin/fiscalctl.js, `npm run build`) or through tsx.
import '../../src/cli/main.js';
