import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** The layering messages ESLint, with the project's own eslint.config.js, reports for `source` placed at `path`. */
async function layeringErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layering/dependency-direction').map((m) => m.message);
}

const use = (spec: string): string => `import { x } from '${spec}';\nexport const y = x;\n`;
const load = (spec: string): string => `export const y = () => import('${spec}');\n`;

// [where the file sits, what it imports, why it must be refused]
const forbidden: ReadonlyArray<readonly [string, string, string]> = [
  ['protocols/gb-link/Probe.ts', '../../drivers/serial/SerialTransport.js', 'protocols import nothing but each other'],
  ['protocols/gb-link/Probe.ts', '../../src/devices/RegisterSession.js', 'protocols import nothing but each other'],
  ['protocols/codec/Probe.ts', '../../platform/atomicWrite.js', 'protocols do no I/O'],
  ['protocols/gb-link/Probe.ts', '../../fixtures/simulator/RegisterSimulator.js', 'production never imports fixtures'],
  ['drivers/serial/Probe.ts', '../../protocols/gb-link/index.js', 'drivers import no protocol'],
  ['drivers/serial/Probe.ts', '../../src/devices/Device.js', 'drivers sit below src'],
  ['drivers/stick/Probe.ts', '../../fixtures/cards/cardSet.js', 'production never imports fixtures'],
  ['contracts/Probe.ts', '../protocols/gb-link/index.js', 'contracts is the shared bottom'],
  ['contracts/errors/Probe.ts', '../../src/log.js', 'contracts is the shared bottom'],
  ['platform/Probe.ts', '../drivers/serial/SerialTransport.js', 'platform sits below drivers'],
  ['src/devices/Probe.ts', '../services/backup/BackupStore.js', 'devices sit below services'],
  ['src/devices/session/Probe.ts', '../../jobs/JobRunner.js', 'devices sit below jobs'],
  ['src/devices/Probe.ts', '../../fixtures/simulator/RegisterSimulator.js', 'production never imports fixtures'],
  ['src/services/backup/Probe.ts', '../../../drivers/serial/SerialTransport.js', 'a service never touches a driver'],
  ['src/services/backup/Probe.ts', '../../jobs/JobRunner.js', 'services sit below jobs'],
  ['src/services/backup/Probe.ts', '../../api/ApiContext.js', 'services sit below the API'],
  ['src/services/backup/Probe.ts', '../../daemon/Daemon.js', 'services sit below the composition root'],
  ['src/services/backup/Probe.ts', '../initialize/stepFailure.js', 'services share only src/services/common'],
  ['src/services/common/Probe.ts', '../rolls/openSlotCard.js', 'common is below every service area'],
  ['src/services/backup/Probe.ts', '../../../fixtures/cards/cardSet.js', 'production never imports fixtures'],
  ['src/store/Probe.ts', '../services/backup/BackupStore.js', 'the store sits below services'],
  ['src/jobs/Probe.ts', '../api/ApiContext.js', 'jobs sit below the API'],
  ['src/jobs/Probe.ts', '../daemon/Daemon.js', 'jobs sit below the composition root'],
  ['src/jobs/Probe.ts', '../../drivers/serial/SerialTransport.js', 'only devices (and the root) open drivers'],
  ['src/api/routes/Probe.ts', '../../daemon/Daemon.js', 'the API sits below the composition root'],
  ['src/api/Probe.ts', '../../drivers/pcsc/index.js', 'only devices (and the root) open drivers'],
  ['src/daemon/Probe.ts', '../../fixtures/simulator/RegisterSimulator.js', 'production never imports fixtures'],
  ['src/cli/Probe.ts', '../../drivers/serial/SerialTransport.js', 'the CLI never opens a device'],
  ['src/cli/Probe.ts', '../../fixtures/cards/cardSet.js', 'production never imports fixtures'],
  ['bin/probe.js', '../fixtures/simulate/index.ts', 'the entry point loads the simulation only lazily'],
  ['fixtures/simulator/Probe.ts', '../../test/helpers/pcscd.js', 'fixtures never import tests'],
];

describe('layering rules of DESIGN.md, as lint (npm test runs eslint .)', () => {
  it.each(forbidden)('%s importing %s is reported (%s)', async (path, spec) => {
    const errors = await layeringErrors(path, use(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('may not import');
  });

  it('reports a dynamic import() with a literal path the same way', async () => {
    expect(await layeringErrors('src/daemon/Probe.ts', load('../../fixtures/simulate/index.js'))).toHaveLength(1);
    expect(await layeringErrors('src/services/backup/Probe.ts', load('../../../drivers/serial/SerialTransport.js'))).toHaveLength(1);
  });

  it.each([
    ['protocols/gb-link/Probe.ts', '../codec/index.js'],
    ['protocols/gb-link/Probe.ts', '../../contracts/errors/index.js'],
    ['drivers/serial/Probe.ts', '../../platform/atomicWrite.js'],
    ['src/devices/Probe.ts', '../../drivers/serial/SerialTransport.js'],
    ['src/devices/Probe.ts', '../../protocols/gb-link/index.js'],
    ['src/services/backup/Probe.ts', '../common/progress.js'],
    ['src/services/backup/Probe.ts', './BackupStore.js'],
    ['src/services/backup/Probe.ts', '../../devices/RegisterSession.js'],
    ['src/services/backup/Probe.ts', '../../../platform/atomicWrite.js'],
    ['src/jobs/Probe.ts', '../services/backup/BackupStore.js'],
    ['src/api/Probe.ts', '../jobs/JobRunner.js'],
    ['src/daemon/Probe.ts', '../../drivers/serial/SerialTransport.js'],
    ['fixtures/simulator/Probe.ts', '../../src/devices/RegisterSession.js'],
    ['test/unit/Probe.test.ts', '../../fixtures/simulator/RegisterSimulator.js'],
  ])('%s may import %s', async (path, spec) => {
    expect(await layeringErrors(path, use(spec))).toEqual([]);
  });

  it('lets the entry point load the --simulate wiring with import(), never statically', async () => {
    expect(await layeringErrors('bin/probe.js', load('../fixtures/simulate/index.ts'))).toEqual([]);
    expect(await layeringErrors('bin/probe.js', use('../fixtures/simulate/index.ts'))).toHaveLength(1);
  });

  it('has no allowance left for the files that once reached another room (issue 9 item 4): they get their ports from common', async () => {
    expect(await layeringErrors('src/services/deregister/runDeregistration.ts', use('../backup/ensureVerifiedBackup.js'))).toHaveLength(1);
    expect(await layeringErrors('src/services/deregister/runDeregistration.ts', use('../backup/BackupStore.js'))).toHaveLength(1);
    expect(await layeringErrors('src/services/diagnostics/runDiagnostics.ts', use('../../jobs/types.js'))).toHaveLength(1);
    expect(await layeringErrors('src/services/deregister/runDeregistration.ts', use('../common/BackupGate.js'))).toEqual([]);
    expect(await layeringErrors('src/services/diagnostics/runDiagnostics.ts', use('../common/DeviceRunContext.js'))).toEqual([]);
    expect(await layeringErrors('src/services/changes/runChange.ts', use('../rolls/openSlotCard.js'))).toHaveLength(1);
  });
});
