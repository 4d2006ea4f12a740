// IC-card upgrade path (issue 11 item 8, gb18240-card SPEC.md §8.3): how full the gateway's UPDATE BINARY APDUs are.
// A 200 KiB package is split over 64 KiB virtual upgrade cards and written with the gateway's own card code
// (lookAtUpgradeCard chooses short or extended APDUs from the card's ATR and EF.ATR, writeUpgradeArea writes in the
// largest chunks), once on short-APDU cards and once on extended-APDU cards (4 KiB buffers). Every APDU that reaches
// the card is counted from the channel: payload bytes (what lands in EF01) per APDU over the APDU maximum (the
// largest command data field: 255 short, 4089 extended). The headline counts every APDU but each card's last, which
// carries what is left of the card; the average over all APDUs is reported beside it. Bytes, not time: the figure
// does not depend on machine load.
import { pathToFileURL } from 'node:url';
import { VirtualCardChannel } from '../fixtures/cards/VirtualCardChannel.js';
import { VirtualUpgradeCard, type UpgradeCardProfile } from '../fixtures/cards/VirtualUpgradeCard.js';
import { decodeCommandApdu } from '../protocols/apdu/CommandApdu.js';
import { decodeUpgradeAreaRequest } from '../protocols/gb18240-card/upgradeCardCommands.js';
import { splitIntoUpgradeCards } from '../protocols/gb18240-card/upgradeCardLayout.js';
import { lookAtUpgradeCard, writeUpgradeArea } from '../src/services/upgrade/upgradeCardIo.js';
import type { BenchFigure } from './BenchFigure.js';

const PACKAGE_BYTES = 200 * 1024;
const TARGET = 0.94;
const info = { packageId: 'ab'.repeat(16), version: '9.1.0', model: 'SIM-ECR-200', manifestSha256: 'cd'.repeat(32), trialSeconds: 120, machineNumber: '4403000012345678' };

interface Measured {
  readonly profile: UpgradeCardProfile;
  readonly cards: number;
  readonly apdus: number;
  readonly payload: number;
  readonly maxData: number;
  /** APDUs and payload without each card's last APDU. */
  readonly fullApdus: number;
  readonly fullPayload: number;
  readonly largestApdu: number;
}

async function measure(profile: UpgradeCardProfile): Promise<Measured> {
  const pkg = Uint8Array.from({ length: PACKAGE_BYTES }, (_, i) => (i * 131 + (i >> 9)) & 0xff);
  let cards = 0;
  let apdus = 0;
  let payload = 0;
  let fullApdus = 0;
  let fullPayload = 0;
  let largestApdu = 0;
  let maxData = 0;
  let parts: ReturnType<typeof splitIntoUpgradeCards> | undefined;
  for (let index = 0; parts === undefined || index < parts.length; index += 1) {
    const card = new VirtualUpgradeCard({ profile });
    const channel = new VirtualCardChannel(card, 'bench');
    const look = await lookAtUpgradeCard(channel, card.atr);
    if (look.kind !== 'upgrade') throw new Error(`the virtual ${profile} card is not seen as an upgrade card: ${look.detail}`);
    parts ??= splitIntoUpgradeCards(pkg, look.capacity, info);
    maxData = look.limits.maxCommandData;
    const sizes: number[] = [];
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
    apdus += sizes.length;
    payload += sizes.reduce((n, s) => n + s, 0);
    fullApdus += sizes.length - 1;
    fullPayload += sizes.slice(0, -1).reduce((n, s) => n + s, 0);
  }
  return { profile, cards, apdus, payload, maxData, fullApdus, fullPayload, largestApdu };
}

export async function figures(): Promise<BenchFigure[]> {
  const results = [await measure('short'), await measure('extended')];
  const out: BenchFigure[] = [];
  for (const r of results) {
    const full = r.fullPayload / r.fullApdus / r.maxData;
    const all = r.payload / r.apdus / r.maxData;
    out.push({
      id: `upgrade.card.apdu.${r.profile}.ratio`,
      label: `IC-card upgrade, ${r.profile} APDUs: payload bytes per UPDATE BINARY over the APDU maximum (each card's last APDU aside)`,
      value: Number(full.toFixed(4)), unit: 'ratio', target: { op: '>=', value: TARGET },
      baseline: `APDU maximum = largest command data field, ${r.maxData} bytes`,
      detail: `${r.cards} cards of 64 KiB for a ${PACKAGE_BYTES / 1024} KiB package, ${r.apdus} APDUs, ${(r.payload / r.apdus).toFixed(1)} B/APDU over all (ratio ${all.toFixed(4)}), largest APDU ${r.largestApdu} bytes`,
    });
  }
  const worst = Math.min(...out.map((f) => f.value ?? 0));
  out.unshift({
    id: 'upgrade.card.apdu.ratio',
    label: 'IC-card upgrade payload bytes per APDU over the APDU maximum (the lower of short and extended)',
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
