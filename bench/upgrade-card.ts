// IC-card upgrade path (issue 11 item 8, gb18240-card SPEC.md §8.2–8.3): how full the gateway's UPDATE BINARY APDUs
// are. A package (200 KiB, then 1 MiB) is split over 64 KiB virtual upgrade cards and written with the gateway's own
// card code (lookAtUpgradeCard chooses short or extended APDUs from the card's ATR and EF.ATR, writeUpgradeArea writes
// in the largest chunks), once on short-APDU cards and once on extended-APDU cards (4 KiB buffers). Every UPDATE
// BINARY that reaches the card is counted from the channel: payload bytes (what lands in EF01: header and package
// data) per APDU over the APDU maximum (the largest command data field: 255 short, 4089 extended). The headline is
// the average over EVERY APDU of the set, each card's last included; the ratio over full APDUs only, the package
// bytes alone, and the same set cut the earlier way (each card filled to the byte, so each card ends on a partial
// APDU) are in the detail. Bytes, not time: the figure does not depend on machine load.
import { pathToFileURL } from 'node:url';
import { VirtualCardChannel } from '../fixtures/cards/VirtualCardChannel.js';
import { VirtualUpgradeCard, type UpgradeCardProfile } from '../fixtures/cards/VirtualUpgradeCard.js';
import { decodeCommandApdu } from '../protocols/apdu/CommandApdu.js';
import { decodeUpgradeAreaRequest, writeChunkSize } from '../protocols/gb18240-card/upgradeCardCommands.js';
import { splitIntoUpgradeCards } from '../protocols/gb18240-card/upgradeCardLayout.js';
import { lookAtUpgradeCard, writeUpgradeArea } from '../src/services/upgrade/upgradeCardIo.js';
import type { BenchFigure } from './BenchFigure.js';

const PACKAGES = [{ name: '200kib', bytes: 200 * 1024 }, { name: '1mib', bytes: 1024 * 1024 }] as const;
const TARGET = 0.94;
const info = { packageId: 'ab'.repeat(16), version: '9.1.0', model: 'SIM-ECR-200', manifestSha256: 'cd'.repeat(32), trialSeconds: 120, machineNumber: '4403000012345678' };

interface Measured {
  readonly cards: number;
  readonly apdus: number;
  /** Bytes the UPDATE BINARYs wrote into EF01 (headers and data). */
  readonly payload: number;
  readonly maxData: number;
  /** APDUs that carried the largest chunk, and their payload. */
  readonly fullApdus: number;
  readonly fullPayload: number;
  readonly largestApdu: number;
}

/** Writes one package over as many virtual cards of `profile` as it takes; `aligned` false cuts it the earlier way. */
async function measure(profile: UpgradeCardProfile, packageBytes: number, aligned: boolean): Promise<Measured> {
  const pkg = Uint8Array.from({ length: packageBytes }, (_, i) => (i * 131 + (i >> 9)) & 0xff);
  let cards = 0;
  let maxData = 0;
  let largestApdu = 0;
  const sizes: number[] = [];
  let parts: ReturnType<typeof splitIntoUpgradeCards> | undefined;
  let chunk = 0;
  for (let index = 0; parts === undefined || index < parts.length; index += 1) {
    const card = new VirtualUpgradeCard({ profile });
    const channel = new VirtualCardChannel(card, 'bench');
    const look = await lookAtUpgradeCard(channel, card.atr);
    if (look.kind !== 'upgrade') throw new Error(`the virtual ${profile} card is not seen as an upgrade card: ${look.detail}`);
    chunk = writeChunkSize(look.limits);
    parts ??= splitIntoUpgradeCards(pkg, look.capacity, info, aligned ? chunk : 1);
    maxData = look.limits.maxCommandData;
    const counting = {
      description: channel.description,
      reset: () => channel.reset(),
      transmit: async (apdu: Uint8Array) => {
        if (apdu[1] === 0xd7) {
          const request = decodeUpgradeAreaRequest(decodeCommandApdu(apdu).data);
          sizes.push(request.ok && request.data !== undefined ? request.data.length : 0);
          largestApdu = Math.max(largestApdu, apdu.length);
        }
        return channel.transmit(apdu);
      },
    };
    await writeUpgradeArea(counting, parts[index]!.bytes, look.limits, () => undefined);
    cards += 1;
  }
  const full = sizes.filter((s) => s === chunk);
  return {
    cards, apdus: sizes.length, payload: sizes.reduce((n, s) => n + s, 0), maxData,
    fullApdus: full.length, fullPayload: full.reduce((n, s) => n + s, 0), largestApdu,
  };
}

const ratio = (payload: number, apdus: number, maxData: number) => payload / apdus / maxData;

export async function figures(): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  for (const profile of ['short', 'extended'] as const) {
    for (const pkg of PACKAGES) {
      const r = await measure(profile, pkg.bytes, true);
      const before = await measure(profile, pkg.bytes, false);
      const every = ratio(r.payload, r.apdus, r.maxData);
      out.push({
        id: `upgrade.card.apdu.${profile}.${pkg.name}.ratio`,
        label: `IC-card upgrade, ${profile} APDUs, ${pkg.bytes / 1024} KiB package: EF01 bytes per UPDATE BINARY over the APDU maximum, every APDU`,
        value: Number(every.toFixed(4)), unit: 'ratio', target: { op: '>=', value: TARGET },
        baseline: `APDU maximum = largest command data field, ${r.maxData} bytes`,
        detail: `${r.cards} cards of 64 KiB, ${r.apdus} APDUs (${r.apdus - r.fullApdus} not full), ${(r.payload / r.apdus).toFixed(1)} B/APDU; `
          + `full APDUs only ${ratio(r.fullPayload, r.fullApdus, r.maxData).toFixed(4)}; package bytes alone ${ratio(pkg.bytes, r.apdus, r.maxData).toFixed(4)}; `
          + `cards filled to the byte (earlier layout): ${before.cards} cards, ${before.apdus} APDUs, ${ratio(before.payload, before.apdus, before.maxData).toFixed(4)}; largest APDU ${r.largestApdu} bytes`,
      });
    }
  }
  const worst = Math.min(...out.map((f) => f.value ?? 0));
  out.unshift({
    id: 'upgrade.card.apdu.ratio',
    label: 'IC-card upgrade payload bytes per APDU over the APDU maximum, every APDU (the lowest of short/extended × 200 KiB/1 MiB)',
    value: worst, unit: 'ratio', target: { op: '>=', value: TARGET },
    baseline: 'short: 255-byte data field; extended: the card\'s 7F66 maximum less the 7-byte header',
  });
  return out;
}

export async function main(): Promise<void> {
  for (const figure of await figures()) {
    console.log(`   ${figure.id}: ${figure.value} (target ${figure.target?.op} ${figure.target?.value}) ${figure.detail ?? figure.baseline ?? ''}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
