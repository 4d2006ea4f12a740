import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { createLogger } from '../log.js';
import { notifySystemdReady } from './systemdNotify.js';
import { createDeviceSide } from './createDeviceSide.js';
import { Daemon } from './Daemon.js';
import { ensureToken, prepareDataDir } from './dataDir.js';
import { daemonHelp } from './helpText.js';
import { loadDaemonConfig, parseDaemonArgs } from './loadDaemonConfig.js';
import type { SimulationLoader } from './Simulation.js';
import { gatewayVersion } from './version.js';

function fail(error: unknown): never {
  const gateway = isGatewayError(error)
    ? error
    : new GatewayError('INTERNAL', { params: { detail: error instanceof Error ? error.message : String(error) }, cause: error });
  const remedy = gateway.remedy('en');
  process.stderr.write(`fiscald: ${gateway.localized('en')} (${gateway.code})\nfiscald: ${gateway.localized('zh-CN')}\n${remedy ? `${remedy}\n` : ''}`);
  if (!isGatewayError(error) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(gateway.spec.exit);
}

export interface FiscaldEntry {
  /** Loads the simulation for `--simulate` (bin/fiscald.js passes a loader of fixtures/simulate); never loaded otherwise. */
  readonly loadSimulation?: SimulationLoader;
}

/** fiscald: parses `argv`, prepares the data dir and token, starts the daemon and stops it on SIGTERM, SIGINT or SIGHUP. */
export async function runFiscald(argv: readonly string[], entry: FiscaldEntry = {}): Promise<void> {
  let daemon: Daemon;
  try {
    const invocation = parseDaemonArgs([...argv]);
    if (invocation.help) {
      process.stdout.write(daemonHelp);
      process.exit(0);
    }
    if (invocation.version) {
      process.stdout.write(`${gatewayVersion}\n`);
      process.exit(0);
    }
    const config = loadDaemonConfig(invocation);
    const logger = createLogger({ level: config.logLevel, base: { pid: process.pid, name: 'fiscald' } });
    prepareDataDir(config.dataDir, logger);
    const { token, created } = ensureToken(config.dataDir, logger);
    if (created) logger.info({ path: `${config.dataDir}/token` }, 'created the API token');
    const { loadSimulation } = entry;
    daemon = await Daemon.start({
      config, token, logger, version: gatewayVersion,
      devices: (context) => createDeviceSide({ config, logger, context, ...(loadSimulation === undefined ? {} : { loadSimulation }) }),
    });
    const stop = (signal: string) => {
      void daemon.shutdown(signal).then((outcome) => {
        if (outcome === 'stopped') process.exit(0);
        process.stderr.write('fiscald: refusing to stop while a firmware or card write is running; stop again once it has ended (fiscalctl jobs)\n'
          + 'fiscald: 正在写入固件或卡片，拒绝停止；请在其结束后再停止\n');
      }, (error: unknown) => fail(error));
    };
    // A closed terminal (SIGHUP) or Ctrl-C (SIGINT) stops fiscald as a service manager does: a critical step finishes first.
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
    await notifySystemdReady(process.env, logger);
  } catch (error) {
    fail(error);
  }
}
