import type { Metadata, Target } from '../../../protocols/fwrepo/index.js';
import { packageIdOf, type DownloadProgress } from './RepositoryClient.js';
import type { Trusted } from './TrustedState.js';

export interface MetadataView {
  readonly version: number;
  readonly expires: string;
  readonly expired: boolean;
}

export interface RemotePackageView {
  readonly name: string;
  readonly models: readonly string[];
  readonly version: string;
  readonly length: number;
  readonly sha256: string;
  readonly paths: readonly string[];
  /** The id it has (or will have) in the packages store. */
  readonly packageId: string;
  /** Verified and kept: usable by an upgrade, online or not. */
  readonly cached: boolean;
}

/**
 * What the gateway knows of its repository, and how old that knowledge is. It never says "latest": the
 * packages are those the metadata verified at `verifiedAt` listed (`current` false once the timestamp expired).
 */
export interface RepositoryStatus {
  /** The configured repository (URL or folder), null when none. */
  readonly repository: string | null;
  readonly root: MetadataView | null;
  readonly timestamp: MetadataView | null;
  readonly snapshot: MetadataView | null;
  readonly targets: MetadataView | null;
  /** When timestamp, snapshot and targets last verified, and from where. */
  readonly verifiedAt: string | null;
  readonly source: string | null;
  /** Seconds since verifiedAt. */
  readonly ageSeconds: number | null;
  /** Whether the trusted timestamp is still within its expiry (fresh enough to speak for the repository). */
  readonly current: boolean;
  readonly packages: readonly RemotePackageView[];
  readonly download: DownloadProgress | null;
}

function view(document: Metadata | undefined, now: Date): MetadataView | null {
  if (!document) return null;
  return { version: document.signed.version, expires: document.signed.expires, expired: Date.parse(document.signed.expires) <= now.getTime() };
}

export function packageView(target: Target, kept: ReadonlySet<string>): RemotePackageView {
  return {
    name: target.name, models: target.models, version: target.version, length: target.length, sha256: target.sha256, paths: target.paths,
    packageId: packageIdOf(target), cached: kept.has(packageIdOf(target)),
  };
}

export function repositoryStatus(input: {
  readonly repository: string | null; readonly trusted: Trusted | undefined; readonly kept: ReadonlySet<string>; readonly now: Date; readonly download?: DownloadProgress;
}): RepositoryStatus {
  const { trusted, now } = input;
  const timestamp = view(trusted?.timestamp, now);
  const verifiedAt = trusted?.record?.verifiedAt ?? null;
  return {
    repository: input.repository,
    root: view(trusted?.root, now), timestamp, snapshot: view(trusted?.snapshot, now), targets: view(trusted?.targets, now),
    verifiedAt, source: trusted?.record?.source ?? null,
    ageSeconds: verifiedAt === null ? null : Math.max(0, Math.round((now.getTime() - Date.parse(verifiedAt)) / 1000)),
    current: timestamp !== null && !timestamp.expired,
    packages: (trusted?.targets?.signed.targets ?? []).map((t) => packageView(t, input.kept)),
    download: input.download ?? null,
  };
}
