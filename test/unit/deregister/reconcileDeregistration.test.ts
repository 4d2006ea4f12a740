import { describe, expect, it } from 'vitest';
import { reconcileDeregistration } from '../../../src/services/deregister/reconcileDeregistration.js';

describe('reconciling a deregistration', () => {
  it('runs again under the same job with the request the job was given (nothing it does changes fiscal data)', async () => {
    const seen: unknown[] = [];
    const outcome = reconcileDeregistration({ params: { allowUndeclared: true, note: '税务局通知 2026-12' } }, (request) => async () => {
      seen.push(request);
      return 'done again';
    });
    expect(outcome.state).toBe('resume');
    expect(await outcome.run({} as never)).toBe('done again');
    expect(seen).toEqual([{ allowUndeclared: true, note: '税务局通知 2026-12' }]);
    expect(() => reconcileDeregistration({ params: { pin: '00' } }, () => async () => undefined)).toThrow();
  });
});
