import { describe, expect, it } from 'vitest';
import type { Target } from '../../../protocols/fwrepo/index.js';
import { select } from '../../../src/services/repository/RepositoryClient.js';

const target = (version: string, models: string[], digit: string): Target => ({
  name: `targets/${digit.repeat(64)}.fwpkg`, length: 10, sha256: digit.repeat(64), sm3: digit.repeat(64), models, version: version as Target['version'], paths: ['serial'],
});
const targets = [target('1.10.0', ['FX-100'], '1'), target('1.9.9', ['FX-100', 'FX-200'], '2'), target('2.0.0', ['FX-200'], '3')];

describe('which targets a fetch takes', () => {
  it('the newest per model asked (versions compared as numbers), every one with all', () => {
    expect(select(targets, { models: ['FX-100'] }).map((t) => t.version)).toEqual(['1.10.0']);
    expect(select(targets, { models: ['FX-100', 'FX-200'] }).map((t) => t.version)).toEqual(['1.10.0', '2.0.0']);
    expect(select(targets, { all: true })).toHaveLength(3);
  });
  it('a model named with no package: REPO_TARGET_NOT_FOUND; a served model with none is passed over', () => {
    expect(() => select(targets, { models: ['FX-300'] })).toThrow(expect.objectContaining({ code: 'REPO_TARGET_NOT_FOUND' }));
    expect(select(targets, { models: ['FX-300', 'FX-200'], skipMissing: true }).map((t) => t.version)).toEqual(['2.0.0']);
  });
});
