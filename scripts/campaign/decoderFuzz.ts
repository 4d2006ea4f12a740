// Campaign part (b): property fuzzing of every decoder in protocols/ for a fixed time budget. Each target is fed
// random bytes and mutations (bit flips, interesting values, truncation, extension, splices, duplications) of a
// corpus that starts from valid encodings (fast-check samples of the unit tests' arbitraries, built packages and
// metadata) and grows with every input a decoder accepted at a length not seen before. The property: a decoder
// returns a value or throws its typed error (GatewayError); any other throw is a crash, a decode over 1 s a hang.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isGatewayError } from '../../contracts/errors/index.js';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { decodeCommandApdu, decodeResponseApdu, encodeCommandApdu } from '../../protocols/apdu/index.js';
import { readTar } from '../../protocols/codec/tar/readTar.js';
import { buildFwpkg, claimedKeyId, packFwpkg, generateKeyPair, parseFirmwareVersion, parseManifestBytes, parsePrivateKeyPem, unpackFwpkg } from '../../protocols/fwpkg/index.js';
import * as link from '../../protocols/gb-link/index.js';
import { parseWindowedParams, windowedParams } from '../../protocols/gb-link/window.js';
import type { CommandApdu } from '../../protocols/apdu/index.js';
import * as card from '../../protocols/gb18240-card/index.js';
import type * as FwRepo from '../../protocols/fwrepo/index.js';
import * as gbArb from '../../test/unit/gb-link/arbitraries.js';
import { countedWindowTargets } from './countedWindowTargets.js';
import { fwpkgSpanTarget, paxNamedPackage } from './fwpkgSpanTargets.js';

const root = resolve(import.meta.dirname, '..', '..');

export interface FuzzTarget {
  readonly name: string;
  /** Decodes the input; a GatewayError is the decoder's typed refusal, anything else thrown is a crash. */
  decode(bytes: Uint8Array): unknown;
  readonly seeds: readonly Uint8Array[];
  /** Longest random input. */
  readonly maxLength: number;
}

export interface FuzzCrash { readonly target: string; readonly input: string; readonly error: string }

export interface DecoderFuzzTotals {
  inputs: number;
  /** Inputs a decoder accepted (returned a value). */
  accepted: number;
  crashes: number;
  hangs: number;
  targets: number;
  /** The targets fuzzed, by name. */
  targetNames: string[];
  byFamily: Record<string, number>;
  /** The first crashes and hangs, for the report (input in hex, at most 256 bytes shown). */
  examples: FuzzCrash[];
}

const bytesOf = (value: Uint8Array) => Uint8Array.from(value);
const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed: number): T[] => fc.sample(arb, { numRuns: n, seed });

interface Spec { code: number; name: string; request: { decode(b: Uint8Array): unknown; encode(v: never): Uint8Array }; response: { decode(b: Uint8Array): unknown; encode(v: never): Uint8Array } }

/** Valid encodings of some answers, from the unit tests' arbitraries: deep seeds for the record decoders. */
function linkSeeds(): Map<string, Uint8Array[]> {
  const seeds = new Map<string, Uint8Array[]>();
  const add = <T>(spec: { name: string; response: { encode(v: T): Uint8Array } }, arb: fc.Arbitrary<T>) => {
    seeds.set(`${spec.name}.response`, sample(arb, 8, 7).map((value) => bytesOf(spec.response.encode(value))));
  };
  add(link.factoryData, gbArb.factoryData);
  add(link.userInfo, gbArb.userInfo);
  add(link.status, gbArb.status);
  add(link.invoicesByIndex, fc.array(gbArb.invoice, { maxLength: 4 }));
  add(link.dailyRecords, fc.array(gbArb.dailyRecord, { maxLength: 3 }));
  add(link.declarations, fc.array(gbArb.declaration, { maxLength: 3 }));
  add(link.distributedRolls, fc.array(gbArb.roll, { maxLength: 4 }));
  add(link.capabilities, gbArb.capabilities);
  add(link.recordCounts, gbArb.recordCounts);
  add(link.firmwareQuery, gbArb.firmwareTransfer);
  add(link.controlWriteBack, gbArb.controlLimits);
  add(link.initializationHistory, fc.array(gbArb.initializationRecord, { maxLength: 3 }));
  add(link.dateTime, gbArb.dateTime);
  return seeds;
}

function isSpec(value: unknown): value is Spec {
  const v = value as Partial<Spec> | null;
  return typeof v === 'object' && v !== null && typeof v.code === 'number' && typeof v.request?.decode === 'function' && typeof v.response?.decode === 'function';
}

