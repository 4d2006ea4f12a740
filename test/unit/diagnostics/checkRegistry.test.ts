import { afterEach, describe, expect, it } from 'vitest';
import { apduEffect } from '../../../src/devices/session/RegisterCardChannel.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import { checkRegistry } from '../../../src/services/diagnostics/checkRegistry.js';
import { byId, diagnosable, type Diagnosable } from './diagnosticsHarness.js';

const open: Diagnosable[] = [];
afterEach(async () => { for (const d of open.splice(0)) await d.close(); });
async function make(...args: Parameters<typeof diagnosable>) {
  const d = await diagnosable(...args);
  open.push(d);
  return d;
}

/** GB-link commands SPEC.md marks read, and 59 power on (idempotent, a warm reset of the card). */
const readCommands = new Set([CMD.CONNECT, CMD.FACTORY_DATA, CMD.USER_INFO, CMD.STATUS, CMD.DATE_TIME, CMD.CAPABILITIES, CMD.CARD_POWER_ON, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61]);
/** ISO VERIFY without data (00 20 00 00, Lc absent): asks the tries left and never spends one (gb18240-card SPEC §2.3). */
const isTriesQuery = (apdu: Uint8Array) => apdu.length === 4 && apdu[0] === 0x00 && apdu[1] === 0x20 && apdu[2] === 0x00 && apdu[3] === 0x00;

describe('the check registry', () => {
  it('has stable unique ids, each saying what it measures in both languages', () => {
    const ids = checkRegistry.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    for (const check of checkRegistry) {
      expect(check.id).toMatch(/^[a-z0-9.-]+$/);
      expect(check.measures.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(check.measures.en).toMatch(/[a-z]/);
    }
  });

  it('a healthy simulated register: at least 20 checks, all ok, and only reads sent (every command code recorded)', async () => {
    const d = await make();
    const report = await d.diagnose();
    const notOk = report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.id}: ${c.status} ${c.summary.en}`);
    expect(notOk).toEqual([]);
    expect(report.checks.length).toBeGreaterThanOrEqual(20);
    expect(report.verdict).toBe('ok');
    expect(report.worst).toBeNull();
    expect(d.sent.length).toBeGreaterThan(0);
    for (const frame of d.sent) {
      if (frame.cmd === CMD.CARD_APDU) {
        const apdu = frame.params.subarray(1);
        expect(apduEffect(apdu) === 'read' || isTriesQuery(apdu), `APDU ${Buffer.from(apdu).toString('hex')}`).toBe(true);
      } else if (frame.cmd === CMD.FIRMWARE) {
        expect(frame.params[0], '64 only as its query (03)').toBe(0x03);
      } else {
        expect(readCommands.has(frame.cmd), `command ${frame.cmd.toString(16)}`).toBe(true);
      }
    }
  });

  it('every check that is not ok carries impact, remedy in both languages and who can act', async () => {
    const d = await make({ history: { days: 40, invoicesPerDay: 3 } });
    d.register.simulator.setSelfCheckFault('memory', { result: 0x25, detail: 'bad block' });
    d.register.simulator.removeCard('fiscal');
    const report = await d.diagnose();
    const bad = report.checks.filter((c) => c.status === 'warning' || c.status === 'fault');
    expect(bad.length).toBeGreaterThan(0);
    for (const check of bad) {
      expect(check.impact?.zh && check.impact.en && check.remedy?.zh && check.remedy.en && check.actor, check.id).toBeTruthy();
    }
    expect(byId(report, 'self-check.memory')).toMatchObject({ status: 'fault', code: '0x25', actor: 'factory' });
    expect(byId(report, 'card.fiscal.present')).toMatchObject({ status: 'fault', actor: 'operator' });
    expect(byId(report, 'card.fiscal.pin-tries').status).toBe('not-run');
    expect(report.worst?.status).toBe('fault');
  });
});
