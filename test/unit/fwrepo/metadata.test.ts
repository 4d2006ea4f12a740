import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKeyPem, type FwpkgPrivateKey, type KeyAlgorithm } from '../../../protocols/fwpkg/index.js';
import {
  canonicalJson, checkFileMeta, checkTargetFile, checkTargetManifest, decodeMetadata, keyEntry, signMetadata, verifyInitialRoot, verifyNextRoot,
  verifySnapshot, verifyTargets, verifyTimestamp, ROLES, type Metadata, type RootSigned, type Target,
} from '../../../protocols/fwrepo/index.js';

const key = (algorithm: KeyAlgorithm = 'ed25519'): FwpkgPrivateKey => parsePrivateKeyPem(generateKeyPair(algorithm).privatePem);
const code = (c: string) => expect.objectContaining({ code: c });
const NOW = new Date('2026-12-05T12:00:00Z');
const LATER = '2027-01-01T00:00:00Z';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Keys { root: FwpkgPrivateKey[]; targets: FwpkgPrivateKey[]; snapshot: FwpkgPrivateKey; timestamp: FwpkgPrivateKey; packages: FwpkgPrivateKey }

function rootOf(keys: Keys, version: number, threshold = 1, expires = LATER): RootSigned {
  const all = [...keys.root, ...keys.targets, keys.snapshot, keys.timestamp, keys.packages];
  return {
    _type: 'root', spec: 'fiscal-repo/1', version, expires,
    keys: Object.fromEntries(all.map((k) => [k.publicKey.keyId, keyEntry(k.publicKey)])),
    roles: {
      root: { keyIds: keys.root.map((k) => k.publicKey.keyId), threshold },
      targets: { keyIds: keys.targets.map((k) => k.publicKey.keyId), threshold: Math.min(threshold, keys.targets.length) },
      snapshot: { keyIds: [keys.snapshot.publicKey.keyId], threshold: 1 },
      timestamp: { keyIds: [keys.timestamp.publicKey.keyId], threshold: 1 },
      packages: { keyIds: [keys.packages.publicKey.keyId] },
    },
  };
}

const keys: Keys = { root: [key(), key('sm2'), key()], targets: [key(), key('sm2')], snapshot: key(), timestamp: key('sm2'), packages: key() };
const root1 = signMetadata('root', rootOf(keys, 1, 2), keys.root.slice(0, 2));
const target: Target = { name: `targets/${'a'.repeat(64)}.fwpkg`, length: 1000, sha256: 'a'.repeat(64), sm3: 'b'.repeat(64), models: ['FX-100'], version: '1.2.3' as Target['version'], paths: ['serial'] };

function chain(versions: { targets?: number; snapshot?: number; timestamp?: number } = {}, expires = LATER) {
  const targets = signMetadata('targets', { _type: 'targets', spec: 'fiscal-repo/1', version: versions.targets ?? 1, expires, targets: [target] }, keys.targets);
  const snapshot = signMetadata('snapshot', {
    _type: 'snapshot', spec: 'fiscal-repo/1', version: versions.snapshot ?? 1, expires,
    meta: { 'targets.json': { version: targets.signed.version, length: targets.bytes.length, sha256: sha256(targets.bytes) } },
  }, [keys.snapshot]);
  const timestamp = signMetadata('timestamp', {
    _type: 'timestamp', spec: 'fiscal-repo/1', version: versions.timestamp ?? 1, expires,
    meta: { 'snapshot.json': { version: snapshot.signed.version, length: snapshot.bytes.length, sha256: sha256(snapshot.bytes) } },
  }, [keys.timestamp]);
  return { targets, snapshot, timestamp };
}

function verifyChain(c: ReturnType<typeof chain>, trusted: Partial<ReturnType<typeof chain>> = {}, now = NOW) {
  const timestamp = verifyTimestamp(c.timestamp.bytes, root1.signed, trusted.timestamp, now);
  const snapshot = verifySnapshot(c.snapshot.bytes, root1.signed, timestamp, trusted.snapshot, now);
  return verifyTargets(c.targets.bytes, root1.signed, snapshot, trusted.targets, now);
}

describe('canonical JSON (SPEC.md §3)', () => {
  it('sorts keys by code unit, drops whitespace, escapes as JSON.stringify', () => {
    expect(canonicalJson({ b: [1, 'x\n"'], a: { d: true, c: '中' }, B: 0 })).toBe('{"B":0,"a":{"c":"中","d":true},"b":[1,"x\\n\\""]}');
  });
  it('refuses what has no single form: fractions, -0, null, huge numbers', () => {
    for (const value of [1.5, -0, null, 2 ** 60, { a: undefined }]) expect(() => canonicalJson(value)).toThrow(TypeError);
  });
  it('is independent of the layout of the file: a re-indented document still verifies', () => {
    const reformatted = new TextEncoder().encode(JSON.stringify(JSON.parse(Buffer.from(root1.bytes).toString()) as unknown));
    expect(verifyInitialRoot(reformatted).signed.version).toBe(1);
  });
});

