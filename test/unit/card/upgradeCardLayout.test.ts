import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { decodeCommandApdu, encodeCommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import {
  apduLimitsFor, atrHistoricalBytes, cardCapabilities, decodeExtendedLengthInfo, encodeCapabilityHistoricalBytes, encodeExtendedLengthInfo,
} from '../../../protocols/gb18240-card/cardCapabilities.js';
import {
  dataRoomIn, decodeUpgradeAreaAnswer, decodeUpgradeAreaRequest, encodeUpgradeAreaAnswer, readChunkSize, readUpgradeArea, SHORT_APDU_LIMITS,
  updateUpgradeArea, writeChunkSize, type ApduLimits,
} from '../../../protocols/gb18240-card/upgradeCardCommands.js';
import {
  ANY_MACHINE, cardsNeeded, dataPerCard, decodeUpgradeCardHeader, encodeUpgradeCardHeader, joinUpgradeCards, readUpgradeCardHeader, sha256Hex,
  splitIntoUpgradeCards, UPGRADE_CARD_HEADER_SIZE, type UpgradeCardHeader,
} from '../../../protocols/gb18240-card/upgradeCardLayout.js';

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const version = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `${a}.${b}.${c}`);
const model = fc.oneof(fc.constantFrom('FG-2000', '税控收款机A1', 'M'), fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/));
const machine = fc.stringMatching(/^\d{16}$/);

const header: fc.Arbitrary<UpgradeCardHeader> = fc.record({
  parts: fc.integer({ min: 1, max: 0xffff }), trialSeconds: fc.nat(0xffff), manifestSha256: hex(32), dataSha256: hex(32),
  packageId: hex(16), version, model, machineNumber: machine,
  lengths: fc.tuple(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 0, max: 1_000_000 })),
  partPick: fc.nat(),
}).map(({ parts, lengths: [dataLength, extra], partPick, ...rest }) => {
  const part = 1 + (partPick % parts);
  const dataOffset = part === 1 ? 0 : extra + 1;
  const packageLength = part === parts ? dataOffset + dataLength : dataOffset + dataLength + extra + 1;
  return { ...rest, part, parts, dataOffset, dataLength, packageLength };
});

const info = { packageId: 'ab'.repeat(16), version: '9.1.0', model: 'FG-2000', manifestSha256: 'cd'.repeat(32), trialSeconds: 120, machineNumber: '4403000012345678' };

