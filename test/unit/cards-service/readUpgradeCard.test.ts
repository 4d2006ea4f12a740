import { describe, expect, it } from 'vitest';
import { VirtualCardChannel, VirtualUpgradeCard } from '../../../fixtures/cards/index.js';
import { splitIntoUpgradeCards, ANY_MACHINE } from '../../../protocols/gb18240-card/upgradeCardLayout.js';
import type { CliContext } from '../../../src/cli/CliContext.js';
import { cardCommand } from '../../../src/cli/commands/cardCommand.js';
import { cardRows, upgradeCardSummary } from '../../../src/cli/commands/cardLabels.js';
import type { DaemonClient } from '../../../src/cli/DaemonClient.js';
import { cardReportSchema } from '../../../src/services/cards/CardReport.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { englishWords } from '../cli/englishWords.js';

/** `fiscalctl card READER` on an upgrade card: what the card holds, not only that it is one (gb18240-card SPEC.md §8). */

const info = { packageId: '0123456789abcdef'.repeat(2), version: '9.1.0', model: 'SIM-ECR-200', manifestSha256: 'cd'.repeat(32), trialSeconds: 120, machineNumber: '4403000012345678' };
const pkg = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31) & 0xff);

function cardWith(part: number, profile: 'short' | 'extended' | 'short-t0' = 'short', machineNumber = info.machineNumber): VirtualUpgradeCard {
  const parts = splitIntoUpgradeCards(pkg, 8 * 1024, { ...info, machineNumber }, 247);
  return new VirtualUpgradeCard({ profile, capacity: 8 * 1024 }, parts[part - 1]!.bytes);
}

describe('readCard on an upgrade card', () => {
  for (const profile of ['short', 'extended', 'short-t0'] as const) {
    it(`${profile}: part k of n, the package, version, model, register, data length, and the data checked against its digest`, async () => {
      const report = cardReportSchema.parse(await readCard(new VirtualCardChannel(cardWith(2, profile), 'reader U')));
      expect(report.kind).toBe('upgrade');
      expect(report.upgrade).toEqual({
        capacity: 8192, state: 'written', dataVerified: true,
        header: {
          part: 2, parts: 3, packageId: info.packageId, version: '9.1.0', model: 'SIM-ECR-200', machineNumber: info.machineNumber,
          packageLength: 20_000, dataOffset: 8151 - 140, dataLength: 8151 - 140, trialSeconds: 120,
        },
      });
      expect(report.problems).toEqual([]);
    });
  }

  it('a card whose data no longer matches its header\'s digest is shown as not verified', async () => {
    const card = cardWith(3);
    card.area[500] = card.area[500]! ^ 0xff;
    const report = await readCard(new VirtualCardChannel(card));
    expect(report.upgrade).toMatchObject({ state: 'written', dataVerified: false, header: { part: 3, parts: 3 } });
    expect(cardRows(report, 'en')).toContainEqual(['Data check', 'failed: the data does not match the header\'s digest']);
  });

  it('a blank card and one with a damaged header say so', async () => {
    expect((await readCard(new VirtualCardChannel(new VirtualUpgradeCard({ capacity: 4096 })))).upgrade).toEqual({ capacity: 4096, state: 'blank' });
    const damaged = cardWith(1);
    damaged.area[10] = damaged.area[10]! ^ 1;
    expect((await readCard(new VirtualCardChannel(damaged))).upgrade).toEqual({ capacity: 8192, state: 'damaged' });
  });

  it('fiscalctl card shows it in zh (no English words) and en', async () => {
    const report = await readCard(new VirtualCardChannel(cardWith(1, 'short', ANY_MACHINE), 'reader U'));
    const zh = cardRows(report, 'zh-CN');
    expect(zh).toEqual(expect.arrayContaining([
      ['卡片类型', '升级卡'], ['升级卡内容', '已写入升级包的一部分'], ['分卡', '第 1 张，共 3 张'], ['版本', '9.1.0'], ['型号', 'SIM-ECR-200'],
      ['机器编号', '该型号的任意收款机'], ['数据长度（字节）', '8011（升级包第 0 字节起，升级包共 20000 字节）'], ['数据校验', '通过：数据与卡头中的摘要一致'],
    ]));
    expect(englishWords(zh.flat().filter((v) => v !== 'reader U').join('\n'))).toEqual([]);
    expect(cardRows(report, 'en')).toEqual(expect.arrayContaining([
      ['Part', '1 of 3'], ['Package', info.packageId], ['Data (bytes)', '8011 (from byte 0 of a 20000-byte package)'], ['Data check', 'verified: the data matches the header\'s digest'],
    ]));
    expect(upgradeCardSummary(report.upgrade!, 'zh-CN')).toBe('第 1/3 张，SIM-ECR-200 9.1.0');
    expect(upgradeCardSummary(report.upgrade!, 'en')).toBe('part 1 of 3, SIM-ECR-200 9.1.0');
  });

  for (const [language, expected] of [['zh-CN', ['升级卡（第 2/3 张，SIM-ECR-200 9.1.0）', '第 2 张，共 3 张', '数据校验']], ['en', ['upgrade card (part 2 of 3, SIM-ECR-200 9.1.0)', '2 of 3', 'Data check']]] as const) {
    it(`fiscalctl card and fiscalctl card READER print the header (${language})`, async () => {
      const report = await readCard(new VirtualCardChannel(cardWith(2), 'reader U'));
      let stdout = '';
      const client = { get: async (path: string) => (path === '/v1/readers' ? { readers: [{ name: 'reader U', card: 'present' }] } : report) } as unknown as DaemonClient;
      const io = { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: () => undefined }, env: {} };
      const ctx: CliContext = {
        io, client, json: false, language, positionals: [], options: {}, commands: [],
        printJson: (value) => io.stdout.write(JSON.stringify(value)), print: (text) => io.stdout.write(text),
      };
      expect(await cardCommand.run(ctx)).toBe(0);
      expect(stdout).toContain(expected[0]);
      expect(await cardCommand.run({ ...ctx, positionals: ['reader U'] })).toBe(0);
      expect(stdout).toContain(expected[1]);
      expect(stdout).toContain(expected[2]);
    });
  }
});
