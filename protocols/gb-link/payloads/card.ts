import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import type { ByteReader, ByteWriter } from '../fields.js';
import { command, emptyPayload, layout } from './codec.js';

/** The register's two card slots: 01 the fiscal card's small slot, 02 the user card's. */
export const cardSlots = ['fiscal', 'user'] as const;
export type CardSlot = (typeof cardSlots)[number];

const slotSchema = z.enum(cardSlots);

function writeSlot(w: ByteWriter, slot: CardSlot): void {
  w.u8(cardSlots.indexOf(slot) + 1, 'slot');
}

function readSlot(r: ByteReader): CardSlot {
  const b = r.u8('slot');
  const slot = cardSlots[b - 1];
  if (slot === undefined) r.fail(`slot ${b} unknown`);
  return slot;
}

const slotOnly = (code: number) => layout<{ slot: CardSlot }>(code, z.object({ slot: slotSchema }), (w, v) => writeSlot(w, v.slot), (r) => ({ slot: readSlot(r) }));

const atrSchema = z.instanceof(Uint8Array).refine((b) => b.length >= 2 && b.length <= 33, 'ATR of 2–33 bytes');

/** 59 card power on (or warm reset when powered): slot 1 → ATR. */
export const cardPowerOn = command(CMD.CARD_POWER_ON, 'card power on', 'idempotent', slotOnly(CMD.CARD_POWER_ON), layout<Uint8Array>(
  CMD.CARD_POWER_ON, atrSchema, (w, v) => w.raw(v), (r) => {
    const atr = r.rest();
    if (atr.length < 2 || atr.length > 33) r.fail(`ATR of ${atr.length} bytes`);
    return atr;
  },
));

/** 5A card power off: slot 1. */
export const cardPowerOff = command(CMD.CARD_POWER_OFF, 'card power off', 'idempotent', slotOnly(CMD.CARD_POWER_OFF), emptyPayload(CMD.CARD_POWER_OFF));

export const apduRequestSchema = z.object({
  slot: slotSchema,
  apdu: z.instanceof(Uint8Array).refine((b) => b.length >= 4 && b.length <= 261, 'APDU of 4–261 bytes'),
});
export type ApduRequest = z.infer<typeof apduRequestSchema>;

/**
 * 5B APDU passthrough: slot 1 | command APDU → response data | SW1 SW2, raw, as the card gave
 * it (61xx/6Cxx are the APDU layer's business, as with PC/SC). Its effect depends on the APDU,
 * so the session decides per call (RegisterSession.cardChannel).
 */
export const cardApdu = command(CMD.CARD_APDU, 'card APDU', 'write', layout<ApduRequest>(
  CMD.CARD_APDU, apduRequestSchema,
  (w, v) => { writeSlot(w, v.slot); w.raw(v.apdu); },
  (r) => {
    const slot = readSlot(r);
    const apdu = r.rest();
    if (apdu.length < 4 || apdu.length > 261) r.fail(`APDU of ${apdu.length} bytes`);
    return { slot, apdu };
  },
), layout<Uint8Array>(
  CMD.CARD_APDU, z.instanceof(Uint8Array).refine((b) => b.length >= 2 && b.length <= 258, 'response of 2–258 bytes'),
  (w, v) => w.raw(v),
  (r) => {
    const response = r.rest();
    if (response.length < 2 || response.length > 258) r.fail(`card response of ${response.length} bytes`);
    return response;
  },
));
