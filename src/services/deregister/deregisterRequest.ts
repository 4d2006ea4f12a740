import { z } from 'zod';

/** `POST /v1/devices/{id}/deregister`: retire a register (注销). */
export const deregisterRequestSchema = z.strictObject({
  /** Deregister although days after the last declaration hold sales (the tax office agreed). */
  allowUndeclared: z.boolean().default(false),
  /** Free text for the service record (the tax office's reference, the reason). */
  note: z.string().trim().min(1).max(500).optional(),
});
export type DeregisterRequest = z.output<typeof deregisterRequestSchema>;