interface LayoutLike { name: string; size: number; read: unknown }
const isLayout = (value: unknown): value is LayoutLike & card.Layout<unknown> => {
  const v = value as Partial<LayoutLike> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.size === 'number' && typeof v.read === 'function';
};
const isCardCommand = (value: unknown): value is card.CardCommand<unknown, unknown> => {
  const v = value as Partial<card.CardCommand<unknown, unknown>> | null;
  return typeof v === 'object' && v !== null && typeof v.decodeResponse === 'function' && typeof v.decodeRequest === 'function' && typeof v.ins === 'number';
};

function randomBytes(rng: Rng, length: number): Uint8Array {
  return rng.bytes(length);
}

function frameSeeds(rng: Rng): Uint8Array[] {
  const frames = [
    link.encodeCommandFrame(0x37, 0), link.encodeCommandFrame(0x3f, 1, randomBytes(rng, 6)), link.encodeOkFrame(0, randomBytes(rng, 40)),
    link.encodeOkFrame(3, randomBytes(rng, 249)), link.encodeErrorFrame(0x20), link.encodeBusyFrame(), link.encodeNextFrame(2),
  ];
  const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) { stream.set(f, at); at += f.length; }
  return [...frames.map(bytesOf), stream];
}

/** Every decoder target, with its seeds. Async decoders (tar, fwpkg) are wrapped to be awaited. */
export async function decoderTargets(rng: Rng): Promise<FuzzTarget[]> {
  const targets: FuzzTarget[] = [];
  // GB link: the frame decoder both ways (fed whole, then in two chunks), the windowed params, every command's payloads.
  for (const direction of ['to-host', 'to-register'] as const) {
    targets.push({
      name: `gb-link.frames.${direction}`, seeds: frameSeeds(rng), maxLength: 600,
      decode(bytes) {
        const decoder = new link.FrameDecoder(direction);
        const cut = bytes.length >> 1;
        return [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut)), ...decoder.idle()].length;
      },
    });
  }
  targets.push({ name: 'gb-link.windowedParams', seeds: [windowedParams(8, 0x3f, randomBytes(rng, 6))].map(bytesOf), maxLength: 300, decode: (b) => parseWindowedParams(b) });
  // The counted form (protocol version 2): its PARAMS, the receiver holding packets by their count, its frames at a register.
  targets.push(...countedWindowTargets());
  const seeds = linkSeeds();
  for (const value of Object.values(link)) {
    if (!isSpec(value)) continue;
    for (const side of ['request', 'response'] as const) {
      const name = `${value.name}.${side}`;
      targets.push({ name: `gb-link.payload.${name}`, seeds: seeds.get(name) ?? [], maxLength: 700, decode: (b) => value[side].decode(b) });
    }
  }
  // APDUs.
  const apdus: CommandApdu[] = [
    { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: Uint8Array.of(0xa0, 0, 0, 3), le: 256 },
    { cla: 0xc0, ins: 0xf0, p1: 0, p2: 0, data: new Uint8Array(0), le: 12 }, { cla: 0x00, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), le: 65536 },
    { cla: 0x00, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300) },
  ];
  targets.push({ name: 'apdu.command', seeds: apdus.map((a) => bytesOf(encodeCommandApdu(a))), maxLength: 700, decode: decodeCommandApdu });
  targets.push({ name: 'apdu.response', seeds: [Uint8Array.of(0x90, 0), Uint8Array.of(1, 2, 3, 0x61, 0x10)], maxLength: 300, decode: decodeResponseApdu });
  // Card records and command data fields (GB18240.2): every layout and every command, both directions.
  for (const [key, value] of Object.entries(card)) {
    if (isLayout(value)) {
      targets.push({ name: `card.layout.${key}`, seeds: [randomBytes(rng, value.size)], maxLength: value.size * 2 + 8, decode: (b) => card.decodeExact(value, b) });
    } else if (isCardCommand(value)) {
      targets.push({ name: `card.command.${value.name}.response`, seeds: [randomBytes(rng, value.responseSize)], maxLength: value.responseSize * 2 + 8, decode: (b) => value.decodeResponse(b) });
      targets.push({ name: `card.command.${value.name}.request`, seeds: [randomBytes(rng, value.requestSize)], maxLength: value.requestSize * 2 + 8, decode: (b) => value.decodeRequest(b) });
    }
  }
  targets.push({ name: 'card.fci.statedFileSize', seeds: [bytesOf(card.fileControlParameters(0xef02, 120, 'binary')), bytesOf(card.fileControlParameters(0xef04, 30, 'record'))], maxLength: 120, decode: card.statedFileSize });
  // Firmware packages: the manifest bytes, the key id claim, the whole tar.
  const key = parsePrivateKeyPem(readFileSync(join(root, 'fixtures', 'packages', 'vector-sm2.key'), 'utf8'));
  const v = parseFirmwareVersion('1.2.3');
  const built = await buildFwpkg({ image: randomBytes(rng, 3000), key, vendor: 'fuzz', models: ['SIM-ECR-200'], version: v, versionLowest: v, bootloaderLowest: v, paths: ['serial'], releaseNotes: 'n', createdAt: new Date('2026-12-01T00:00:00Z') });
  const parts = await unpackFwpkg(built.bytes);
  targets.push({ name: 'fwpkg.manifest', seeds: [bytesOf(parts.manifest)], maxLength: 2000, decode: parseManifestBytes });
  targets.push({ name: 'fwpkg.claimedKeyId', seeds: [bytesOf(parts.manifest)], maxLength: 2000, decode: claimedKeyId });
  targets.push({ name: 'fwpkg.tar', seeds: [bytesOf(built.bytes)], maxLength: 8000, decode: (b) => unpackFwpkg(b, { maxImageBytes: 1 << 20 }) });
  // The kept package's tar walk (the daemon reads the image at its span), against the stream reader's verdict.
  targets.push(fwpkgSpanTarget([
    bytesOf(built.bytes), bytesOf(await packFwpkg({ ...parts, signature: new Uint8Array(0) }, new Date('2026-12-01T00:00:00Z'))), await paxNamedPackage(parts),
  ]));
  targets.push({
    name: 'codec.tar', seeds: [bytesOf(built.bytes)], maxLength: 8000,
    decode: (b) => readTar((async function* () { yield b; })(), () => () => undefined),
  });
  // Repository metadata (protocols/fwrepo), when this tree has it.
  targets.push(...await fwrepoTargets());
  return targets;
}