describe('upgrade card header (SPEC §8.2)', () => {
  it('encodes to 140 bytes and decodes to the same header, for any header', () => {
    fc.assert(fc.property(header, (h) => {
      const bytes = encodeUpgradeCardHeader(h);
      expect(bytes.length).toBe(UPGRADE_CARD_HEADER_SIZE);
      expect(decodeUpgradeCardHeader(bytes)).toEqual(h);
    }));
  });

  it('never throws on arbitrary bytes, and accepts only what encodes back the same', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const reading = readUpgradeCardHeader(bytes);
      if (reading.ok) expect(Buffer.from(encodeUpgradeCardHeader(reading.header))).toEqual(Buffer.from(bytes.subarray(0, UPGRADE_CARD_HEADER_SIZE)));
    }), { numRuns: 2000 });
  });

  it('refuses any single flipped byte of a header (magic, format, fields, check)', () => {
    const bytes = encodeUpgradeCardHeader({ ...info, part: 2, parts: 3, packageLength: 300, dataOffset: 100, dataLength: 100, dataSha256: 'ef'.repeat(32) });
    for (let i = 0; i < bytes.length; i += 1) {
      const bad = Uint8Array.from(bytes);
      bad[i] = bad[i]! ^ 0x01;
      expect(readUpgradeCardHeader(bad).ok, `byte ${i}`).toBe(false);
    }
  });

  it('tells a blank card from a foreign one and a damaged one', () => {
    expect(readUpgradeCardHeader(new Uint8Array(140))).toMatchObject({ ok: false, reason: 'blank' });
    expect(readUpgradeCardHeader(new Uint8Array(140).fill(0xff))).toMatchObject({ ok: false, reason: 'blank' });
    expect(readUpgradeCardHeader(new Uint8Array(140).fill(0x41))).toMatchObject({ ok: false, reason: 'not-ours' });
    expect(readUpgradeCardHeader(new Uint8Array(10))).toMatchObject({ ok: false, reason: 'format' });
    const good = encodeUpgradeCardHeader({ ...info, part: 1, parts: 1, packageLength: 10, dataOffset: 0, dataLength: 10, dataSha256: 'ef'.repeat(32) });
    const future = Uint8Array.from(good);
    future[4] = 2;
    expect(readUpgradeCardHeader(future)).toMatchObject({ ok: false, reason: 'format' });
    const checked = Uint8Array.from(good);
    checked[139] = checked[139]! ^ 0xff;
    expect(readUpgradeCardHeader(checked)).toMatchObject({ ok: false, reason: 'check' });
  });

  it('refuses to encode what the layout cannot hold or what contradicts itself', () => {
    const base = { ...info, part: 1, parts: 1, packageLength: 10, dataOffset: 0, dataLength: 10, dataSha256: 'ef'.repeat(32) };
    const refusals: Partial<UpgradeCardHeader>[] = [
      { part: 0 }, { part: 2 }, { parts: 0 }, { dataLength: 0 }, { dataLength: 11 }, { dataOffset: 1 }, { packageLength: 11 },
      { version: '1.2' }, { version: '256.0.0' }, { packageId: 'xyz' }, { manifestSha256: 'AB'.repeat(32) }, { model: '' },
      { model: '一二三四五六七八九十一' }, { machineNumber: '12' }, { trialSeconds: 70_000 },
    ];
    for (const change of refusals) {
      const thrown = (() => {
        try {
          encodeUpgradeCardHeader({ ...base, ...change });
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(isGatewayError(thrown, 'CARD_VALUE_INVALID'), JSON.stringify(change)).toBe(true);
    }
  });
});

describe('a package over several cards', () => {
  it('splits into ⌈L / (capacity − 140)⌉ cards that join back into the package, in any order', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.integer({ min: 141, max: 900 }), fc.nat(), (pkg, capacity, seed) => {
      const parts = splitIntoUpgradeCards(pkg, capacity, info);
      expect(parts.length).toBe(cardsNeeded(pkg.length, capacity));
      for (const part of parts) expect(part.bytes.length).toBeLessThanOrEqual(capacity);
      const shuffled = [...parts].sort((a, b) => ((a.header.part * 7919 + seed) % 101) - ((b.header.part * 7919 + seed) % 101));
      const joined = joinUpgradeCards(shuffled.map((p) => p.bytes));
      expect(joined.ok && Buffer.from(joined.pkg).equals(Buffer.from(pkg))).toBe(true);
    }), { numRuns: 300 });
  });

  it('a 200 KiB package takes 4 cards of 64 KiB; the last one carries the rest', () => {
    const pkg = Uint8Array.from({ length: 200 * 1024 }, (_, i) => i % 251);
    const parts = splitIntoUpgradeCards(pkg, 64 * 1024, info);
    expect(parts.map((p) => [p.header.part, p.header.parts, p.header.dataOffset, p.header.dataLength])).toEqual([
      [1, 4, 0, 65396], [2, 4, 65396, 65396], [3, 4, 130792, 65396], [4, 4, 196188, 8612],
    ]);
    expect(parts[3]!.header.dataSha256).toBe(sha256Hex(pkg.subarray(196188)));
  });

  it('will not join a set with a part missing, twice, from another set, or with damaged data', () => {
    const pkg = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);
    const parts = splitIntoUpgradeCards(pkg, 474, info).map((p) => p.bytes);
    expect(joinUpgradeCards(parts.slice(0, 3)).ok).toBe(true);
    expect(joinUpgradeCards(parts.slice(0, 2))).toMatchObject({ ok: false });
    expect(joinUpgradeCards([parts[0]!, parts[0]!, parts[1]!])).toMatchObject({ ok: false, detail: 'part 1 twice' });
    const other = splitIntoUpgradeCards(pkg, 474, { ...info, version: '9.1.1' }).map((p) => p.bytes);
    expect(joinUpgradeCards([parts[0]!, other[1]!, parts[2]!])).toMatchObject({ ok: false, detail: 'cards of different sets' });
    const damaged = Uint8Array.from(parts[1]!);
    damaged[200] = damaged[200]! ^ 1;
    expect(joinUpgradeCards([parts[0]!, damaged, parts[2]!])).toMatchObject({ ok: false, detail: 'part 2: data does not match its digest' });
    expect(joinUpgradeCards([])).toMatchObject({ ok: false });
  });

  it('machine number ANY_MACHINE is all zeros', () => {
    expect(splitIntoUpgradeCards(Uint8Array.of(1), 200, { ...info, machineNumber: ANY_MACHINE })[0]!.header.machineNumber).toBe(ANY_MACHINE);
  });
});

