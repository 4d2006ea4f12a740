import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { compareVersions, ImageMeasurer, type FwpkgPublicKey } from '../../../protocols/fwpkg/index.js';
import {
  checkNotExpired, checkTargetFile, checkTargetManifest, MAX_METADATA_BYTES, packageKeys, ROLE_FILE, rootFileOfVersion, verifyNextRoot, versionedFile,
  verifySnapshot, verifyTargets, verifyTimestamp, type Metadata, type Target,
} from '../../../protocols/fwrepo/index.js';
import { readCapped, type RepositorySource } from './RepositorySource.js';
import { TrustedState, type Trusted } from './TrustedState.js';
import { verifyFwpkgFile } from './verifyFwpkgFile.js';

/** How the packages area keeps a package the repository verified: exactly as an upload (verified again there). */
export interface PackageKeeper {
  keep(file: string): Promise<{ readonly id: string; readonly created: boolean }>;
  /** Ids of the packages kept now (`sha256(file)[0..32]`, protocols/fwpkg/SPEC.md §8). */
  keptIds(): Promise<ReadonlySet<string>>;
  /** The largest package it keeps: a longer target is refused before a byte of it is downloaded. */
  readonly maxBytes?: number;
}

/** A download under way (the status view shows it; the CLI draws it as a progress bar). */
export interface DownloadProgress {
  readonly name: string;
  readonly received: number;
  readonly length: number;
  /** Bytes that were already on disk from an earlier, interrupted download. */
  readonly resumedFrom: number;
}

export interface FetchSelection {
  /** Newest package for each of these models. */
  readonly models?: readonly string[];
  /** Every package the repository lists. */
  readonly all?: boolean;
  /** A model the repository has no package for is passed over instead of refused (the models of the registers served). */
  readonly skipMissing?: boolean;
}

export interface FetchedTarget {
  readonly target: Target;
  readonly packageId: string;
  /** False when the package was already kept (nothing downloaded). */
  readonly downloaded: boolean;
}

export interface RepositoryClientOptions {
  /** `<data-dir>/repository`: `trusted/` (TrustedState) and `downloads/` (partial downloads, resumed). */
  readonly dir: string;
  /** `--repository-root`: the first trusted root. */
  readonly initialRoot?: string;
  readonly keeper: PackageKeeper;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** The longest root chain followed in one update: far above any real rotation history. */
const MAX_ROOT_STEPS = 1024;

export const packageIdOf = (target: Target) => target.sha256.slice(0, 32);

/**
 * The gateway's side of protocols/fwrepo/SPEC.md §6: updates the trusted metadata from a source (HTTPS or a
 * folder), persisting each accepted version, then downloads, verifies and hands over packages. One operation
 * at a time; nothing unverified is kept.
 */
export class RepositoryClient {
  readonly state: TrustedState;
  private running: Promise<unknown> = Promise.resolve();
  private current: DownloadProgress | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: RepositoryClientOptions) {
    this.state = new TrustedState(join(options.dir, 'trusted'));
    this.now = options.now ?? (() => new Date());
  }

  get downloadsDir(): string {
    return join(this.options.dir, 'downloads');
  }

  get progress(): DownloadProgress | undefined {
    return this.current;
  }

  /** The trusted metadata as it is on disk (the configured root becomes trusted the first time). */
  trusted(): Promise<Trusted | undefined> {
    return this.state.load(this.options.initialRoot);
  }

  /** Keys of the trusted root's packages role (none before a root is trusted): the packages store accepts them too. */
  async packageKeys(): Promise<readonly FwpkgPublicKey[]> {
    const trusted = await this.trusted().catch(() => undefined);
    return trusted ? packageKeys(trusted.root.signed) : [];
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work, work);
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Updates the trusted metadata from `source` (SPEC.md §6 steps 1–4). */
  refresh(source: RepositorySource): Promise<Trusted> {
    return this.serial(() => this.update(source));
  }

