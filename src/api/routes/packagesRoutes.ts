import { Readable } from 'node:stream';
import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { FWPKG_FORMAT, UPGRADE_PATHS } from '../../../protocols/fwpkg/index.js';
import type { PackageStore, StoredPackage } from '../../services/packages/PackageStore.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';

/** Media types an upload may be sent as: the bytes of the .fwpkg, nothing else. */
export const PACKAGE_MEDIA_TYPES = ['application/octet-stream', 'application/x-tar'];

const packageIdParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, { message: 'a package id is 32 lower-case hex digits' }) });

const uploadBody = z.custom<Readable>((value) => value instanceof Readable, {
  message: 'send the .fwpkg file itself as the body, Content-Type application/octet-stream',
});

const manifestSchema = z.object({
  format: z.literal(FWPKG_FORMAT), vendor: z.string(), models: z.array(z.string()), version: z.string(), versionLowest: z.string(),
  bootloaderLowest: z.string(), size: z.number(), sha256: z.string(), sm3: z.string(), paths: z.array(z.enum(UPGRADE_PATHS)),
  releaseNotes: z.string(), keyId: z.string(), createdAt: z.string(),
});

const packageViewSchema = z.object({
  id: z.string(), manifest: manifestSchema, bytes: z.number(), sha256: z.string(), receivedAt: z.string(), operator: z.string(), keyId: z.string(),
  links: z.object({ self: z.string() }),
});

function view(stored: StoredPackage) {
  const { file: _file, ...rest } = stored;
  return { ...rest, links: { self: `/v1/packages/${stored.id}` } };
}

/**
 * Firmware packages (.fwpkg, protocols/fwpkg/SPEC.md): `POST /v1/packages` streams the upload to disk (up to the
 * store's limit), verifies it against the daemon's trusted keys and answers the verified manifest or the exact
 * refusal; `GET /v1/packages`, `GET /v1/packages/{id}`, `DELETE /v1/packages/{id}`.
 */
export function packagesRoutes({ store }: { readonly store: PackageStore }): ApiPlugin {
  return {
    name: 'packages',
    register(app, context) {
      const { catalog } = context;
      // The body stays a stream: the store writes it to disk as it arrives and counts it against its limit.
      app.addContentTypeParser(PACKAGE_MEDIA_TYPES, (_request, payload, done) => done(null, payload));

      defineRoute(app, catalog, {
        method: 'POST', url: '/packages', tags: ['packages'],
        summary: 'Uploads a firmware package (.fwpkg as the body); it is kept only if its signature, digests and size verify against the trusted keys',
        body: uploadBody, bodyContentType: 'application/octet-stream',
        responses: {
          201: { description: 'Verified and kept', schema: z.object({ package: packageViewSchema }) },
          200: { description: 'The same package was already kept', schema: z.object({ package: packageViewSchema }) },
          413: { description: 'Over the size limit (FWPKG_TOO_LARGE); nothing kept' },
          422: { description: 'Refused by verification (FWPKG_UNSIGNED, FWPKG_UNKNOWN_KEY, FWPKG_MANIFEST_TAMPERED, FWPKG_IMAGE_TAMPERED, FWPKG_SIZE_MISMATCH, FWPKG_MALFORMED); nothing kept' },
        },
        handler: async ({ body, operator, request, reply }) => {
          const declared = Number(request.headers['content-length']);
          try {
            if (Number.isFinite(declared) && declared > store.maxBytes) throw new GatewayError('FWPKG_TOO_LARGE', { params: { limit: store.maxBytes } });
            const { stored, created } = await store.receive(body, { operator });
            reply.code(created ? 201 : 200);
            return { package: view(stored) };
          } catch (error) {
            // The rest of an unread upload is not waited for: the connection closes after the answer.
            if (!body.readableEnded) reply.header('connection', 'close');
            throw error;
          }
        },
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/packages', tags: ['packages'],
        summary: 'The firmware packages the gateway keeps, newest first, with their verified manifests',
        responses: { 200: { description: 'OK', schema: z.object({ packages: z.array(packageViewSchema) }) } },
        handler: async () => ({ packages: (await store.list()).map(view) }),
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/packages/:id', tags: ['packages'], params: packageIdParams,
        summary: 'One kept firmware package and its verified manifest',
        responses: { 200: { description: 'OK', schema: z.object({ package: packageViewSchema }) } },
        handler: async ({ params }) => ({ package: view(await store.get(params.id)) }),
      });

      defineRoute(app, catalog, {
        method: 'DELETE', url: '/packages/:id', tags: ['packages'], params: packageIdParams,
        summary: 'Removes a kept firmware package',
        responses: { 200: { description: 'Removed; the answer is what was removed', schema: z.object({ deleted: packageViewSchema }) } },
        handler: async ({ params }) => ({ deleted: view(await store.remove(params.id)) }),
      });
    },
  };
}
