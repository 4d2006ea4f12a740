import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { RepositoryClient} from './RepositoryClient.js';
import { type DownloadProgress, type FetchedTarget, type PackageKeeper } from './RepositoryClient.js';
import { sourceFor, type RepositorySource } from './RepositorySource.js';
import { packageView, repositoryStatus, type RemotePackageView, type RepositoryStatus } from './repositoryStatus.js';

export interface RepositorySettings {
  /** `--repository`: https://… or a folder. */
  readonly url?: string;
  /** `--repository-ca`: PEM file. */
  readonly ca?: string;
  /** `--repository-root`: the first trusted root.json. */
  readonly root?: string;
}

export interface FetchRequest {
  readonly model?: string;
  readonly all?: boolean;
  /** A folder (a stick) or URL to read instead of the configured repository, verified the same way. */
  readonly from?: string;
  /** The repository on a mounted USB stick (STICK_REPOSITORY_FOLDER), verified the same way. */
  readonly fromStick?: boolean;
}

/** Where a repository is looked for on a USB stick: `public/` of the vendor's folder copied as this folder. */
export const STICK_REPOSITORY_FOLDER = 'FISCAL/REPOSITORY';

export interface FetchOutcome {
  readonly fetched: readonly (RemotePackageView & { readonly downloaded: boolean })[];
  /** Models fetched for when none was named: those of the registers the gateway serves. */
  readonly models: readonly string[];
  readonly status: RepositoryStatus;
}

/**
 * The repository as the API offers it: the configured source (or a folder given per request), the client, and
 * the status view. Refusals are the client's GatewayErrors.
 */
export class RepositoryService {
  constructor(
    readonly client: RepositoryClient,
    private readonly options: {
      readonly settings: RepositorySettings; readonly keeper: PackageKeeper; readonly logger: Logger;
      /** Models of the registers the gateway serves (the default selection). */
      readonly servedModels: () => readonly string[];
      /** The STICK_REPOSITORY_FOLDER of the first mounted removable volume that holds one (its root.json). */
      readonly stickRepository?: () => Promise<string | undefined>;
      readonly now?: () => Date;
    },
  ) {}

  private async source(from?: string): Promise<RepositorySource> {
    const location = from ?? this.options.settings.url;
    if (location === undefined) throw new GatewayError('REPO_NOT_CONFIGURED', { params: { detail: 'no repository URL (fiscald --repository, FISCALD_REPOSITORY or repository.url)' } });
    let ca: Buffer | undefined;
    if (this.options.settings.ca !== undefined) {
      ca = await readFile(this.options.settings.ca).catch((cause: NodeJS.ErrnoException) => {
        throw new GatewayError('REPO_NOT_CONFIGURED', { params: { detail: `cannot read the CA bundle ${this.options.settings.ca}: ${cause.code ?? cause.message}` }, cause });
      });
    }
    return sourceFor(location, ca);
  }

  async status(): Promise<RepositoryStatus> {
    const download = this.client.progress;
    return repositoryStatus({
      // No trusted root yet (none configured, or its file unreadable): the view says so instead of failing.
      repository: this.options.settings.url ?? null, trusted: await this.client.trusted().catch((error: unknown) => {
        if (error instanceof GatewayError) return undefined;
        throw error;
      }), kept: await this.options.keeper.keptIds(),
      now: this.options.now?.() ?? new Date(), ...(download ? { download } : {}),
    });
  }

  async refresh(from?: string): Promise<RepositoryStatus> {
    await this.client.refresh(await this.source(from));
    return this.status();
  }

  async fetch(request: FetchRequest, onProgress?: (progress: DownloadProgress) => void): Promise<FetchOutcome> {
    const models = request.model !== undefined ? [request.model] : request.all ? [] : [...new Set(this.options.servedModels())];
    const served = request.model === undefined && !request.all;
    let from = request.from;
    if (request.fromStick) {
      from = await this.options.stickRepository?.();
      if (from === undefined) throw new GatewayError('REPO_STICK_NOT_FOUND', { params: { folder: `${STICK_REPOSITORY_FOLDER}/root.json` } });
    }
    const { fetched } = await this.client.fetch(await this.source(from), { all: request.all ?? false, models, skipMissing: served }, onProgress);
    const kept = await this.options.keeper.keptIds();
    return { fetched: fetched.map((f: FetchedTarget) => ({ ...packageView(f.target, kept), downloaded: f.downloaded })), models, status: await this.status() };
  }
}