async function fwrepoTargets(): Promise<FuzzTarget[]> {
  let repo: typeof FwRepo;
  try {
    repo = await import('../../protocols/fwrepo/index.js');
  } catch {
    return [];
  }
  const keys = [parsePrivateKeyPem(generateKeyPair('ed25519').privatePem), parsePrivateKeyPem(generateKeyPair('sm2').privatePem)];
  const ids = keys.map((k) => k.publicKey.keyId);
  const expires = '2027-01-01T00:00:00Z';
  const rootSigned = {
    _type: 'root', spec: 'fiscal-repo/1', version: 1, expires,
    keys: Object.fromEntries(keys.map((k) => [k.publicKey.keyId, repo.keyEntry(k.publicKey)])),
    roles: { root: { keyIds: ids, threshold: 1 }, targets: { keyIds: ids, threshold: 1 }, snapshot: { keyIds: ids, threshold: 1 }, timestamp: { keyIds: ids, threshold: 1 }, packages: { keyIds: ids } },
  } as never;
  const rootDoc = repo.signMetadata('root', rootSigned, keys);
  const targets = repo.signMetadata('targets', {
    _type: 'targets', spec: 'fiscal-repo/1', version: 1, expires,
    targets: [{ name: `targets/${'a'.repeat(64)}.fwpkg`, length: 1000, sha256: 'a'.repeat(64), sm3: 'b'.repeat(64), models: ['FX-100'], version: '1.2.3', paths: ['serial'] }],
  } as never, keys);
  const list: FuzzTarget[] = [];
  for (const role of repo.ROLES) {
    list.push({ name: `fwrepo.metadata.${role}`, seeds: [bytesOf(rootDoc.bytes), bytesOf(targets.bytes)], maxLength: 4000, decode: (b) => repo.decodeMetadata(b, role) });
  }
  list.push({ name: 'fwrepo.initialRoot', seeds: [bytesOf(rootDoc.bytes)], maxLength: 4000, decode: (b) => repo.verifyInitialRoot(b) });
  return list;
}

const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x1b, 0x20, 0x30, 0x39, 0x2e, 0x22, 0x7b, 0x7d];

