import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../../../contracts/errors/index.js';

/** One file being read from a repository: from `offset` on (a resumed download) or from its start. */
export interface SourceBody {
  /** Where the body starts in the file: the offset asked for when the source honoured it, else 0. */
  readonly start: number;
  /** The length the source announces for the body, if it does. */
  readonly announced?: number;
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Stops reading (the rest is not wanted). */
  close(): void;
}

/**
 * Where the repository's static files are read from: HTTPS (node:https, with the configured CA) or a folder
 * (a USB stick, `file://`). The same verification runs over both (protocols/fwrepo/SPEC.md §7).
 */
export interface RepositorySource {
  /** The URL or folder, for messages and the status view. */
  readonly location: string;
  /** The file, from `offset` if the source can; undefined when the repository has no such file (404, ENOENT). */
  open(file: string, offset?: number): Promise<SourceBody | undefined>;
}

function unreachable(location: string, detail: string, cause?: unknown): GatewayError {
  return new GatewayError('REPO_UNREACHABLE', { params: { repository: location, detail }, ...(cause === undefined ? {} : { cause }) });
}

/** A folder (absolute path or `file://` URL): the files of `DIR/public/` as copied, e.g. onto a stick. */
export function folderSource(location: string): RepositorySource {
  const dir = location.startsWith('file:') ? fileURLToPath(location) : resolve(location);
  return {
    location: dir,
    async open(file, offset = 0) {
      const path = join(dir, normalize(file));
      if (!path.startsWith(join(dir, '/'))) throw unreachable(dir, `${file}: outside the repository`);
      const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
        if (cause.code === 'ENOENT') return undefined;
        throw unreachable(dir, `${file}: ${cause.code ?? cause.message}`, cause);
      });
      if (info === undefined) return undefined;
      const start = Math.min(offset, info.size);
      const stream = createReadStream(path, { start, highWaterMark: 256 * 1024 });
      return { start, announced: info.size - start, chunks: stream, close: () => stream.destroy() };
    },
  };
}

/** Connection and idle limit of one request: a repository that stops answering is unreachable, not awaited forever. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * HTTPS with the given CA bundle (PEM; the system's CAs when none). Redirects are not followed; a `Range`
 * request answered 206 must start where asked (Content-Range), else the source answers from the start.
 */
export function httpsSource(baseUrl: string, ca?: string | Buffer): RepositorySource {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (base.protocol !== 'https:') throw new GatewayError('REPO_NOT_CONFIGURED', { params: { detail: `${baseUrl}: the repository is read over https:// or from a folder` } });
  const location = base.href;
  return {
    location,
    open(file, offset = 0) {
      const url = new URL(file, base);
      const options: RequestOptions = {
        method: 'GET', timeout: REQUEST_TIMEOUT_MS, ...(ca === undefined ? {} : { ca }),
        headers: { accept: 'application/octet-stream, application/json', ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) },
      };
      return new Promise<SourceBody | undefined>((resolvePromise, reject) => {
        const req = request(url, options, (response: IncomingMessage) => {
          const status = response.statusCode ?? 0;
          if (status === 404 || status === 410) {
            response.resume();
            resolvePromise(undefined);
            return;
          }
          let start = 0;
          if (status === 206) {
            const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(response.headers['content-range'] ?? ''));
            if (!range || Number(range[1]) !== offset) {
              response.destroy();
              reject(unreachable(location, `${file}: a partial answer that does not start at byte ${offset}`));
              return;
            }
            start = offset;
          } else if (status !== 200) {
            response.resume();
            reject(unreachable(location, `${file}: HTTP ${status}`));
            return;
          }
          const length = Number(response.headers['content-length']);
          response.setTimeout(REQUEST_TIMEOUT_MS, () => response.destroy(unreachable(location, `${file}: no data for ${REQUEST_TIMEOUT_MS / 1000} s`)));
          resolvePromise({
            start, ...(Number.isFinite(length) && response.headers['content-length'] !== undefined ? { announced: length } : {}),
            chunks: wrapErrors(response, location, file), close: () => response.destroy(),
          });
        });
        req.on('timeout', () => req.destroy(unreachable(location, `${file}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
        req.on('error', (cause: NodeJS.ErrnoException) => reject(cause instanceof GatewayError ? cause : unreachable(location, `${file}: ${cause.code ?? cause.message}`, cause)));
        req.end();
      });
    },
  };
}

/** A response cut mid-body (reset, timeout) is the repository being unreachable, with what was read kept. */
async function* wrapErrors(response: IncomingMessage, location: string, file: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of response) yield chunk as Uint8Array;
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    throw unreachable(location, `${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, cause);
  }
  if (!response.complete) throw unreachable(location, `${file}: the answer was cut short`);
}

/** The source a configured location names: `https://…`, or a folder (absolute path or `file://`). */
export function sourceFor(location: string, ca?: string | Buffer): RepositorySource {
  if (/^https:\/\//i.test(location)) return httpsSource(location, ca);
  if (location.startsWith('file:') || isAbsolute(location)) return folderSource(location);
  throw new GatewayError('REPO_NOT_CONFIGURED', { params: { detail: `${location}: give an https:// URL or an absolute folder path` } });
}

/** Reads a whole small file up to `max` bytes: more is REPO_LENGTH_EXCEEDED, and reading stops there. */
export async function readCapped(body: SourceBody, max: number, file: string): Promise<Uint8Array> {
  if (body.announced !== undefined && body.announced > max) {
    body.close();
    throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file, length: max } });
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body.chunks) {
    total += chunk.length;
    if (total > max) {
      body.close();
      throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file, length: max } });
    }
    parts.push(chunk);
  }
  return new Uint8Array(Buffer.concat(parts));
}
