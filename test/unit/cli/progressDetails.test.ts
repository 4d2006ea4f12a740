import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressDetail, progressDetailTemplates } from '../../../src/api/progressDetails.js';
import { englishWords } from './englishWords.js';

const services = new URL('../../../src/services/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every literal progress detail the services write (`.progress(fraction, 'text')`, template literals with each
 * `${…}` replaced by a sample value), so a new English detail without a Chinese form fails here.
 */
function writtenDetails(): { file: string; detail: string }[] {
  const found: { file: string; detail: string }[] = [];
  for (const file of sources(services)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const call = /\b(?:ctx|reporter|job)\.progress\(([^;]*)\);/.exec(line);
      if (!call || line.trimStart().startsWith('*') || line.trimStart().startsWith('//')) continue;
      const args = call[1]!;
      for (const literal of args.matchAll(/`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'/g)) {
        // A literal compared with (`x === 'distribute' ? …`) is no detail.
        if (/[!=]==\s*$/.test(args.slice(0, literal.index))) continue;
        const body = literal[0].slice(1, -1).replace(/\\'/g, '\'');
        // `${c ? 'a' : 'b'}` inside a template is two details, one with each text.
        const choice = /\$\{[^}]*\?\s*'([^']*)'\s*:\s*'([^']*)'\s*\}/.exec(body);
        const bodies = choice ? [choice[1]!, choice[2]!].map((text) => body.replace(choice[0], text)) : [body];
        for (const one of bodies) {
          found.push({ file: file.slice(services.length), detail: one.replace(/\$\{([^}]*)\}/g, (_whole, expression: string) => sample(expression)) });
        }
      }
    }
  }
  return found;
}

/** A value of the kind an interpolated expression gives. */
function sample(expression: string): string {
  if (/kind/i.test(expression)) return 'upgrade';
  if (/what/.test(expression)) return 'taxpayer';
  if (/label/.test(expression)) return 'card 1 of 2';
  if (/state/.test(expression)) return 'verified';
  return '7';
}

describe('progress details in both languages (one catalogue for fiscalctl and the console)', () => {
  it('each template has Chinese with the same placeholders and no English word', () => {
    for (const [en, zh] of progressDetailTemplates()) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)[#*]?\}/g)].map((m) => m[1]).sort();
      expect(names(zh), en).toEqual(names(en));
      expect(englishWords(zh.replace(/\{\w+\}/g, ' ')), zh).toEqual([]);
    }
  });

  it('every detail a service writes has a Chinese form', () => {
    const details = writtenDetails();
    expect(details.length).toBeGreaterThan(20);
    for (const { file, detail } of details) {
      const zh = progressDetail(detail, 'zh-CN');
      expect(zh, `${file}: "${detail}" has no template in src/api/progressDetails.ts`).not.toBeNull();
      expect(englishWords(zh!), `${file}: ${zh}`).toEqual([]);
    }
  });

  it('says a detail again with its parameters; English as written; an unknown detail is left out in Chinese', () => {
    expect(progressDetail('4096 of 49152 bytes written', 'zh-CN')).toBe('已写入 4096 / 49152 字节');
    expect(progressDetail('downgrade 9.1.0 → 1.2.3 allowed', 'zh-CN')).toBe('版本规则允许降级：9.1.0 → 1.2.3');
    expect(progressDetail('the register is busy, 3 s of an expected 9 s', 'zh-CN')).toBe('收款机忙，已等 3 秒，预计 9 秒');
    expect(progressDetail('mounting roll 044031900111 1–100 left by an earlier run', 'zh-CN')).toBe('装载上次留下的发票卷 044031900111 1–100');
    expect(progressDetail('7200 / 7293', 'zh-CN')).toBe('已读 7200 / 7293 条');
    // The expected total is an estimate: past it, the count alone.
    expect(progressDetail('7308 / 7293', 'zh-CN')).toBe('已读 7308 条');
    expect(progressDetail('7308 / 7293', 'en')).toBe('7308 records read');
    expect(progressDetail('backup 7308 / 7293', 'zh-CN')).toBe('备份已读 7308 条');
    expect(progressDetail('upgrade card 2 of 3: 512 of 4096 bytes written (240 per APDU)', 'zh-CN')).toBe('升级卡第 2/3 张：已写入 512 / 4096 字节（每条命令 240 字节）');
    expect(progressDetail('earlier copy on the stick: damaged', 'zh-CN')).toBe('U盘上的早先副本：已损坏');
    expect(progressDetail('earlier copy on the stick: melted', 'zh-CN')).toBeNull();
    expect(progressDetail('4096 of 49152 bytes written', 'en')).toBe('4096 of 49152 bytes written');
    expect(progressDetail('something new happened', 'zh-CN')).toBeNull();
    expect(progressDetail('sideways 1 → 2 allowed', 'zh-CN')).toBeNull();
    expect(progressDetail(undefined, 'zh-CN')).toBeNull();
  });
});
