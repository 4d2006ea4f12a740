import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack as tarPack } from 'tar-stream';
import { commandHelp } from '../../../src/cli/helpText.js';
import { packageCommand } from '../../../src/cli/commands/packageCommand.js';
import { runCli } from '../../../src/cli/runCli.js';
import { unpackFwpkg, packFwpkg } from '../../../protocols/fwpkg/index.js';
import type { AddressInfo } from 'node:net';
import { buildServer } from '../../../src/api/buildServer.js';
import { packagesRoutes } from '../../../src/api/routes/packagesRoutes.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { PackageStore } from '../../../src/services/packages/PackageStore.js';
import { openStore } from '../../../src/store/Store.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
let dir: string;

/** fiscalctl with no daemon anywhere: FISCALD_URL names a port nothing listens on, and no token exists. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; }, isTTY: false },
    env: { FISCALD_URL: 'http://127.0.0.1:9', FISCALD_DATA_DIR: join(dir, 'no-data-dir'), LANG: 'C', ...env },
  });
  return { code, stdout, stderr };
}

const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fg-cli-package-'));
  writeFileSync(at('image.bin'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff)));
  mkdirSync(at('trusted'));
  mkdirSync(at('empty'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fiscalctl package (no daemon)', () => {
  it('keygen writes PREFIX.key 0600 and PREFIX.pub for each algorithm and never overwrites a key', async () => {
    for (const algorithm of ['ed25519', 'sm2']) {
      const made = await cli(['package', 'keygen', '--out', at(`k-${algorithm}`), '--algorithm', algorithm, '--json']);
      expect(made.code).toBe(0);
      const result = JSON.parse(made.stdout);
      expect(result).toMatchObject({ algorithm, privateKey: at(`k-${algorithm}.key`), publicKey: at(`k-${algorithm}.pub`) });
      expect(result.keyId).toMatch(new RegExp(`^${algorithm}:[0-9a-f]{32}$`));
      expect(statSync(at(`k-${algorithm}.key`)).mode & 0o777).toBe(0o600);
      expect(readFileSync(at(`k-${algorithm}.pub`), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    }
    const before = readFileSync(at('k-ed25519.key'));
    const again = await cli(['package', 'keygen', '--out', at('k-ed25519')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/FWPKG_KEY_EXISTS/);
    expect(readFileSync(at('k-ed25519.key')).equals(before)).toBe(true);
    expect((await cli(['package', 'keygen', '--out', at('k-x'), '--algorithm', 'rsa'])).code).toBe(2);
    expect(existsSync(at('k-x.key'))).toBe(false);
  });

  it('build signs a package that verify accepts with the public key in the folder (exit 0), in both languages', async () => {
    copyFileSync(at('k-sm2.pub'), at('trusted/vendor.pub'));
    const built = await cli(['package', 'build', '--image', at('image.bin'), '--version', '3.1.0', '--model', 'SK-3000税控机', '--models', 'SK-3000A,SK-3000B',
      '--paths', 'serial,ic-card', '--lowest', '3.0.0', '--bootloader-lowest', '1.2.0', '--notes', '修正', '--vendor', '示例厂商', '--key', at('k-sm2.key'), '-o', at('p.fwpkg'), '--json']);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.stdout).manifest).toMatchObject({
      version: '3.1.0', versionLowest: '3.0.0', bootloaderLowest: '1.2.0', models: ['SK-3000税控机', 'SK-3000A', 'SK-3000B'], paths: ['serial', 'ic-card'],
      size: 5000, vendor: '示例厂商', releaseNotes: '修正',
    });
    const en = await cli(['package', 'verify', at('p.fwpkg'), '--trusted-keys', at('trusted')]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/signature and digests verify/);
    expect(en.stdout).toMatch(/installs over\s+3\.0\.0 and later/);
    const zh = await cli(['package', 'verify', at('p.fwpkg'), '--trusted-keys', at('trusted'), '--lang', 'zh']);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/签名与摘要校验通过/);
    expect(zh.stdout).toMatch(/升级方式\s+串口、IC 卡/);
    expect(zh.stdout).not.toMatch(/\b(?:serial|line|verify|verified|version|image|signature|key)\b/i);
    // The default folder: $FISCALD_TRUSTED_KEYS, else <data-dir>/trusted-keys.
    expect((await cli(['package', 'verify', at('p.fwpkg')], { FISCALD_TRUSTED_KEYS: at('trusted') })).code).toBe(0);
    const noFolder = await cli(['package', 'verify', at('p.fwpkg'), '--data-dir', dir]);
    expect(noFolder.code).toBe(3);
    expect(noFolder.stderr).toContain(`the trusted-keys folder ${join(dir, 'trusted-keys')} does not exist`);
  });

  it('verify exits 3 with the refusal code for each refusal, the text in the chosen language', async () => {
    copyFileSync(join(fixtures, 'vector-ed25519.pub'), at('trusted/ed.pub'));
    const vector = readFileSync(join(fixtures, 'vector-ed25519.fwpkg'));
    const parts = await unpackFwpkg(new Uint8Array(vector));
    const image = Uint8Array.from(parts.image);
    image[7]! ^= 1;
    const manifest = new TextEncoder().encode(new TextDecoder().decode(parts.manifest).replace('"SK-3000A"', '"SK-3000Z"'));
    const unsignedPack = tarPack();
    const chunks: Buffer[] = [];
    const collecting = (async () => { for await (const c of unsignedPack as AsyncIterable<Buffer>) chunks.push(c); })();
    unsignedPack.entry({ name: 'manifest.json' }, Buffer.from(parts.manifest));
    unsignedPack.entry({ name: 'firmware.bin' }, Buffer.from(parts.image));
    unsignedPack.finalize();
    await collecting;
    const cases: [string, Uint8Array, string][] = [
      ['image.fwpkg', await packFwpkg({ ...parts, image }, new Date()), 'FWPKG_IMAGE_TAMPERED'],
      ['manifest.fwpkg', await packFwpkg({ ...parts, manifest }, new Date()), 'FWPKG_MANIFEST_TAMPERED'],
      ['short.fwpkg', await packFwpkg({ ...parts, image: parts.image.subarray(1) }, new Date()), 'FWPKG_SIZE_MISMATCH'],
      ['unsigned.fwpkg', new Uint8Array(Buffer.concat(chunks)), 'FWPKG_UNSIGNED'],
      ['garbage.fwpkg', new TextEncoder().encode('not a package'), 'FWPKG_MALFORMED'],
    ];
    for (const [name, bytes, code] of cases) {
      writeFileSync(at(name), bytes);
      const run = await cli(['package', 'verify', at(name), '--trusted-keys', at('trusted'), '--json']);
      expect(run.code, name).toBe(3);
      expect(JSON.parse(run.stdout), name).toMatchObject({ code, status: 422 });
    }
    const unknown = await cli(['package', 'verify', join(fixtures, 'vector-ed25519.fwpkg'), '--trusted-keys', at('empty'), '--lang', 'zh']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/升级包由不受信任的密钥 ed25519:bcb89b5112801de59cb7f0d7b178acd5 签名.*\(FWPKG_UNKNOWN_KEY\)/);
    const tampered = await cli(['package', 'verify', at('image.fwpkg'), '--trusted-keys', at('trusted')]);
    expect(tampered.stderr).toMatch(/SHA-256 digest does not match the signed manifest.*\(FWPKG_IMAGE_TAMPERED\)\nDo not install this package/);
  });

  it('verify reports a trusted-keys file that is not a key and goes on with the others', async () => {
    mkdirSync(at('mixed'));
    writeFileSync(at('mixed/broken.pub'), 'not a key');
    copyFileSync(join(fixtures, 'vector-ed25519.pub'), at('mixed/ed.pub'));
    const run = await cli(['package', 'verify', join(fixtures, 'vector-ed25519.fwpkg'), '--trusted-keys', at('mixed')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/skipped .*broken\.pub/);
  });

  it('inspect shows the manifest for people (zh/en) and as JSON, and says when the image does not match', async () => {
    const en = await cli(['package', 'inspect', join(fixtures, 'vector-sm2.fwpkg')]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/signature not checked here/);
    expect(en.stdout).toMatch(/models\s+SK-3000税控机, SK-3000A/);
    expect(en.stdout).toMatch(/image\s+4096 bytes \(matches the manifest\)/);
    const zh = await cli(['package', 'inspect', join(fixtures, 'vector-sm2.fwpkg'), '--lang', 'zh']);
    expect(zh.stdout).toMatch(/版本\s+2\.5\.0/);
    expect(zh.stdout).toMatch(/可升级自\s+2\.0\.0 及以上/);
    const json = JSON.parse((await cli(['package', 'inspect', at('image.fwpkg'), '--json'])).stdout);
    expect(json).toMatchObject({ verified: false, signed: true, image: { size: 4096, matchesManifest: false }, manifest: { version: '2.5.0' } });
    expect((await cli(['package', 'inspect', at('image.fwpkg')])).stdout).toMatch(/does NOT match the manifest/);
  });

  it('usage errors exit 2: no or unknown sub-command, a missing or extra FILE, a bad version, an option of another sub-command', async () => {
    for (const args of [
      ['package'], ['package', 'sign'], ['package', 'verify'], ['package', 'keygen', 'extra'], ['package', 'inspect', at('nope.fwpkg')],
      ['package', 'build', '--image', at('image.bin'), '--version', '3.1', '--model', 'M', '--key', at('k-sm2.key'), '-o', at('x.fwpkg')],
      ['package', 'build', '--image', at('image.bin'), '--version', '3.1.0', '--model', 'M', '--key', at('k-sm2.key'), '-o', at('x.fwpkg'), '--paths', 'network'],
      ['package', 'build', '--image', at('image.bin'), '--version', '3.1.0', '--model', 'M', '-o', at('x.fwpkg')],
      ['package', 'verify', at('p.fwpkg'), '--image', 'x'],
    ]) {
      const run = await cli([...args, '--json']);
      expect(run.code, args.join(' ')).toBe(2);
      expect(JSON.parse(run.stdout).code, args.join(' ')).toMatch(/^(CLI_USAGE|FWPKG_VERSION_INVALID)$/);
    }
    expect(existsSync(at('x.fwpkg'))).toBe(false);
  });

  it('has its own help in both languages naming every sub-command and option', async () => {
    const en = await cli(['package', '--help']);
    expect(en.code).toBe(0);
    const zh = await cli(['package', '--help', '--lang', 'zh']);
    expect(zh.stdout).toMatch(/固件升级包/);
    expect(zh.stdout).toMatch(/退出码：0 完成/);
    for (const text of [en.stdout, zh.stdout, commandHelp(packageCommand, 'zh-CN')]) {
      for (const word of ['keygen', 'build', 'verify', 'inspect', ...Object.keys(packageCommand.options ?? {}).map((o) => `--${o}`), '-o']) {
        expect(text, word).toContain(word);
      }
    }
  });
});

describe('fiscalctl package upload|list|delete (on fiscald)', () => {
  it('uploads a package fiscald verifies, lists it, deletes it; a refusal or an oversized file is the daemon\'s code and exit', async () => {
    const dataDir = at('daemon-data');
    mkdirSync(join(dataDir, 'trusted-keys'), { recursive: true });
    copyFileSync(join(fixtures, 'vector-sm2.pub'), join(dataDir, 'trusted-keys', 'vendor.pub'));
    writeFileSync(join(dataDir, 'token'), 'cli-package-token-0123456789\n', { mode: 0o600 });
    const db = openStore(':memory:');
    let port = 0;
    const store = PackageStore.forDataDir(dataDir, { trustedKeysDir: join(dataDir, 'trusted-keys'), logger: silentLogger, maxBytes: 8192 });
    const app = await buildServer(
      { jobs: new JobRunner({ store: db }), store: db, devices: { list: () => [], get: () => undefined }, logger: silentLogger, version: 'test' },
      { token: 'cli-package-token-0123456789', port: () => port, plugins: [packagesRoutes({ store })] },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    const env = { FISCALD_URL: `http://127.0.0.1:${port}`, FISCALD_DATA_DIR: dataDir, FISCAL_OPERATOR: '李工' };
    try {
      const uploaded = await cli(['package', 'upload', join(fixtures, 'vector-sm2.fwpkg')], env);
      expect(uploaded.code).toBe(0);
      expect(uploaded.stdout).toMatch(/fiscald verified and keeps package [0-9a-f]{32}:/);
      const listed = await cli(['package', 'list', '--lang', 'zh'], env);
      expect(listed.stdout.split('\n')[0]).toMatch(/^编号\s+版本\s+可升级自\s+适用型号\s+接收时间/);
      expect(listed.stdout).toContain('2.5.0');
      const { packages } = JSON.parse((await cli(['package', 'list', '--json'], env)).stdout) as { packages: { id: string; operator: string }[] };
      expect(packages).toHaveLength(1);
      expect(packages[0]!.operator).toBe('李工');
      const refused = await cli(['package', 'upload', join(fixtures, 'vector-ed25519.fwpkg'), '--json'], env);
      expect(refused.code).toBe(3);
      expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'FWPKG_UNKNOWN_KEY' });
      writeFileSync(at('big.fwpkg'), Buffer.alloc(20_000));
      const big = await cli(['package', 'upload', at('big.fwpkg'), '--json'], env);
      expect(big.code).toBe(2);
      expect(JSON.parse(big.stdout)).toMatchObject({ code: 'FWPKG_TOO_LARGE' });
      const deleted = await cli(['package', 'delete', packages[0]!.id], env);
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toMatch(/Removed package/);
      expect((await cli(['package', 'delete', packages[0]!.id, '--json'], env)).code).toBe(1);
      expect((await cli(['package', 'delete', 'not-an-id'], env)).code).toBe(2);
      expect((await cli(['package', 'list'], env)).stdout).toBe('No packages on the gateway\n');
    } finally {
      await app.close();
      db.close();
    }
  });
});
