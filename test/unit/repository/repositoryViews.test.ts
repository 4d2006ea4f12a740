import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/cli/commands/repoDuration.js';
import { freshnessLine, statusText, type RepositoryStatusView } from '../../../src/cli/commands/repoStatusView.js';
import { loadDaemonConfig, parseDaemonArgs } from '../../../src/daemon/loadDaemonConfig.js';
import { englishWords } from '../cli/englishWords.js';

const status = (expired: boolean): RepositoryStatusView => ({
  repository: 'https://repo.example/fw/', source: 'https://repo.example/fw/',
  root: { version: 3, expires: '2027-12-01T00:00:00Z', expired: false },
  targets: { version: 4, expires: '2027-03-01T00:00:00Z', expired: false },
  snapshot: { version: 7, expires: '2026-12-12T00:00:00Z', expired },
  timestamp: { version: 9, expires: '2026-12-06T00:00:00Z', expired },
  verifiedAt: '2026-12-05T00:00:00Z', ageSeconds: 3 * 86400 + 4 * 3600, current: !expired,
  packages: [{ name: `targets/${'a'.repeat(64)}.fwpkg`, models: ['FX-100'], version: '9.1.0', length: 49152, sha256: 'a'.repeat(64), paths: ['serial'], packageId: '0123456789abcdef0123456789abcdef', cached: true }],
  download: null,
});

describe('the status view never claims "latest" and says how old the metadata is', () => {
  it('current metadata: when verified, how long ago, until when', () => {
    expect(freshnessLine(status(false), false)).toMatch(/^Metadata verified 2026-12-05 08:00 \(3 d 4 h ago\), valid until 2026-12-06 08:00$/);
  });
  it('expired metadata (offline counter): says it expired and that newer packages may exist', () => {
    const en = statusText(status(true), false);
    expect(en).toMatch(/expired 2026-12-06 08:00: the repository may have newer packages since/);
    expect(en).toMatch(/timestamp: version 9, expires .* \(expired\)/);
    expect(en).not.toMatch(/latest|newest/i);
    const zh = statusText(status(true), true);
    expect(zh).toMatch(/元数据校验于 .*（3 天 4 小时前），已于 .* 过期/);
    expect(englishWords(zh)).toEqual([]);
  });
});

describe('repository settings', () => {
  it('--repository, --repository-ca, --repository-root, their environment forms and the config file key', () => {
    const flags = loadDaemonConfig(parseDaemonArgs(['--repository', 'https://repo.example/fw/', '--repository-ca', '/etc/ca.pem', '--repository-root', '/etc/root.json']), {});
    expect(flags.repository).toEqual({ url: 'https://repo.example/fw/', ca: '/etc/ca.pem', root: '/etc/root.json' });
    const env = loadDaemonConfig(parseDaemonArgs([]), { FISCALD_REPOSITORY: '/media/stick/fiscal-repository', FISCALD_REPOSITORY_ROOT: '/etc/root.json' });
    expect(env.repository).toEqual({ url: '/media/stick/fiscal-repository', root: '/etc/root.json' });
    expect(() => loadDaemonConfig(parseDaemonArgs(['--repository', 'http://repo.example/']), {})).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(loadDaemonConfig(parseDaemonArgs([]), {}).repository).toEqual({});
  });
  it('--expires durations', () => {
    expect(parseDuration('36h')).toBe(36 * 3600 * 1000);
    expect(parseDuration('7d')).toBe(7 * 86400 * 1000);
    for (const bad of ['0d', '1w', '1.5h', '', '-1d']) expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });
});
