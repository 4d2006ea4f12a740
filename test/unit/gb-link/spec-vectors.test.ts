import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as link from '../../../protocols/gb-link/index.js';
import type { CommandSpec, Frame } from '../../../protocols/gb-link/index.js';

const specPath = fileURLToPath(new URL('../../../protocols/gb-link/SPEC.md', import.meta.url));
const spec = readFileSync(specPath, 'utf8');

interface Vector { name: string; direction: string; payload: string; bytes: Uint8Array; value: string }

function vectors(): Vector[] {
  const block = /```vectors\n([\s\S]*?)```/.exec(spec);
  if (block === null) throw new Error('SPEC.md has no vectors block');
  return block[1]!.trim().split('\n').map((line) => {
    const [name, direction, payload, hex, value] = line.split(' | ').map((s) => s.trim());
    return { name: name!, direction: direction!, payload: payload!, bytes: Uint8Array.from(Buffer.from(hex!.replaceAll(' ', ''), 'hex')), value: value! };
  });
}

const allCommands = Object.values(link).filter((v): v is CommandSpec<unknown, unknown> =>
  typeof v === 'object' && v !== null && 'code' in v && 'request' in v && 'response' in v);

/** `37.response`, `64/02.request`: the command by code (and 64's sub-command), then the side. */
function codecFor(ref: string) {
  const [id, side] = ref.split('.') as [string, 'request' | 'response'];
  const [code, sub] = id.split('/').map((h) => parseInt(h, 16));
  const candidates = [...allCommands, ...Object.values(link.selfChecks)].filter((c) => c.code === code);
  const command = sub === undefined ? candidates[0] : candidates.find((c) => safeSub(c) === sub);
  if (command === undefined) throw new Error(`no codec for ${ref}`);
  return command[side];
}

function safeSub(command: CommandSpec<unknown, unknown>): number | undefined {
  const subs: Record<string, number> = link.FIRMWARE_SUB;
  return subs[command.name.replace('firmware ', '')];
}

function revive(json: string): unknown {
  return JSON.parse(json, (_k, v) => (typeof v === 'string' && v.startsWith('hex:') ? Uint8Array.from(Buffer.from(v.slice(4), 'hex')) : v));
}

function payloadOf(frame: Frame): Uint8Array {
  if (frame.kind === 'command') return frame.params;
  if (frame.kind === 'ok') return frame.data;
  throw new Error(`${frame.kind} frame has no payload`);
}

describe('SPEC.md test vectors', () => {
  const all = vectors();

  it('has vectors, among them the multi-packet initialize', () => {
    expect(all.length).toBeGreaterThanOrEqual(25);
    expect(all.some((v) => v.name.startsWith('initialize (two packets) [2/2]'))).toBe(true);
  });

  const whole = (v: Vector) => v.direction === 'params' || v.direction === 'data';

  it.each(all.filter((v) => !whole(v)).map((v) => [v.name, v] as const))('%s', (_, vector) => {
    const body = vector.bytes.subarray(0, -2);
    const crc = (vector.bytes.at(-2)! << 8) | vector.bytes.at(-1)!;
    expect(link.crc16Umts(body).toString(16)).toBe(crc.toString(16));
    const decoder = new link.FrameDecoder(vector.direction as link.FrameDirection);
    const frames = decoder.push(vector.bytes);
    expect(frames).toHaveLength(1);
    expect(decoder.pending).toBe(0);
    expect(link.encodeFrame(frames[0]!)).toEqual(vector.bytes);
    if (vector.payload !== '-') {
      const codec = codecFor(vector.payload);
      const payload = payloadOf(frames[0]!);
      const expected = revive(vector.value);
      expect(codec.decode(payload) ?? null).toEqual(expected);
      expect(codec.encode(expected ?? undefined)).toEqual(payload);
    }
  });

  it('reassembles the multi-packet initialize to its documented PARAMS', () => {
    const packets = all.filter((v) => v.name.startsWith('initialize (two packets) [') && v.direction === 'to-register');
    const whole = all.find((v) => v.direction === 'params' && v.payload === '30.request')!;
    const decoder = new link.FrameDecoder('to-register');
    const assembler = new link.CommandAssembler();
    const steps = packets.flatMap((p) => decoder.push(p.bytes)).map((f) => assembler.accept(f as link.CommandFrame));
    expect(steps[0]).toEqual({ type: 'ack', pkt: 1 });
    expect(steps[1]).toEqual({ type: 'complete', cmd: 0x30, params: whole.bytes });
    expect(link.initialize.request.decode(whole.bytes)).toEqual(revive(whole.value));
  });

  it.each(all.filter(whole).map((v) => [v.name, v] as const))('%s: its packets reassemble to it and it decodes', (_, vector) => {
    const stem = vector.name.replace(/ \[whole\]$/, '');
    const packets = all.filter((v) => v.name.startsWith(`${stem} [`) && !whole(v));
    expect(packets.length).toBeGreaterThan(1);
    const decoder = new link.FrameDecoder(vector.direction === 'params' ? 'to-register' : 'to-host');
    const frames = packets.flatMap((p) => decoder.push(p.bytes));
    expect(frames.map((f) => ('pkt' in f ? f.pkt : -1))).toEqual([...packets.slice(1).map((_p, i) => i + 1), 0]);
    expect(Buffer.concat(frames.map(payloadOf))).toEqual(Buffer.from(vector.bytes));
    const codec = codecFor(vector.payload);
    expect(codec.decode(vector.bytes)).toEqual(revive(vector.value));
    expect(codec.encode(revive(vector.value))).toEqual(vector.bytes);
  });

  it('states the CRC check value and the ER codes the codec maps', () => {
    expect(spec).toContain('`FE E8`');
    expect(link.crc16Umts(new TextEncoder().encode('123456789'))).toBe(0xfee8);
    for (const [er, code] of link.knownErrorCodes) {
      if (er <= 0x0f) continue; // 01–0F are documented as a pattern
      const row = new RegExp(`\\| ${link.hexByte(er)}( \\[project\\])? \\| ${code} \\|`);
      expect(spec, `ER ${link.hexByte(er)}`).toMatch(row);
    }
  });
});
