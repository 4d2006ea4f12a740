// fiscald's repository fetch of a 16 MiB package over loopback HTTPS (metadata chain, download to a partial file,
// length + SHA-256 + SM3 of the whole file, the package's own fwpkg signature and digests, then kept by the packages
// store, which verifies it once more) against the irreducible work on the same bytes in the same run: one HTTPS GET
// of the file written and fsynced, hashed with SHA-256 and SM3. The ratio is baseline time over fetch time.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFwpkg, parseFirmwareVersion, parsePrivateKeyPem } from '../protocols/fwpkg/index.js';
import { silentLogger } from '../src/log.js';
import { PackageStore } from '../src/services/packages/PackageStore.js';
import { RepositoryClient } from '../src/services/repository/RepositoryClient.js';
import { httpsSource } from '../src/services/repository/RepositorySource.js';
import { VendorRepository } from '../src/services/repository/VendorRepository.js';
import { serveRepository } from '../test/helpers/repositoryServer.js';
import type { BenchFigure } from './BenchFigure.js';

const MiB = 1024 * 1024;
const IMAGE_MIB = 16;

function plainDownload(url: string, ca: string, file: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { ca }, (response) => {
      const sha256 = createHash('sha256');
      const sm3 = createHash('sm3');
      void (async () => {
        const handle = await open(file, 'w');
        for await (const chunk of response) {
          sha256.update(chunk as Buffer);
          sm3.update(chunk as Buffer);
          await handle.write(chunk as Buffer);
        }
        await handle.sync();
        await handle.close();
        sha256.digest();
        sm3.digest();
        resolve((performance.now() - t0) / 1000);
      })().catch(reject);
    }).on('error', reject);
  });
}

export async function figures(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fg-bench-repo-'));
  try {
    const vendor = await VendorRepository.init(join(dir, 'repo'));
    const keyFile = readdirSync(vendor.keysDir).find((n) => n.startsWith('package-') && n.endsWith('.key'))!;
    const key = parsePrivateKeyPem(readFileSync(join(vendor.keysDir, keyFile), 'utf8'));
    const v = parseFirmwareVersion('1.0.0');
    const built = await buildFwpkg({ image: randomBytes(IMAGE_MIB * MiB), key, vendor: 'bench', models: ['M'], version: v, versionLowest: v, bootloaderLowest: v, paths: ['serial'], releaseNotes: '', createdAt: new Date() });
    writeFileSync(join(dir, 'p.fwpkg'), built.bytes);
    const target = await vendor.add(join(dir, 'p.fwpkg'));
    await vendor.publish();
    const server = await serveRepository(vendor.publicDir);
    try {
      const baselineSeconds = await plainDownload(`${server.url}${target.name}`, server.ca, join(dir, 'baseline.bin'));
      const dataDir = join(dir, 'gateway');
      const store: PackageStore = PackageStore.forDataDir(dataDir, { trustedKeysDir: join(dataDir, 'trusted-keys'), logger: silentLogger, additionalKeys: () => client.packageKeys() });
      const client: RepositoryClient = new RepositoryClient({
        dir: join(dataDir, 'repository'), initialRoot: join(vendor.publicDir, '1.root.json'), logger: silentLogger,
        keeper: {
          keep: async (file) => ({ id: (await store.receive(createReadStream(file), { operator: 'bench' })).stored.id, created: true }),
          keptIds: async () => new Set((await store.list()).map((p) => p.id)),
        },
      });
      const t0 = performance.now();
      await client.fetch(httpsSource(server.url, server.ca), { all: true });
      const fetchSeconds = (performance.now() - t0) / 1000;
      const mib = target.length / MiB;
      return [{
        id: 'repository.fetch.16mib.ratio', label: 'repository fetch of a 16 MiB package over loopback HTTPS, verified and kept, against one plain download', value: Number((baselineSeconds / fetchSeconds).toFixed(3)), unit: 'ratio',
        baseline: `HTTPS GET written, fsynced, SHA-256 + SM3 of the same file: ${(mib / baselineSeconds).toFixed(1)} MiB/s`,
        detail: `fetch ${fetchSeconds.toFixed(2)} s (${(mib / fetchSeconds).toFixed(1)} MiB/s) for ${mib.toFixed(1)} MiB; the bytes are hashed three times: as they arrive, as a fwpkg, in the store`,
      }];
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const figure of await figures()) console.log(`${figure.id} ${figure.value} (${figure.baseline}; ${figure.detail})`);
}
