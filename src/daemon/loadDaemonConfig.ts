import { parseArgs } from 'node:util';
import { GatewayError } from '../../contracts/errors/index.js';
import { readConfigFile, resolveConfig, type DaemonConfig } from './config.js';

type Layer = Record<string, unknown>;

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new GatewayError('CONFIG_INVALID', { params: { detail: `${name} must be a number, not "${text}"` } });
  return value;
}

function json(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: `${name} must be JSON, not "${text}"` } });
  }
}

function bool(name: string, text: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off|)$/i.test(text)) return false;
  throw new GatewayError('CONFIG_INVALID', { params: { detail: `${name} must be true or false, not "${text}"` } });
}

/** Each setting's environment form; names follow the flags (`--data-dir` → FISCALD_DATA_DIR). */
export function environmentLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = {};
  const retention: Layer = {};
  const devices: Layer = {};
  const repository: Layer = {};
  const limits: Layer = {};
  const get = (name: string) => env[name];
  if (get('FISCALD_LISTEN') !== undefined) layer.listen = get('FISCALD_LISTEN');
  if (get('FISCALD_ALLOW_REMOTE') !== undefined) layer.allowRemote = bool('FISCALD_ALLOW_REMOTE', get('FISCALD_ALLOW_REMOTE')!);
  if (get('FISCALD_DATA_DIR')) layer.dataDir = get('FISCALD_DATA_DIR');
  if (get('FISCALD_TRUSTED_KEYS')) layer.trustedKeys = get('FISCALD_TRUSTED_KEYS');
  if (get('FISCALD_CORS_ORIGINS') !== undefined) layer.corsOrigins = list(get('FISCALD_CORS_ORIGINS')!);
  if (get('FISCALD_ALLOWED_HOSTS') !== undefined) layer.allowedHosts = list(get('FISCALD_ALLOWED_HOSTS')!);
  if (get('FISCALD_SIMULATE') !== undefined) layer.simulate = number('FISCALD_SIMULATE', get('FISCALD_SIMULATE')!);
  if (get('FISCALD_SIMULATOR_TIMING') !== undefined) layer.simulatorTiming = json('FISCALD_SIMULATOR_TIMING', get('FISCALD_SIMULATOR_TIMING')!);
  if (get('FISCALD_SIMULATOR_PROFILE')) layer.simulatorProfile = get('FISCALD_SIMULATOR_PROFILE');
  if (get('FISCALD_REGISTER_UTC_OFFSET')) layer.registerUtcOffset = get('FISCALD_REGISTER_UTC_OFFSET');
  if (get('FISCALD_RETENTION_YEARS') !== undefined) retention.recordYears = number('FISCALD_RETENTION_YEARS', get('FISCALD_RETENTION_YEARS')!);
  if (get('FISCALD_BACKUP_MAX_AGE_HOURS') !== undefined) layer.backupMaxAgeHours = number('FISCALD_BACKUP_MAX_AGE_HOURS', get('FISCALD_BACKUP_MAX_AGE_HOURS')!);
  if (get('FISCALD_SHUTDOWN_GRACE_SECONDS') !== undefined) layer.shutdownGraceSeconds = number('FISCALD_SHUTDOWN_GRACE_SECONDS', get('FISCALD_SHUTDOWN_GRACE_SECONDS')!);
  if (get('FISCALD_LOG_LEVEL')) layer.logLevel = get('FISCALD_LOG_LEVEL');
  if (get('FISCALD_DEVICES_ALLOW') !== undefined) devices.allow = list(get('FISCALD_DEVICES_ALLOW')!);
  if (get('FISCALD_MAX_CONNECTIONS') !== undefined) limits.connections = number('FISCALD_MAX_CONNECTIONS', get('FISCALD_MAX_CONNECTIONS')!);
  if (get('FISCALD_MAX_EVENT_STREAMS') !== undefined) limits.eventStreams = number('FISCALD_MAX_EVENT_STREAMS', get('FISCALD_MAX_EVENT_STREAMS')!);
  if (Object.keys(retention).length) layer.retention = retention;
  if (Object.keys(limits).length) layer.limits = limits;
  if (get('FISCALD_REPOSITORY')) repository.url = get('FISCALD_REPOSITORY');
  if (get('FISCALD_REPOSITORY_CA')) repository.ca = get('FISCALD_REPOSITORY_CA');
  if (get('FISCALD_REPOSITORY_ROOT')) repository.root = get('FISCALD_REPOSITORY_ROOT');
  if (Object.keys(devices).length) layer.devices = devices;
  if (Object.keys(repository).length) layer.repository = repository;
  return layer;
}