  /** Updates the metadata, then downloads and keeps the selected packages not kept yet (step 5). */
  fetch(source: RepositorySource, selection: FetchSelection, onProgress?: (progress: DownloadProgress) => void): Promise<{ trusted: Trusted; fetched: FetchedTarget[] }> {
    return this.serial(async () => {
      const trusted = await this.update(source);
      const targets = select(trusted.targets!.signed.targets, selection);
      const kept = await this.options.keeper.keptIds();
      const fetched: FetchedTarget[] = [];
      for (const target of targets) {
        if (kept.has(packageIdOf(target))) {
          fetched.push({ target, packageId: packageIdOf(target), downloaded: false });
          continue;
        }
        const limit = this.options.keeper.maxBytes;
        if (limit !== undefined && target.length > limit) throw new GatewayError('FWPKG_TOO_LARGE', { params: { limit } });
        const file = await this.download(source, target, onProgress);
        await verifyFwpkgFile(file, packageKeys(trusted.root.signed)).then((verified) => checkTargetManifest(verified.manifest, target)).catch(async (error: unknown) => {
          await rm(file, { force: true });
          throw error;
        });
        const { id } = await this.options.keeper.keep(file);
        await rm(file, { force: true });
        this.options.logger.info({ target: target.name, packageId: id, version: target.version, models: target.models, source: source.location }, 'package fetched from the repository, verified and kept');
        fetched.push({ target, packageId: id, downloaded: true });
      }
      return { trusted, fetched };
    });
  }

  private async update(source: RepositorySource): Promise<Trusted> {
    const now = this.now();
    const start = await this.trusted();
    if (!start) throw new GatewayError('REPO_NOT_CONFIGURED', { params: { detail: 'no trusted root yet: give fiscald --repository-root ROOT.json (the vendor\'s root.json)' } });
    let root = start.root;
    let { timestamp: trustedTimestamp, snapshot: trustedSnapshot, targets: trustedTargets } = start;
    for (let step = 0; step < MAX_ROOT_STEPS; step += 1) {
      const name = rootFileOfVersion(root.signed.version + 1);
      const body = await source.open(name);
      if (!body) break;
      const next = verifyNextRoot(await readCapped(body, MAX_METADATA_BYTES.root, name), root.signed);
      // Fast-forward recovery (SPEC.md §5): a role whose keys the new root replaces may have signed versions far
      // ahead with a leaked key; what it signed is forgotten (on disk first, so a crash cannot bring it back).
      const replaced = (role: 'timestamp' | 'snapshot' | 'targets') => !sameSet(root.signed.roles[role].keyIds, next.signed.roles[role].keyIds);
      if (replaced('timestamp') || replaced('snapshot')) {
        await this.state.forget(['timestamp', 'snapshot']);
        trustedTimestamp = undefined;
        trustedSnapshot = undefined;
      }
      if (replaced('targets')) {
        await this.state.forget(['targets']);
        trustedTargets = undefined;
      }
      await this.state.saveRoot(next);
      this.options.logger.info({ version: next.signed.version, source: source.location }, 'repository root rotated');
      root = next;
    }
    checkNotExpired(root, now);
    const timestamp = verifyTimestamp(await this.required(source, ROLE_FILE.timestamp, MAX_METADATA_BYTES.timestamp), root.signed, trustedTimestamp, now);
    const snapshotMeta = timestamp.signed.meta['snapshot.json'];
    const snapshot = verifySnapshot(await this.required(source, versionedFile('snapshot', snapshotMeta.version), snapshotMeta.length), root.signed, timestamp, trustedSnapshot, now);
    const targetsMeta = snapshot.signed.meta['targets.json'];
    const targets = verifyTargets(await this.required(source, versionedFile('targets', targetsMeta.version), targetsMeta.length), root.signed, snapshot, trustedTargets, now);
    const record = { verifiedAt: now.toISOString(), source: source.location };
    await this.state.saveChain({ timestamp, snapshot, targets }, record);
    return { root, timestamp, snapshot, targets, record };
  }