describe('signatures and thresholds (SPEC.md §4)', () => {
  it('a chain signed with Ed25519 and SM2 keys verifies', () => {
    expect(verifyChain(chain()).signed.targets).toEqual([target]);
  });
  it('too few root signatures: REPO_THRESHOLD_NOT_MET', () => {
    const one = signMetadata('root', rootOf(keys, 1, 2), keys.root.slice(0, 1));
    expect(() => verifyInitialRoot(one.bytes)).toThrow(code('REPO_THRESHOLD_NOT_MET'));
  });
  it('the same key twice counts once', () => {
    const twice = signMetadata('root', rootOf(keys, 1, 2), [keys.root[0]!, keys.root[0]!]);
    expect(() => verifyInitialRoot(twice.bytes)).toThrow(code('REPO_THRESHOLD_NOT_MET'));
  });
  it('signed only by a key the root does not list for the role: REPO_UNKNOWN_KEY', () => {
    const c = chain();
    const forged = signMetadata('timestamp', c.timestamp.signed, [key()]);
    expect(() => verifyTimestamp(forged.bytes, root1.signed, undefined, NOW)).toThrow(code('REPO_UNKNOWN_KEY'));
    // A key of another role is just as foreign.
    const bySnapshotKey = signMetadata('timestamp', c.timestamp.signed, [keys.snapshot]);
    expect(() => verifyTimestamp(bySnapshotKey.bytes, root1.signed, undefined, NOW)).toThrow(code('REPO_UNKNOWN_KEY'));
  });
  it('a changed value under a valid signature: the signature no longer counts', () => {
    const c = chain();
    const text = Buffer.from(c.timestamp.bytes).toString().replace(`"version": ${c.timestamp.signed.version}`, '"version": 7');
    expect(() => verifyTimestamp(new TextEncoder().encode(text), root1.signed, undefined, NOW)).toThrow(code('REPO_THRESHOLD_NOT_MET'));
  });
});

describe('root rotation (SPEC.md §5)', () => {
  const next: Keys = { ...keys, root: [key(), key('sm2')] };
  it('N → N+1 signed by the old and the new threshold is followed, then N+1 → N+2', () => {
    const root2 = signMetadata('root', rootOf(next, 2, 2), [...keys.root.slice(0, 2), ...next.root]);
    expect(verifyNextRoot(root2.bytes, root1.signed).signed.version).toBe(2);
    const third: Keys = { ...keys, root: [key()] };
    const root3 = signMetadata('root', rootOf(third, 3, 1), [...next.root, ...third.root]);
    expect(verifyNextRoot(root3.bytes, root2.signed).signed.version).toBe(3);
  });
  it('signed by the new keys only, or the old keys only: refused', () => {
    const newOnly = signMetadata('root', rootOf(next, 2, 2), next.root);
    expect(() => verifyNextRoot(newOnly.bytes, root1.signed)).toThrow(code('REPO_UNKNOWN_KEY'));
    const oldOnly = signMetadata('root', rootOf(next, 2, 2), keys.root.slice(0, 2));
    expect(() => verifyNextRoot(oldOnly.bytes, root1.signed)).toThrow(code('REPO_UNKNOWN_KEY'));
    const oneOld = signMetadata('root', rootOf(next, 2, 2), [keys.root[0]!, ...next.root]);
    expect(() => verifyNextRoot(oneOld.bytes, root1.signed)).toThrow(code('REPO_THRESHOLD_NOT_MET'));
  });
  it('a root that skips a version: REPO_ROOT_VERSION_SKIPPED; an older one: REPO_ROLLBACK', () => {
    const skip = signMetadata('root', rootOf(next, 3, 2), [...keys.root.slice(0, 2), ...next.root]);
    expect(() => verifyNextRoot(skip.bytes, root1.signed)).toThrow(code('REPO_ROOT_VERSION_SKIPPED'));
    expect(() => verifyNextRoot(root1.bytes, root1.signed)).toThrow(code('REPO_ROLLBACK'));
  });
});

