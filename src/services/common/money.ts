import { z } from 'zod';

/** An amount as people read it: fen (分) as stored, and yuan with two decimals ("12345.67"). */
export const moneySchema = z.object({ fen: z.number().int().min(0), yuan: z.string() });
export type Money = z.infer<typeof moneySchema>;

export function money(fen: number): Money {
  return { fen, yuan: `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}` };
}

/** A tax rate as stored (units of 0.01 %) and as printed ("13.00"). */
export const rateSchema = z.object({ basisPoints: z.number().int().min(0), percent: z.string() });
export type Rate = z.infer<typeof rateSchema>;

export function rate(hundredthsOfPercent: number): Rate {
  return {
    basisPoints: hundredthsOfPercent,
    percent: `${Math.floor(hundredthsOfPercent / 100)}.${String(hundredthsOfPercent % 100).padStart(2, '0')}`,
  };
}
