import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../../scripts/build-console.js';

/** fiscald serves the committed build; this fails when src/api/console/app changed without `npm run build:console`. */
describe('the committed console build', () => {
  it('is what the sources build to', async () => {
    const { js, css } = await buildConsole();
    expect(readFileSync(new URL('../../../src/api/console/dist/app.js', import.meta.url), 'utf8') === js, 'run npm run build:console').toBe(true);
    expect(readFileSync(new URL('../../../src/api/console/dist/app.css', import.meta.url), 'utf8')).toBe(css);
  });
});