const extendedLimits: ApduLimits = apduLimitsFor({ extendedLength: true, lengthInfoInEfAtr: true }, { maxCommandApdu: 4096, maxAnswerApdu: 4096 });

/** The data fields of the UPDATE BINARYs writeUpgradeArea sends for `bytes`: chunks of `chunk` from offset 0. */
const apduSizes = (bytes: number, chunk: number) => Array.from({ length: Math.ceil(bytes / chunk) }, (_, i) => Math.min(chunk, bytes - i * chunk));

describe('parts sized in whole APDUs (SPEC §8.2)', () => {
  const short = writeChunkSize(SHORT_APDU_LIMITS);
  const extended = writeChunkSize(extendedLimits);

  it('a 64 KiB card holds 265 short APDUs (65 455 bytes) or 16 extended ones (65 280 bytes), header included', () => {
    expect(dataPerCard(64 * 1024, short)).toBe(265 * 247 - 140);
    expect(dataPerCard(64 * 1024, extended)).toBe(16 * 4080 - 140);
    expect(dataPerCard(64 * 1024)).toBe(64 * 1024 - 140);
    // A card that holds no whole APDU past the header is filled to the byte; it still holds something.
    expect(dataPerCard(300, 4080)).toBe(160);
    expect(() => dataPerCard(64 * 1024, 0)).toThrow();
  });

  for (const [name, chunk] of [['short', short], ['extended', extended]] as const) {
    it(`${name} APDUs: a 200 KiB package on 64 KiB cards, every APDU but the set's last full, joined back`, () => {
      const pkg = Uint8Array.from({ length: 200 * 1024 }, (_, i) => (i * 131) & 0xff);
      const parts = splitIntoUpgradeCards(pkg, 64 * 1024, info, chunk);
      expect(parts).toHaveLength(4);
      for (const part of parts.slice(0, -1)) expect(part.bytes.length % chunk).toBe(0);
      const sizes = parts.flatMap((p) => apduSizes(p.bytes.length, chunk));
      expect(sizes.filter((s) => s !== chunk)).toHaveLength(1);
      expect(sizes.at(-1)).toBeLessThan(chunk);
      const joined = joinUpgradeCards([...parts].reverse().map((p) => p.bytes));
      expect(joined.ok && Buffer.from(joined.pkg).equals(Buffer.from(pkg))).toBe(true);
    });
  }

  it('extended: the 200 KiB package\'s parts are 65 140 bytes, the last 9 380', () => {
    const pkg = new Uint8Array(200 * 1024).fill(3);
    expect(splitIntoUpgradeCards(pkg, 64 * 1024, info, extended).map((p) => [p.header.dataOffset, p.header.dataLength])).toEqual([
      [0, 65140], [65140, 65140], [130280, 65140], [195420, 9380],
    ]);
  });

  it('for any package, capacity and APDU payload: each card but the last is whole APDUs within its capacity, one partial APDU in all, and the set joins', () => {
    fc.assert(fc.property(
      fc.nat(), fc.integer({ min: 141, max: 5000 }), fc.integer({ min: 1, max: 600 }), fc.nat(),
      (lengthSeed, capacity, chunk, seed) => {
        // At most 40 cards, so a run stays quick whatever the sizes.
        const length = 1 + (lengthSeed % (40 * dataPerCard(capacity, chunk)));
        const pkg = Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);
        const parts = splitIntoUpgradeCards(pkg, capacity, info, chunk);
        expect(parts.length).toBe(cardsNeeded(length, capacity, chunk));
        const wholeApdus = Math.floor(capacity / chunk) * chunk > UPGRADE_CARD_HEADER_SIZE;
        for (const part of parts) expect(part.bytes.length).toBeLessThanOrEqual(capacity);
        if (wholeApdus) {
          for (const part of parts.slice(0, -1)) expect(part.bytes.length % chunk).toBe(0);
          const sizes = parts.flatMap((p) => apduSizes(p.bytes.length, chunk));
          expect(sizes.slice(0, -1).every((s) => s === chunk)).toBe(true);
        }
        const shuffled = [...parts].sort((a, b) => ((a.header.part * 7919 + seed) % 101) - ((b.header.part * 7919 + seed) % 101));
        const joined = joinUpgradeCards(shuffled.map((p) => p.bytes));
        expect(joined.ok && Buffer.from(joined.pkg).equals(Buffer.from(pkg))).toBe(true);
      },
    ), { numRuns: 300 });
  });
});

