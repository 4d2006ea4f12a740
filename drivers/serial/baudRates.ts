import { z } from 'zod';
import { GatewayError } from '../../contracts/errors/index.js';

/** The line speeds a GB-link register may run at (DESIGN.md: 9600 or 115200, up to 921600), always 8N1. */
export const supportedBaudRates = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] as const;
export type BaudRate = (typeof supportedBaudRates)[number];

export const baudRateSchema = z
  .number()
  .int()
  .refine((value): value is BaudRate => (supportedBaudRates as readonly number[]).includes(value), {
    message: `baud rate must be one of ${supportedBaudRates.join(', ')}`,
  });

export function assertBaudRate(baudRate: number): BaudRate {
  const parsed = baudRateSchema.safeParse(baudRate);
  if (!parsed.success) {
    throw new GatewayError('BAUD_RATE_UNSUPPORTED', { params: { baudRate, supported: supportedBaudRates.join(', ') } });
  }
  return parsed.data as BaudRate;
}
