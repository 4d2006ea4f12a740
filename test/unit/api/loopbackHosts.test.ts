import { describe, expect, it } from 'vitest';
import { isAllowedHost } from '../../../src/api/security/loopbackHosts.js';

describe('Host check (DNS rebinding)', () => {
  it('accepts the loopback names with our port, in any case, IPv6 in brackets, any 127.0.0.0/8 address', () => {
    for (const host of ['127.0.0.1:18240', 'localhost:18240', 'LocalHost:18240', '[::1]:18240', '127.0.0.2:18240', '127.1.2.3:18240']) {
      expect(isAllowedHost(host, 18240), host).toBe(true);
    }
  });

  it('refuses other names, other ports, a missing or padded port, look-alikes and junk', () => {
    for (const host of [
      undefined, '', 'evil.example:18240', 'localhost.evil.example:18240', 'localhost.:18240', '127.0.0.1.evil.example:18240',
      '127.0.0.1', 'localhost', '[::1]', '127.0.0.1:18241', '127.0.0.1:018240', '[::1]:18241', '[::2]:18240', '[0:0:0:0:0:0:0:1]:18240',
      '10.0.0.5:18240', '0.0.0.0:18240', '128.0.0.1:18240', '127.0.0.256:18240', 'localhost:18240:1', '[::1:18240', 'a b:18240',
    ]) {
      expect(isAllowedHost(host, 18240), String(host)).toBe(false);
    }
  });

  it('on port 80 also accepts the bare name browsers send, and still refuses foreign names', () => {
    expect(isAllowedHost('localhost', 80)).toBe(true);
    expect(isAllowedHost('[::1]', 80)).toBe(true);
    expect(isAllowedHost('localhost:80', 80)).toBe(true);
    expect(isAllowedHost('evil.example', 80)).toBe(false);
  });

  it('accepts names the operator added, with the port', () => {
    expect(isAllowedHost('Counter-PC.local:18240', 18240, ['counter-pc.local'])).toBe(true);
    expect(isAllowedHost('counter-pc.local:18241', 18240, ['counter-pc.local'])).toBe(false);
  });
});
