import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegisters } from '../../../fixtures/simulate/simulatedRegisters.js';
import type { SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { epochOfLocal } from '../../../protocols/gb-link/registerTimeZone.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';

const opened: SimulatedRegister[] = [];
afterEach(async () => {
  for (const register of opened.splice(0)) await register.close();
});

async function clockOf(utcOffsetMinutes: number | undefined): Promise<{ zone: number; skewMs: number }> {
  const [register] = await createSimulatedRegisters(1, { logger: pino({ level: 'silent' }), ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }) });
  opened.push(register!);
  const session = await RegisterSession.open(register!.transport, { deviceId: 'tz' });
  const zone = register!.state.clock.utcOffsetMinutes;
  const text = await session.dateTime();
  const skewMs = epochOfLocal(text, zone) - Date.now();
  await session.close();
  return { zone, skewMs };
}

describe('the simulated registers keep their clocks in the register time zone setting', () => {
  it('China Standard Time by default', async () => {
    const { zone, skewMs } = await clockOf(undefined);
    expect(zone).toBe(480);
    expect(Math.abs(skewMs)).toBeLessThan(10 * 60_000);
  });

  it('the zone fiscald is configured with (--simulate passes registerUtcOffset): a UTC register answers 3A in UTC', async () => {
    const { zone, skewMs } = await clockOf(0);
    expect(zone).toBe(0);
    expect(Math.abs(skewMs)).toBeLessThan(10 * 60_000);
  });
});