function joined(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

function mutate(rng: Rng, input: Uint8Array, corpus: readonly Uint8Array[], maxLength: number): Uint8Array {
  let out: Uint8Array = Uint8Array.from(input);
  const steps = rng.int(1, 4);
  for (let s = 0; s < steps; s += 1) {
    const op = rng.int(0, 7);
    if (out.length === 0 && op < 5) { out = rng.bytes(rng.int(1, 8)); continue; }
    switch (op) {
      case 0: { const at = rng.int(0, out.length - 1); out[at] = out[at]! ^ (1 << rng.int(0, 7)); break; }
      case 1: out[rng.int(0, out.length - 1)] = rng.pick(interesting); break;
      case 2: out[rng.int(0, out.length - 1)] = rng.int(0, 255); break;
      case 3: out = out.slice(0, rng.int(0, out.length - 1)); break;
      case 4: { const at = rng.int(0, out.length - 1); out = joined(out.subarray(0, at), out.subarray(at + rng.int(1, 8))); break; }
      case 5: { const at = rng.int(0, out.length); out = joined(out.subarray(0, at), rng.bytes(rng.int(1, 16)), out.subarray(at)); break; }
      case 6: { const other = rng.pick(corpus); const at = rng.int(0, out.length); out = joined(out.subarray(0, at), other.subarray(rng.int(0, other.length))); break; }
      default: {
        if (out.length < 2) break;
        const from = rng.int(0, out.length - 1);
        const len = rng.int(1, Math.min(32, out.length - from));
        const at = rng.int(0, out.length);
        out = joined(out.subarray(0, at), out.slice(from, from + len), out.subarray(at));
      }
    }
  }
  return out.length > maxLength * 2 ? out.subarray(0, maxLength * 2) : out;
}

/** An async decode still pending after this long is counted as a hang and left behind. */
const NEVER_SETTLES_MS = 5000;

async function settledWithin(value: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([value, new Promise<'pending'>((resolve) => { timer = setTimeout(() => resolve('pending'), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

const hexOf = (b: Uint8Array) => Buffer.from(b.subarray(0, 256)).toString('hex') + (b.length > 256 ? '…' : '');

export interface DecoderFuzzOptions {
  readonly seed: number;
  readonly budgetMs: number;
  /** Stop once this many inputs were tried (the fast slice). */
  readonly maxInputs?: number;
  /** Instead of every decoder of protocols/ (a test's planted decoder). */
  readonly targets?: readonly FuzzTarget[];
  /** An async decode still pending after this long is a hang (default NEVER_SETTLES_MS). */
  readonly settleMs?: number;
  readonly say?: (line: string) => void;
}

export async function runDecoderFuzz(options: DecoderFuzzOptions): Promise<DecoderFuzzTotals> {
  const rng = new Rng(options.seed);
  const targets = options.targets ?? await decoderTargets(rng);
  const totals: DecoderFuzzTotals = { inputs: 0, accepted: 0, crashes: 0, hangs: 0, targets: targets.length, targetNames: targets.map((t) => t.name), byFamily: {}, examples: [] };
  const corpora = targets.map((t) => [...t.seeds.filter((s) => s.length > 0), Uint8Array.of(0)]);
  const seenLengths = targets.map(() => new Set<number>());
  const deadline = Date.now() + options.budgetMs;
  const maxInputs = options.maxInputs ?? Infinity;
  const settleMs = options.settleMs ?? NEVER_SETTLES_MS;
  const SLICE = 200;
  while (Date.now() < deadline && totals.inputs < maxInputs) {
    for (let t = 0; t < targets.length && totals.inputs < maxInputs; t += 1) {
      const target = targets[t]!;
      const corpus = corpora[t]!;
      const family = target.name.split('.')[0]!;
      for (let i = 0; i < SLICE && totals.inputs < maxInputs; i += 1) {
        const input = rng.chance(0.25) ? rng.bytes(rng.int(0, target.maxLength)) : mutate(rng, rng.pick(corpus), corpus, target.maxLength);
        totals.inputs += 1;
        totals.byFamily[family] = (totals.byFamily[family] ?? 0) + 1;
        const started = performance.now();
        try {
          const value = target.decode(input);
          if (value instanceof Promise && (await settledWithin(value, settleMs)) === 'pending') {
            // A decode that never settles would stop the campaign here: a hang, and on to the next input.
            totals.hangs += 1;
            if (totals.examples.length < 20) totals.examples.push({ target: target.name, input: hexOf(input), error: `not settled after ${settleMs} ms` });
            continue;
          }
          totals.accepted += 1;
          if (!seenLengths[t]!.has(input.length) && corpus.length < 512) {
            seenLengths[t]!.add(input.length);
            corpus.push(input);
          }
        } catch (error) {
          if (!isGatewayError(error)) {
            totals.crashes += 1;
            if (totals.examples.length < 20) totals.examples.push({ target: target.name, input: hexOf(input), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
          }
        }
        if (performance.now() - started > 1000) {
          totals.hangs += 1;
          if (totals.examples.length < 20) totals.examples.push({ target: target.name, input: hexOf(input), error: `took ${(performance.now() - started).toFixed(0)} ms` });
        }
      }
      // Let the rest of the process breathe (the campaign's other parts share this event loop).
      await new Promise((r) => setImmediate(r));
    }
  }
  options.say?.(`decoders: ${totals.inputs} inputs over ${totals.targets} targets, ${totals.accepted} accepted, ${totals.crashes} crashes, ${totals.hangs} hangs`);
  return totals;
}