describe('upgrade card APDUs (SPEC §8.3)', () => {
  it('a short UPDATE BINARY carries 247 bytes in 255 (54 03 offset, 53 81 F7 data): 0.969 of the maximum', () => {
    expect(writeChunkSize(SHORT_APDU_LIMITS)).toBe(247);
    const apdu = encodeCommandApdu(updateUpgradeArea(0x012345, new Uint8Array(247).fill(7), SHORT_APDU_LIMITS));
    expect(Buffer.from(apdu.subarray(0, 13)).toString('hex')).toBe('00d7ef01ff540301234553' + '81f7');
    expect(apdu.length).toBe(5 + 255);
    expect(() => updateUpgradeArea(0, new Uint8Array(248), SHORT_APDU_LIMITS)).toThrow();
  });

  it('a short READ BINARY asks 253 bytes with Le 00 and answers 53 81 FD data', () => {
    expect(readChunkSize(SHORT_APDU_LIMITS)).toBe(253);
    const apdu = encodeCommandApdu(readUpgradeArea(300, 253, SHORT_APDU_LIMITS));
    expect(Buffer.from(apdu).toString('hex')).toBe('00b1ef0105540300012c00');
    const data = new Uint8Array(253).fill(9);
    expect(Buffer.from(decodeUpgradeAreaAnswer(encodeUpgradeAreaAnswer(data))).equals(Buffer.from(data))).toBe(true);
  });

  it('extended APDUs of a card with 4096-byte buffers carry 4080 of 4089 bytes', () => {
    expect(extendedLimits).toEqual({ maxCommandData: 4089, maxAnswerData: 4094, extended: true });
    expect(writeChunkSize(extendedLimits)).toBe(4080);
    expect(readChunkSize(extendedLimits)).toBe(4090);
    const apdu = encodeCommandApdu(updateUpgradeArea(65000, new Uint8Array(4080), extendedLimits));
    expect(apdu.length).toBe(4 + 3 + 4089);
    const decoded = decodeCommandApdu(apdu);
    expect(decoded.extended).toBe(true);
    expect(decodeUpgradeAreaRequest(decoded.data)).toMatchObject({ ok: true, offset: 65000 });
  });

  it('the request codec round-trips any offset and data, and never throws on bytes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.uint8Array({ minLength: 1, maxLength: 4080 }), (offset, data) => {
      const limits = data.length > 247 ? extendedLimits : SHORT_APDU_LIMITS;
      const command = decodeCommandApdu(encodeCommandApdu(updateUpgradeArea(offset, data, limits)));
      const request = decodeUpgradeAreaRequest(command.data);
      expect(request.ok && request.offset === offset && request.data !== undefined && Buffer.from(request.data).equals(Buffer.from(data))).toBe(true);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      decodeUpgradeAreaRequest(bytes);
      try {
        decodeUpgradeAreaAnswer(bytes);
      } catch (error) {
        expect(isGatewayError(error, 'CARD_RESPONSE_MALFORMED')).toBe(true);
      }
    }), { numRuns: 2000 });
  });

  it('dataRoomIn leaves room for the tag and the BER length', () => {
    for (let room = 2; room < 70_000; room += 97) {
      const n = dataRoomIn(room);
      const length = n < 0x80 ? 1 : n < 0x100 ? 2 : 3;
      expect(1 + length + n).toBeLessThanOrEqual(room);
      if (n < 0xffff) expect(1 + (n + 1 < 0x80 ? 1 : n + 1 < 0x100 ? 2 : 3) + n + 1).toBeGreaterThan(room);
    }
  });
});

