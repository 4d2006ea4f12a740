import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/daemon/config.js';
import { loadDaemonConfig, parseDaemonArgs } from '../../../src/daemon/loadDaemonConfig.js';

/** The HTTP edge's caps are settings: config file `limits.{connections,eventStreams}` and FISCALD_MAX_*. */
describe('limits', () => {
  it('default to 128 connections and 32 event streams', () => {
    expect(resolveConfig({}).limits).toEqual({ connections: 128, eventStreams: 32 });
  });

  it('come from the config file and the environment, the environment winning', () => {
    expect(resolveConfig({ limits: { connections: 10 } }).limits).toEqual({ connections: 10, eventStreams: 32 });
    const env = { FISCALD_MAX_CONNECTIONS: '20', FISCALD_MAX_EVENT_STREAMS: '4' };
    expect(loadDaemonConfig(parseDaemonArgs([]), env).limits).toEqual({ connections: 20, eventStreams: 4 });
  });

  it('refuse what is not a whole number of at least 1 (CONFIG_INVALID)', () => {
    for (const limits of [{ connections: 0 }, { eventStreams: -1 }, { connections: 1.5 }, { connections: '8' }, { other: 1 }]) {
      expect(() => resolveConfig({ limits }), JSON.stringify(limits)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
    expect(() => loadDaemonConfig(parseDaemonArgs([]), { FISCALD_MAX_CONNECTIONS: 'many' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
