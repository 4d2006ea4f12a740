import { z } from 'zod';
import type { RepositoryService } from '../../services/repository/RepositoryService.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';

const metadataView = z.object({ version: z.number(), expires: z.string(), expired: z.boolean() }).nullable();
const remotePackage = z.object({
  name: z.string(), models: z.array(z.string()), version: z.string(), length: z.number(), sha256: z.string(), paths: z.array(z.string()),
  packageId: z.string(), cached: z.boolean(),
});
const statusSchema = z.object({
  repository: z.string().nullable(), root: metadataView, timestamp: metadataView, snapshot: metadataView, targets: metadataView,
  verifiedAt: z.string().nullable(), source: z.string().nullable(), ageSeconds: z.number().nullable(), current: z.boolean(),
  packages: z.array(remotePackage),
  download: z.object({ name: z.string(), received: z.number(), length: z.number(), resumedFrom: z.number() }).nullable(),
});
const from = z.string().min(1).max(4096).refine((text) => /^https:\/\//i.test(text) || text.startsWith('/') || text.startsWith('file:'), {
  message: 'an https:// URL or an absolute folder path (a stick)',
});

/**
 * The vendor repository (protocols/fwrepo/SPEC.md): `GET /v1/repository` (what is trusted, how old, what is
 * cached), `POST /v1/repository/refresh` (metadata only), `POST /v1/repository/fetch` (metadata, then the
 * packages chosen, verified and kept in the packages store).
 */
export function repositoryRoutes({ service }: { readonly service: RepositoryService }): ApiPlugin {
  return {
    name: 'repository',
    register(app, context) {
      const { catalog } = context;
      defineRoute(app, catalog, {
        method: 'GET', url: '/repository', tags: ['packages'],
        summary: 'The repository: its trusted metadata versions and expiry, when they last verified and how long ago, the packages it lists and which are cached',
        responses: { 200: { description: 'OK', schema: z.object({ repository: statusSchema }) } },
        handler: async () => ({ repository: await service.status() }),
      });

      defineRoute(app, catalog, {
        method: 'POST', url: '/repository/refresh', tags: ['packages'],
        summary: 'Updates the trusted metadata from the repository (or a folder given as from); nothing is downloaded but metadata',
        body: z.strictObject({ from: from.optional() }).optional(),
        responses: {
          200: { description: 'Verified and kept', schema: z.object({ repository: statusSchema }) },
          422: { description: 'Refused (REPO_ROLLBACK, REPO_METADATA_EXPIRED, REPO_THRESHOLD_NOT_MET, REPO_UNKNOWN_KEY, REPO_DIGEST_MISMATCH, REPO_LENGTH_EXCEEDED, REPO_ROOT_VERSION_SKIPPED, REPO_METADATA_MALFORMED)' },
          503: { description: 'REPO_UNREACHABLE: what was trusted before stays trusted' },
        },
        handler: async ({ body }) => ({ repository: await service.refresh(body?.from) }),
      });

      defineRoute(app, catalog, {
        method: 'POST', url: '/repository/fetch', tags: ['packages'],
        summary: 'Updates the metadata, then downloads the newest package for a model (default: the models of the registers served) or all, verifies it (metadata and its own signature) and keeps it for upgrades',
        body: z.strictObject({ model: z.string().min(1).max(20).optional(), all: z.boolean().optional(), from: from.optional(), fromStick: z.boolean().optional() })
          .refine((b) => !(b.from !== undefined && b.fromStick === true), { message: 'from or fromStick, not both' }).optional(),
        responses: {
          200: { description: 'Fetched (or already kept)', schema: z.object({ fetched: z.array(remotePackage.extend({ downloaded: z.boolean() })), models: z.array(z.string()), repository: statusSchema }) },
          404: { description: 'REPO_TARGET_NOT_FOUND, REPO_STICK_NOT_FOUND' },
          422: { description: 'Refused; nothing kept (REPO_* as for refresh, REPO_TARGET_MISMATCH, FWPKG_*)' },
          503: { description: 'REPO_UNREACHABLE; packages kept before stay usable (GET /v1/repository says how old the metadata is)' },
        },
        handler: async ({ body }) => {
          const { status, ...outcome } = await service.fetch(body ?? {});
          return { ...outcome, repository: status };
        },
      });
    },
  };
}
