import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { FactsFingerprint } from './factsFingerprint.js';

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: string;
}

interface Entry {
  readonly deviceId: string;
  readonly fingerprint: FactsFingerprint;
  readonly expiresAtMs: number;
}

/**
 * Single-use, short-lived confirmation tokens: a dry run whose checks all passed gets one, bound to
 * the device and to the facts it checked; the real run redeems it once. Tokens live in memory only:
 * a daemon restart voids them, which only costs a new dry run. Never logged.
 */
export class ConfirmationTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: { ttlMs: number; now?: () => number } = { ttlMs: 5 * 60_000 }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  issue(deviceId: string, fingerprint: FactsFingerprint): IssuedToken {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    const expiresAtMs = this.now() + this.options.ttlMs;
    this.entries.set(token, { deviceId, fingerprint, expiresAtMs });
    return { token, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /**
   * Refuses, without spending it, a token that redeem would refuse: the API answers a wrong token at
   * once instead of starting a job that can only fail.
   */
  check(token: string, deviceId: string): void {
    this.valid(this.entries.get(token), deviceId);
  }

  /** Takes the token out (it is spent even when the run then refuses) and answers the facts it was bound to. */
  redeem(token: string, deviceId: string): FactsFingerprint {
    const entry = this.entries.get(token);
    this.entries.delete(token);
    return this.valid(entry, deviceId).fingerprint;
  }

  private valid(entry: Entry | undefined, deviceId: string): Entry {
    if (entry === undefined) throw new GatewayError('INIT_TOKEN_INVALID', { params: { reason: 'unknown or already used' } });
    if (entry.expiresAtMs < this.now()) throw new GatewayError('INIT_TOKEN_INVALID', { params: { reason: 'expired' } });
    if (entry.deviceId !== deviceId) throw new GatewayError('INIT_TOKEN_INVALID', { params: { reason: `issued for device ${entry.deviceId}` } });
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAtMs < now) this.entries.delete(token);
  }
}