describe('update rules (SPEC.md §6)', () => {
  const trusted = chain({ targets: 2, snapshot: 3, timestamp: 4 });
  it('an older timestamp, snapshot or targets than trusted: REPO_ROLLBACK', () => {
    expect(() => verifyChain(chain({ targets: 2, snapshot: 3, timestamp: 3 }), trusted)).toThrow(code('REPO_ROLLBACK'));
    expect(() => verifyChain(chain({ targets: 2, snapshot: 2, timestamp: 5 }), trusted)).toThrow(code('REPO_ROLLBACK'));
    expect(() => verifyChain(chain({ targets: 1, snapshot: 4, timestamp: 5 }), trusted)).toThrow(code('REPO_ROLLBACK'));
  });
  it('the same version with other bytes is not newer: REPO_ROLLBACK; the same bytes are fine', () => {
    expect(verifyChain(trusted, trusted).signed.version).toBe(2);
    const other = chain({ targets: 2, snapshot: 3, timestamp: 4 }, '2027-01-02T00:00:00Z');
    expect(() => verifyChain(other, trusted)).toThrow(code('REPO_ROLLBACK'));
  });
  it('expired metadata (a frozen mirror): REPO_METADATA_EXPIRED', () => {
    expect(() => verifyChain(chain({}, '2026-12-05T12:00:00Z'))).toThrow(code('REPO_METADATA_EXPIRED'));
    expect(() => verifyChain(chain(), {}, new Date(LATER))).toThrow(code('REPO_METADATA_EXPIRED'));
  });
  it('a snapshot other than the timestamp names: REPO_DIGEST_MISMATCH; longer: REPO_LENGTH_EXCEEDED', () => {
    const c = chain();
    const other = chain({ snapshot: 1 }, '2027-01-03T00:00:00Z');
    expect(() => verifyChain({ ...c, snapshot: other.snapshot })).toThrow(code('REPO_DIGEST_MISMATCH'));
    const longer = new Uint8Array([...c.snapshot.bytes, 0x20]);
    expect(() => checkFileMeta(longer, c.timestamp.signed.meta['snapshot.json'], 'snapshot.json')).toThrow(code('REPO_LENGTH_EXCEEDED'));
  });
  it('a package against its target: length, SHA-256, SM3, and the manifest it signs', () => {
    expect(() => checkTargetFile({ length: 1000, sha256: target.sha256, sm3: target.sm3 }, target)).not.toThrow();
    expect(() => checkTargetFile({ length: 1001, sha256: target.sha256, sm3: target.sm3 }, target)).toThrow(code('REPO_LENGTH_EXCEEDED'));
    expect(() => checkTargetFile({ length: 1000, sha256: 'c'.repeat(64), sm3: target.sm3 }, target)).toThrow(code('REPO_DIGEST_MISMATCH'));
    expect(() => checkTargetFile({ length: 1000, sha256: target.sha256, sm3: 'c'.repeat(64) }, target)).toThrow(code('REPO_DIGEST_MISMATCH'));
    expect(() => checkTargetManifest({ models: ['FX-100'], version: '1.2.4', paths: ['serial'] }, target)).toThrow(code('REPO_TARGET_MISMATCH'));
    expect(() => checkTargetManifest({ models: ['FX-100'], version: '1.2.3', paths: ['serial'] }, target)).not.toThrow();
  });
});

describe('decoders under fuzzing (fast-check)', () => {
  const REFUSALS = ['REPO_METADATA_MALFORMED', 'REPO_LENGTH_EXCEEDED', 'REPO_THRESHOLD_NOT_MET', 'REPO_UNKNOWN_KEY', 'REPO_ROLLBACK', 'REPO_METADATA_EXPIRED', 'REPO_DIGEST_MISMATCH', 'REPO_ROOT_VERSION_SKIPPED'];
  const refusalOf = (run: () => unknown): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      const c = (error as { code?: string }).code;
      if (!c || !REFUSALS.includes(c)) throw error;
      return c;
    }
  };
  const c = chain();
  const documents: Metadata[] = [root1, c.targets, c.snapshot, c.timestamp];

  it('arbitrary bytes and arbitrary JSON are refused with a REPO_ code, never a crash', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map((t) => new TextEncoder().encode(t))), fc.constantFrom(...ROLES), (bytes, role) => {
      expect(refusalOf(() => decodeMetadata(bytes, role))).toBeDefined();
    }), { numRuns: 400 });
  });

  it('any single byte changed in a signed document is refused or verifies to the very same signed value', () => {
    fc.assert(fc.property(fc.constantFrom(...documents), fc.nat(), fc.integer({ min: 1, max: 255 }), (document, at, mask) => {
      const bytes = Uint8Array.from(document.bytes);
      bytes[at % bytes.length]! ^= mask;
      const verify = () => (document.role === 'root' ? verifyInitialRoot(bytes)
        : document.role === 'timestamp' ? verifyTimestamp(bytes, root1.signed, undefined, NOW)
          : document.role === 'snapshot' ? verifySnapshot(bytes, root1.signed, c.timestamp, undefined, NOW)
            : verifyTargets(bytes, root1.signed, c.snapshot, undefined, NOW));
      let result: Metadata | undefined;
      const refusal = refusalOf(() => { result = verify(); });
      if (refusal === undefined) expect(result!.signed).toEqual(document.signed);
    }), { numRuns: 300 });
  });
});