  private async required(source: RepositorySource, file: string, max: number): Promise<Uint8Array> {
    const body = await source.open(file);
    if (!body) throw new GatewayError('REPO_UNREACHABLE', { params: { repository: source.location, detail: `${file}: not found` } });
    return readCapped(body, max, file);
  }

  /**
   * A target into `downloads/<sha256>.part`: resumed from what an interrupted download left (HTTP Range), never
   * past the target's length, then the whole file measured against length, SHA-256 and SM3. A file that does
   * not match is deleted (the next try starts over).
   */
  private async download(source: RepositorySource, target: Target, onProgress?: (progress: DownloadProgress) => void): Promise<string> {
    await mkdir(this.downloadsDir, { recursive: true, mode: 0o700 });
    const file = join(this.downloadsDir, `${target.sha256}.part`);
    let have = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (have > target.length) {
      await rm(file, { force: true });
      have = 0;
    }
    try {
      if (have === target.length) {
        checkTargetFile(await measure(file), target);
        return file;
      }
      const body = await source.open(target.name, have);
      if (!body) throw new GatewayError('REPO_UNREACHABLE', { params: { repository: source.location, detail: `${target.name}: not found` } });
      const resumedFrom = body.start;
      // The whole file is measured as it is written: the kept prefix read once, then every chunk that arrives.
      const measurer = new ImageMeasurer();
      if (resumedFrom > 0) for await (const chunk of createReadStream(file, { start: 0, end: resumedFrom - 1, highWaterMark: 256 * 1024 })) measurer.update(chunk as Uint8Array);
      const handle = await open(file, resumedFrom > 0 ? 'a' : 'w', 0o600);
      try {
        if (body.announced !== undefined && resumedFrom + body.announced > target.length) {
          body.close();
          throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file: target.name, length: target.length } });
        }
        let received = resumedFrom;
        this.report({ name: target.name, received, length: target.length, resumedFrom }, onProgress);
        for await (const chunk of body.chunks) {
          received += chunk.length;
          if (received > target.length) {
            body.close();
            throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file: target.name, length: target.length } });
          }
          measurer.update(chunk);
          await handle.write(chunk);
          this.report({ name: target.name, received, length: target.length, resumedFrom }, onProgress);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const digest = measurer.digest();
      checkTargetFile({ length: digest.size, sha256: digest.sha256, sm3: digest.sm3 }, target);
      return file;
    } catch (error) {
      // Kept for a resume: only what an unreachable repository cut short. Anything refused is gone.
      if (!(isGatewayError(error) && error.code === 'REPO_UNREACHABLE')) await rm(file, { force: true });
      throw error;
    } finally {
      this.current = undefined;
    }
  }

  private report(progress: DownloadProgress, onProgress?: (progress: DownloadProgress) => void): void {
    this.current = progress;
    onProgress?.(progress);
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

async function measure(file: string): Promise<{ length: number; sha256: string; sm3: string }> {
  const measurer = new ImageMeasurer();
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) measurer.update(chunk as Uint8Array);
  const digest = measurer.digest();
  return { length: digest.size, sha256: digest.sha256, sm3: digest.sm3 };
}

/** The targets a selection names: every one (`all`), else the newest per model asked for. */
export function select(targets: readonly Target[], selection: FetchSelection): Target[] {
  if (selection.all) return [...targets];
  const chosen = new Map<string, Target>();
  for (const model of selection.models ?? []) {
    const newest = targets.filter((t) => t.models.includes(model)).sort((a, b) => compareVersions(b.version, a.version))[0];
    if (newest) chosen.set(newest.name, newest);
    else if (!selection.skipMissing) throw new GatewayError('REPO_TARGET_NOT_FOUND', { params: { what: model } });
  }
  return [...chosen.values()];
}

export type { Metadata };
