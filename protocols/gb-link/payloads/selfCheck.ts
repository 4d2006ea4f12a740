import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, emptyPayload, layout, type CommandSpec } from './codec.js';
import { u8 } from './schemas.js';

export const selfCheckKinds = ['cpu', 'rom', 'ram', 'memory', 'serial', 'cycle'] as const;
export type SelfCheckKind = (typeof selfCheckKinds)[number];

export const selfCheckResultSchema = z.object({
  /** 00 = passed; anything else is the register's own fault code for that part. */
  result: u8,
  /** What the register says about it, GBK on the wire, at most 64 bytes, not padded. */
  detail: z.string(),
});
export type SelfCheckResult = z.infer<typeof selfCheckResultSchema>;

const codes: Record<SelfCheckKind, number> = {
  cpu: CMD.SELF_CHECK_CPU, rom: CMD.SELF_CHECK_ROM, ram: CMD.SELF_CHECK_RAM,
  memory: CMD.SELF_CHECK_MEMORY, serial: CMD.SELF_CHECK_SERIAL, cycle: CMD.SELF_CHECK_CYCLE,
};

function selfCheckCommand(kind: SelfCheckKind): CommandSpec<void, SelfCheckResult> {
  const code = codes[kind];
  return command(code, `self-check ${kind}`, 'read', emptyPayload(code), layout<SelfCheckResult>(
    code, selfCheckResultSchema,
    (w, v) => w.u8(v.result, 'result').gbkTail(v.detail, 64, 'detail'),
    (r) => {
      const result = r.u8('result');
      if (r.remaining > 64) r.fail(`detail of ${r.remaining} bytes, at most 64`);
      const detail = r.gbk(r.remaining, 'detail');
      return { result, detail };
    },
  ));
}

/** 5C CPU, 5D ROM, 5E RAM, 5F fiscal memory, 60 serial port, 61 cycle (all of them in turn). */
export const selfChecks: Readonly<Record<SelfCheckKind, CommandSpec<void, SelfCheckResult>>> = Object.fromEntries(
  selfCheckKinds.map((kind) => [kind, selfCheckCommand(kind)]),
) as Record<SelfCheckKind, CommandSpec<void, SelfCheckResult>>;