export interface DaemonInvocation {
  readonly help: boolean;
  readonly version: boolean;
  readonly configFile?: string;
  readonly flags: Layer;
}

/** The command line; `--simulate` alone means `--simulate=2` (DESIGN.md's `--simulate[=N]`). */
export function parseDaemonArgs(argv: readonly string[]): DaemonInvocation {
  const args = argv.map((arg) => (arg === '--simulate' ? '--simulate=2' : arg));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'trusted-keys': { type: 'string' },
        simulate: { type: 'string' },
        'simulator-timing': { type: 'string' },
        'simulator-profile': { type: 'string' },
        'register-utc-offset': { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        'retention-years': { type: 'string' },
        'backup-max-age-hours': { type: 'string' },
        'shutdown-grace-seconds': { type: 'string' },
        'log-level': { type: 'string' },
        allow: { type: 'string', multiple: true },
        repository: { type: 'string' },
        'repository-ca': { type: 'string' },
        'repository-root': { type: 'string' },
      },
    }));
  } catch (cause) {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: (cause as Error).message }, cause });
  }
  const flags: Layer = {};
  if (values.listen !== undefined) flags.listen = values.listen;
  if (values['allow-remote']) flags.allowRemote = true;
  if (values['data-dir'] !== undefined) flags.dataDir = values['data-dir'];
  if (values['trusted-keys'] !== undefined) flags.trustedKeys = values['trusted-keys'];
  if (values.simulate !== undefined) flags.simulate = number('--simulate', values.simulate);
  if (values['simulator-timing'] !== undefined) flags.simulatorTiming = json('--simulator-timing', values['simulator-timing']);
  if (values['simulator-profile'] !== undefined) flags.simulatorProfile = values['simulator-profile'];
  if (values['register-utc-offset'] !== undefined) flags.registerUtcOffset = values['register-utc-offset'];
  if (values['cors-origin']) flags.corsOrigins = values['cors-origin'];
  if (values['allow-host']) flags.allowedHosts = values['allow-host'];
  if (values['retention-years'] !== undefined) flags.retention = { recordYears: number('--retention-years', values['retention-years']) };
  if (values['backup-max-age-hours'] !== undefined) flags.backupMaxAgeHours = number('--backup-max-age-hours', values['backup-max-age-hours']);
  if (values['shutdown-grace-seconds'] !== undefined) flags.shutdownGraceSeconds = number('--shutdown-grace-seconds', values['shutdown-grace-seconds']);
  if (values['log-level'] !== undefined) flags.logLevel = values['log-level'];
  if (values.allow) flags.devices = { allow: values.allow };
  const repository = { url: values.repository, ca: values['repository-ca'], root: values['repository-root'] };
  if (Object.values(repository).some((v) => v !== undefined)) flags.repository = Object.fromEntries(Object.entries(repository).filter(([, v]) => v !== undefined));
  return { help: values.help ?? false, version: values.version ?? false, configFile: values.config, flags };
}

function merge(base: Layer, over: Layer): Layer {
  const out: Layer = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) && below !== null && typeof below === 'object' && !Array.isArray(below)
      ? merge(below as Layer, value as Layer)
      : value;
  }
  return out;
}

/** Defaults < config file (`--config` or FISCALD_CONFIG) < environment < flags, validated as one. */
export function loadDaemonConfig(invocation: DaemonInvocation, env: NodeJS.ProcessEnv = process.env): DaemonConfig {
  const file = invocation.configFile ?? env.FISCALD_CONFIG;
  const fileLayer = file ? readConfigFile(file) : {};
  return resolveConfig(merge(merge(fileLayer, environmentLayer(env)), invocation.flags));
}
