import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';

/** A self-signed certificate for 127.0.0.1 made by the openssl CLI now (never a checked-in key). */
export function makeLoopbackCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fg-repo-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RepositoryServer {
  readonly url: string;
  /** The CA bundle a client must be given (the self-signed certificate). */
  readonly ca: string;
  /** Every request seen: path and Range header. */
  readonly requests: { path: string; range?: string }[];
  /** Replaces what is served for a path (an attack: a longer body…); undefined serves the folder's file. */
  override(path: string, body: Uint8Array | undefined): void;
  close(): Promise<void>;
}

/** Serves a folder as static files over HTTPS on 127.0.0.1 (port 0), with `Range: bytes=N-` answered 206 (unless `ranges: false`: 200, whole). */
export async function serveRepository(folder: string, cert = makeLoopbackCertificate(), options: { readonly ranges?: boolean } = {}): Promise<RepositoryServer> {
  const requests: { path: string; range?: string }[] = [];
  const overrides = new Map<string, Uint8Array>();
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'https://x').pathname).slice(1);
    const range = options.ranges === false ? undefined : request.headers.range;
    requests.push({ path, ...(request.headers.range === undefined ? {} : { range: request.headers.range }) });
    const override = overrides.get(path);
    const file = join(folder, normalize(path));
    let size: number;
    try {
      size = override?.length ?? statSync(file).size;
    } catch {
      response.writeHead(404).end();
      return;
    }
    const from = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0) : 0;
    if (range && from < size) response.writeHead(206, { 'content-length': size - from, 'content-range': `bytes ${from}-${size - 1}/${size}` });
    else response.writeHead(200, { 'content-length': size });
    if (override) response.end(Buffer.from(override.subarray(range && from < size ? from : 0)));
    else createReadStream(file, { start: range && from < size ? from : 0 }).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}/`, ca: cert.cert, requests,
    override: (path, body) => (body === undefined ? overrides.delete(path) : overrides.set(path, body)),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