describe('card capabilities from the ATR and EF.ATR/INFO', () => {
  const atr = (historical: Uint8Array) => {
    const body = [0x80 | historical.length, 0x01, ...historical];
    return Uint8Array.from([0x3b, ...body, body.reduce((x, b) => x ^ b, 0)]);
  };

  it('reads the historical bytes after the interface bytes (T=1, T=0 with TB1 TC1)', () => {
    const historical = encodeCapabilityHistoricalBytes({ extendedLength: true, lengthInfoInEfAtr: true }, 'UPGRADE01');
    expect(historical.length).toBe(15);
    expect(Buffer.from(atrHistoricalBytes(atr(historical))!)).toEqual(Buffer.from(historical));
    expect(Buffer.from(atrHistoricalBytes(Uint8Array.of(0x3b, 0x62, 0x00, 0x00, 0x41, 0x42))!).toString()).toBe('AB');
    expect(atrHistoricalBytes(Uint8Array.of(0x3b, 0x8f, 0x01))).toBeUndefined();
  });

  it('extended Lc/Le (b7) and length info in EF.ATR (b6) from the card capabilities 73', () => {
    expect(cardCapabilities(atr(encodeCapabilityHistoricalBytes({ extendedLength: true, lengthInfoInEfAtr: true }, 'X')))).toEqual({ extendedLength: true, lengthInfoInEfAtr: true });
    expect(cardCapabilities(atr(encodeCapabilityHistoricalBytes({ extendedLength: false, lengthInfoInEfAtr: false }, 'X')))).toEqual({ extendedLength: false, lengthInfoInEfAtr: false });
    // The other GB18240 cards' ASCII historical bytes ("GB18240 TSAM01") state nothing.
    expect(cardCapabilities(atr(new TextEncoder().encode('GB18240 TSAM01')))).toEqual({ extendedLength: false, lengthInfoInEfAtr: false });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      cardCapabilities(bytes);
    }), { numRuns: 1000 });
  });

  it('7F66 round-trips; extended limits only with it; a card that says nothing is short', () => {
    const info = { maxCommandApdu: 4096, maxAnswerApdu: 2048 };
    expect(decodeExtendedLengthInfo(encodeExtendedLengthInfo(info))).toEqual(info);
    expect(decodeExtendedLengthInfo(Uint8Array.of(0x7f, 0x66, 0x02, 0x01, 0x00))).toBeUndefined();
    expect(apduLimitsFor({ extendedLength: true, lengthInfoInEfAtr: false }, undefined)).toEqual(SHORT_APDU_LIMITS);
    expect(apduLimitsFor({ extendedLength: false, lengthInfoInEfAtr: false }, info)).toEqual(SHORT_APDU_LIMITS);
    expect(apduLimitsFor({ extendedLength: true, lengthInfoInEfAtr: true }, { maxCommandApdu: 200, maxAnswerApdu: 200 })).toEqual(SHORT_APDU_LIMITS);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      decodeExtendedLengthInfo(bytes);
    }), { numRuns: 1000 });
  });
});
