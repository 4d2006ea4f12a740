import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { GatewayError } from '../../contracts/errors/index.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, registerTimeZoneSchema } from '../../protocols/gb-link/registerTimeZone.js';
import { discoveryConfigSchema } from '../devices/discovery/discoveryConfig.js';
import { MINIMUM_RECORD_YEARS } from '../store/retention.js';
import { isLoopback, parseListen, type ListenAddress } from './listenAddress.js';
import { DEFAULT_LISTEN, defaultDataDir } from './paths.js';

const origin = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}, { message: 'expected an origin such as https://console.example (scheme, host, optional port, no path)' });

/** Everything fiscald can be told, from the file, the environment or the command line. */
export const daemonConfigSchema = z.strictObject({
  listen: z.string().default(DEFAULT_LISTEN),
  /** Required to listen on anything but loopback: the API then reaches beyond this PC. */
  allowRemote: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
  /** Default `<data-dir>/trusted-keys`. */
  trustedKeys: z.string().min(1).optional(),
  corsOrigins: z.array(origin).default([]),
  /** Host names accepted besides the loopback ones (only with allowRemote). */
  allowedHosts: z.array(z.string().regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/i)).default([]),
  /** N simulated registers instead of hardware (0 = real hardware). */
  simulate: z.number().int().min(0).max(16).default(0),
  /**
   * How slow the simulated registers are (self-check, flash write, turnaround…), for demos and tests; each
   * figure is checked by the simulation when `--simulate` loads it (fixtures/simulate).
   */
  simulatorTiming: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
  /**
   * The firmware the simulated registers run (fixtures/simulator/SimulatorProfile.ts): `public` (no 70–7F, no 3C),
   * `no-72` and the like, `max-message=4096`, joined with `+`; checked by the simulation when it loads.
   */
  simulatorProfile: z.string().min(1).max(200).optional(),
  /**
   * The register time zone (SPEC.md §4.1): registers keep wall-clock time with no zone on the wire. Given as
   * `+08:00` (the default, China Standard Time), `-05:00` or `Z`; parsed to minutes east of UTC. The one setting
   * initialization, diagnostics, backup and the simulated registers use.
   */
  registerUtcOffset: registerTimeZoneSchema.default(DEFAULT_REGISTER_UTC_OFFSET_MINUTES),
  retention: z.strictObject({
    recordYears: z.number().int().min(MINIMUM_RECORD_YEARS, { message: `service records are kept at least ${MINIMUM_RECORD_YEARS} years` }).default(MINIMUM_RECORD_YEARS),
    jobEventDays: z.number().int().min(1).default(90),
    idempotencyHours: z.number().int().min(1).default(24),
  }).prefault({}),
  /** The newest verified backup a firmware upgrade or repair may rely on. */
  backupMaxAgeHours: z.number().positive().default(1),
  /** How long shutdown waits for a critical step (firmware or card write) before refusing to stop. */
  shutdownGraceSeconds: z.number().int().min(1).max(3600).default(120),
  /** The HTTP edge's caps: connections open at once, and job event streams (SSE) among them; over either, 503 with Retry-After. */
  limits: z.strictObject({
    connections: z.number().int().min(1).max(10_000).default(128),
    eventStreams: z.number().int().min(1).max(10_000).default(32),
  }).prefault({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  devices: discoveryConfigSchema.prefault({}),
  /** The vendor repository of signed metadata (protocols/fwrepo/SPEC.md): where, its CA bundle, and the first trusted root. */
  repository: z.strictObject({
    /** `https://…/` or an absolute folder path (`file://` too). */
    url: z.string().refine((text) => /^https:\/\/[^/]/i.test(text) || text.startsWith('file:') || text.startsWith('/'), { message: 'expected an https:// URL or an absolute folder path' }).optional(),
    /** CA bundle (PEM) for the HTTPS repository; the system's CAs when absent. */
    ca: z.string().min(1).optional(),
    /** The vendor's root.json trusted first (later roots are followed by rotation). */
    root: z.string().min(1).optional(),
  }).prefault({}),
});

export type DaemonConfigInput = z.input<typeof daemonConfigSchema>;

export interface DaemonConfig extends Omit<z.output<typeof daemonConfigSchema>, 'listen' | 'dataDir' | 'trustedKeys'> {
  readonly listen: ListenAddress;
  readonly dataDir: string;
  readonly trustedKeys: string;
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates the merged layers and applies the rules that span fields (loopback unless allowRemote). */
export function resolveConfig(input: Record<string, unknown>): DaemonConfig {
  const parsed = daemonConfigSchema.safeParse(input);
  if (!parsed.success) throw new GatewayError('CONFIG_INVALID', { params: { detail: describe(parsed.error) } });
  const raw = parsed.data;
  const listen = parseListen(raw.listen);
  if (!isLoopback(listen.host) && !raw.allowRemote) throw new GatewayError('LISTEN_NOT_LOOPBACK', { params: { host: listen.host } });
  if (raw.allowedHosts.length > 0 && !raw.allowRemote) {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: 'allowedHosts needs allowRemote' } });
  }
  const dataDir = raw.dataDir ?? defaultDataDir();
  return { ...raw, listen, dataDir, trustedKeys: raw.trustedKeys ?? join(dataDir, 'trusted-keys') };
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: `cannot read ${path}: ${(cause as Error).message}` }, cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: `${path} is not a JSON object: ${(cause as Error).message}` }, cause });
  }
}
