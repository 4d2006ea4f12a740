import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { parseSimulatorProfile } from '../../../fixtures/simulator/SimulatorProfile.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { selfCheckKinds } from '../../../protocols/gb-link/index.js';
import { selfCheckLabels } from '../../../src/services/diagnostics/selfCheckLabels.js';

const spec = readFileSync(fileURLToPath(new URL('../../../protocols/gb-link/SPEC.md', import.meta.url)), 'utf8');
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));

function exchanges(): { name: string; sent: Uint8Array; answer: Uint8Array | 'nothing' }[] {
  const block = /```register-exchanges\n([\s\S]*?)```/.exec(spec);
  if (block === null) throw new Error('SPEC.md has no register-exchanges block');
  return block[1]!.trim().split('\n').map((line) => {
    const [name, sent, answer] = line.split(' | ').map((s) => s.trim());
    return { name: name!, sent: hex(sent!), answer: answer === 'nothing' ? 'nothing' : hex(answer!) };
  });
}

const quietMs = 400;

describe('SPEC.md §2.4 and §8: what a register answers to the bytes it receives', () => {
  it.each(exchanges().map((e) => [e.name, e] as const))('%s', async (_, exchange) => {
    // Public firmware, untimed: the answers the SPEC gives hold whatever the register offers beyond the minimum.
    const simulator = new RegisterSimulator({ state: createFactoryState({}), timing: { timed: false, interByteTimeoutMs: 50 }, profile: parseSimulatorProfile('public') });
    const { host, device } = createMemoryTransportPair('memory:spec');
    await simulator.attach(device);
    await host.open();
    const received: number[] = [];
    host.onData((chunk) => received.push(...chunk));
    try {
      await host.write(exchange.sent);
      const expected = exchange.answer === 'nothing' ? 0 : exchange.answer.length;
      for (let waited = 0; waited < quietMs && (expected === 0 || received.length < expected); waited += 10) await new Promise((r) => setTimeout(r, 10));
      if (exchange.answer === 'nothing') expect(received).toEqual([]);
      else expect(Uint8Array.from(received)).toEqual(exchange.answer);
      expect(simulator.internalErrors).toEqual([]);
    } finally {
      await simulator.close();
      await host.close();
    }
  });
});

describe('SPEC.md §5.13: the self-check names of diagnostics are the table\'s', () => {
  it('names 5C–61 as the SPEC table does', () => {
    const rows = [...spec.matchAll(/^\| (5[C-F]|6[01]) \| (\w+) \| ([^|]+) \|$/gm)].map((m) => ({ code: m[1], check: m[2], name: m[3]!.trim() }));
    expect(rows.map((r) => r.check)).toEqual([...selfCheckKinds]);
    for (const row of rows) expect(selfCheckLabels[row.check as keyof typeof selfCheckLabels].en, row.code).toBe(row.name);
  });
});
