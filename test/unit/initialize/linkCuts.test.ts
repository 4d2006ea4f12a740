import { describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { isGatewayError, type GatewayError } from '../../../contracts/errors/index.js';
import type { ChangeStatement } from '../../../src/services/initialize/changeStatement.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import type { InitializationTarget, RegisterPort } from '../../../src/services/initialize/RegisterPort.js';
import { RecordingReporter, startSimulatedRegister, type SimulatedRegister } from './harness.js';

/**
 * The register and cards as the run sees them, counting every exchange (a GB-link command, an APDU
 * through a slot, a card reset). At exchange `cutAt` the simulator is told to cut the cable: `rx`
 * before the command reaches the register, `tx` after it acted but before its answer gets back.
 */
function countingTarget(register: SimulatedRegister, cutAt: number | undefined, direction: 'rx' | 'tx') {
  let count = 0;
  const tick = () => {
    count += 1;
    if (count === cutAt) register.sim.setFaults({ faults: [{ kind: 'cut', direction, at: 0, mode: 'close' }] });
  };
  const inner = register.target;
  const channel = (c: CardChannel): CardChannel => ({
    description: c.description,
    transmit: (apdu) => { tick(); return c.transmit(apdu); },
    reset: () => { tick(); return c.reset(); },
  });
  const port = inner.register;
  const wrapped: RegisterPort = {
    factoryData: () => { tick(); return port.factoryData(); },
    userInfo: () => { tick(); return port.userInfo(); },
    taxItems: () => { tick(); return port.taxItems(); },
    dateTime: () => { tick(); return port.dateTime(); },
    status: () => { tick(); return port.status(); },
    initialize: (data) => { tick(); return port.initialize(data); },
    cardChannel: (slot) => channel(port.cardChannel(slot)),
  };
  const target: InitializationTarget = { deviceId: inner.deviceId, register: wrapped, cards: { fiscal: channel(inner.cards.fiscal), user: channel(inner.cards.user) } };
  return { target, count: () => count };
}

async function cleanRunShape(): Promise<{ total: number; authStart: number }> {
  const register = await startSimulatedRegister();
  try {
    const dry = await dryRunInitialization(register.target, register.deps);
    const counting = countingTarget(register, undefined, 'tx');
    let authStart = 0;
    const reporter = new RecordingReporter();
    const stage = reporter.stage.bind(reporter);
    reporter.stage = (id) => { if (id === 'authenticate') authStart = counting.count() + 1; stage(id); };
    await runInitialization(counting.target, register.deps, { token: dry.confirmation!.token }, reporter);
    return { total: counting.count(), authStart };
  } finally {
    await register.close();
  }
}

describe('a link cut at every step of the real run', async () => {
  const shape = await cleanRunShape();
  // One cut in the re-check stands for all of them (reads only); every exchange from the authentication on is cut.
  const points = [2, ...Array.from({ length: shape.total - shape.authStart + 1 }, (_, i) => shape.authStart + i)];

  it('counts the exchanges of a clean run', () => {
    expect(shape.authStart).toBeGreaterThan(10);
    expect(shape.total - shape.authStart).toBeGreaterThanOrEqual(8);
  });

  const seen = new Set<string>();

  for (const direction of ['rx', 'tx'] as const) {
    for (const k of points) {
      it(`cut ${direction === 'rx' ? 'before' : 'after'} exchange ${k}: the next dry run tells the state and init then completes or refuses with the reason`, async () => {
        const register = await startSimulatedRegister();
        try {
          const dry = await dryRunInitialization(register.target, register.deps);
          const counting = countingTarget(register, k, direction);
          const failure = await runInitialization(counting.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter())
            .then(() => undefined, (e: unknown) => e as GatewayError);
          // Never reported as done while the link was cut under it.
          expect(isGatewayError(failure)).toBe(true);

          const registered = register.set.fiscal.registered;
          const initialized = register.sim.memory.initialized;
          // Every failure says what was changed, and what it says is true.
          const changed = failure!.data.changed as ChangeStatement;
          expect(changed).toBeDefined();
          if (changed.fiscalCardRegistered !== 'unknown') expect(changed.fiscalCardRegistered).toBe(registered);
          if (changed.registerInitialized !== 'unknown') expect(changed.registerInitialized).toBe(initialized);
          // Once the register holds the PIN, the gateway keeps no copy of it.
          const kept = await register.memory.get(register.fiscalCardNumber);
          if (initialized) expect(kept?.pin ?? null).toBeNull();

          await register.reconnect();
          const next = await dryRunInitialization(register.target, register.deps);
          seen.add(next.plan);
          seen.add(changed.state);
          if (initialized) {
            expect(next.plan).toBe('verify');
          } else if (registered) {
            expect(['write', 'none']).toContain(next.plan);
          } else {
            expect(next.plan).toBe('fresh');
          }
          if (!next.ok && next.error?.code === 'INIT_PIN_IN_DOUBT') {
            // GB link 30 went out with the PIN and the register is not initialized: the PIN may be stale, so the
            // dry run asks first; with consent (resendPin) the run goes on (here the card never saw the PIN).
            expect(registered && !initialized).toBe(true);
            seen.add('pin-in-doubt');
            const consented = await dryRunInitialization(register.target, register.deps, { resendPin: true });
            expect(consented.ok).toBe(true);
            const resent = await runInitialization(register.target, register.deps, { token: consented.confirmation!.token, resendPin: true }, new RecordingReporter());
            expect(resent.readBack.every((f) => f.matches)).toBe(true);
            return;
          }
          if (!next.ok) {
            // The only state the gateway cannot continue: the card registered and its PIN lost with the answer.
            expect(registered && !initialized).toBe(true);
            expect(next.error?.code).toBe('INIT_FISCAL_CARD_REGISTERED');
            expect(next.checks.find((c) => c.id === 'fiscal-card-not-registered')?.actual).toMatch(/interrupted initialization/);
            return;
          }
          const done = await runInitialization(register.target, register.deps, { token: next.confirmation!.token }, new RecordingReporter());
          expect(done.readBack.every((f) => f.matches)).toBe(true);
          expect(register.sim.memory.initialized).toBe(true);
          expect(await register.memory.get(done.fiscalCardNumber)).toBeUndefined();
        } finally {
          await register.close();
        }
      });
    }
  }

  it('met every state a cut can leave: fresh, resume at write, resume at read-back, and the registered card without PIN', () => {
    expect([...seen].sort()).toEqual(expect.arrayContaining([
      'fresh', 'write', 'verify', 'none', 'unchanged', 'nothing-changed', 'registration-in-doubt', 'write-in-doubt', 'written-unverified', 'pin-in-doubt',
    ]));
  });
});
