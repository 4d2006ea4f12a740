import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findRemovableVolumes, systemStickRoots } from '../../../drivers/stick/RemovableVolumes.js';
import { packageKeys } from '../../../protocols/fwrepo/index.js';
import type { FwpkgPublicKey } from '../../../protocols/fwpkg/index.js';
import { repositoryRoutes } from '../../api/routes/repositoryRoutes.js';
import type { PackageStore } from '../../services/packages/PackageStore.js';
import { RepositoryClient, type PackageKeeper } from '../../services/repository/RepositoryClient.js';
import { RepositoryService, STICK_REPOSITORY_FOLDER, type RepositorySettings } from '../../services/repository/RepositoryService.js';
import { TrustedState } from '../../services/repository/TrustedState.js';
import type { Area, AreaDeps } from './Area.js';

const repositoryDir = (dataDir: string) => join(dataDir, 'repository');

/**
 * The keys the trusted repository root lists for packages, read at each call (a rotation counts at once), for
 * the packages store: a package fetched from the repository is then verified for use like an upload.
 */
export function repositoryPackageKeys(dataDir: string, settings: RepositorySettings): () => Promise<readonly FwpkgPublicKey[]> {
  const state = new TrustedState(join(repositoryDir(dataDir), 'trusted'));
  return async () => {
    const trusted = await state.load(settings.root).catch(() => undefined);
    return trusted ? packageKeys(trusted.root.signed) : [];
  };
}

/**
 * The vendor repository (issue 12): metadata under `<data-dir>/repository`, packages fetched into the packages
 * area's store (`operator` "repository"), the `/v1/repository` routes. No job kind: a fetch runs in its request.
 */
export async function repositoryArea(deps: AreaDeps, options: { readonly settings: RepositorySettings; readonly store: PackageStore }): Promise<Area> {
  const logger = deps.logger.child({ area: 'repository' });
  const keeper: PackageKeeper = {
    async keep(file) {
      const { stored, created } = await options.store.receive(createReadStream(file), { operator: 'repository' });
      return { id: stored.id, created };
    },
    keptIds: async () => new Set((await options.store.list()).map((p) => p.id)),
    maxBytes: options.store.maxBytes,
  };
  const client = new RepositoryClient({ dir: repositoryDir(deps.dataDir), ...(options.settings.root === undefined ? {} : { initialRoot: options.settings.root }), keeper, logger });
  const service = new RepositoryService(client, {
    settings: options.settings, keeper, logger,
    servedModels: () => deps.registers.list().flatMap((device) => (device.identity?.model ? [device.identity.model] : [])),
    // The system's removable volumes, or --simulate's stick.
    async stickRepository() {
      for (const volume of await findRemovableVolumes(deps.stick?.roots ?? systemStickRoots)) {
        const folder = join(volume.mountPoint, STICK_REPOSITORY_FOLDER);
        if (await stat(join(folder, 'root.json')).then((s) => s.isFile(), () => false)) return folder;
      }
      return undefined;
    },
  });
  try {
    const trusted = await client.trusted();
    if (trusted) logger.info({ repository: options.settings.url, root: trusted.root.signed.version, verifiedAt: trusted.record?.verifiedAt }, 'vendor repository');
  } catch (error) {
    logger.warn({ err: error, root: options.settings.root }, 'the configured repository root is not usable; fetching is refused until it is');
  }
  return { plugins: [repositoryRoutes({ service })], definitions: [] };
}
