import type { z } from 'zod';
import { ByteReader, ByteWriter, payloadError } from '../fields.js';

/** Bytes ↔ typed value for one payload. `decode` throws LINK_PAYLOAD_INVALID and nothing else. */
export interface PayloadCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/**
 * What a command does to the register, which decides how the session may retry it:
 * `read` and `idempotent` are re-sent after a lost reply; `write` never is (in-doubt recovery).
 */
export type CommandEffect = 'read' | 'idempotent' | 'write';

export interface CommandSpec<Req, Res, ResponseCodec extends PayloadCodec<Res> = PayloadCodec<Res>> {
  readonly code: number;
  readonly name: string;
  readonly effect: CommandEffect;
  readonly request: PayloadCodec<Req>;
  /** For record lists (32, 3E, 3F, 42, 43, 44) a RecordListCodec, which also gives the record size. */
  readonly response: ResponseCodec;
}

type ValueOf<C> = C extends PayloadCodec<infer T> ? T : never;

export type RequestOf<C> = C extends CommandSpec<infer Req, unknown> ? Req : never;
export type ResponseOf<C> = C extends CommandSpec<unknown, infer Res> ? Res : never;

/**
 * A fixed layout: `schema` checks the value before encoding (the simulator encodes answers
 * with the same codecs, so both sides are checked), `write`/`read` walk the bytes, and the
 * decoder insists on consuming the payload exactly.
 */
export function layout<T>(
  command: number,
  schema: z.ZodType<T> | undefined,
  write: (w: ByteWriter, value: T) => void,
  read: (r: ByteReader) => T,
): PayloadCodec<T> {
  return {
    encode(value) {
      if (schema !== undefined) {
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw payloadError(command, `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`);
        }
      }
      const w = new ByteWriter(command);
      write(w, value);
      return w.finish();
    },
    decode(bytes) {
      const r = new ByteReader(bytes, command);
      const value = read(r);
      r.end();
      return value;
    },
  };
}

/**
 * A layout that ends in a block of bytes (a firmware block): `head` writes the fields before it, and the block
 * goes into the payload with one copy (a layout's `raw` would copy it into the writer, again into its bytes,
 * and a sub-command prefix once more). Checked by `schema` first; decoded by `read` as a layout is.
 */
export function layoutWithTail<T>(
  command: number,
  schema: z.ZodType<T>,
  head: (w: ByteWriter, value: T) => void,
  tail: (value: T) => Uint8Array,
  read: (r: ByteReader) => T,
  prefix?: number,
): PayloadCodec<T> {
  const decoder = layout<T>(command, undefined, () => undefined, read);
  return {
    encode(value) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw payloadError(command, `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`);
      }
      const w = new ByteWriter(command);
      if (prefix !== undefined) w.u8(prefix, 'sub-command');
      head(w, value);
      const fields = w.finish();
      const block = tail(value);
      const out = new Uint8Array(fields.length + block.length);
      out.set(fields, 0);
      out.set(block, fields.length);
      return out;
    },
    decode(bytes) {
      if (prefix === undefined) return decoder.decode(bytes);
      if (bytes[0] !== prefix) throw payloadError(command, `sub-command ${bytes[0] ?? 'missing'} where ${prefix} was expected`);
      return decoder.decode(bytes.subarray(1));
    },
  };
}

/** The payload of commands and answers that carry none. */
export function emptyPayload(command: number): PayloadCodec<void> {
  return layout<void>(command, undefined, () => undefined, () => undefined);
}

export function command<Req, ResponseCodec extends PayloadCodec<unknown>>(
  code: number, name: string, effect: CommandEffect, request: PayloadCodec<Req>, response: ResponseCodec,
): CommandSpec<Req, ValueOf<ResponseCodec>, ResponseCodec & PayloadCodec<ValueOf<ResponseCodec>>> {
  return { code, name, effect, request, response: response as ResponseCodec & PayloadCodec<ValueOf<ResponseCodec>> };
}

/**
 * An answer that is a list of fixed-size records: `count u32 | count × record` (SPEC.md §4.2).
 * `recordSize` lets the session turn bytes received into records received for progress.
 */
export interface RecordListCodec<T> extends PayloadCodec<T[]> {
  readonly recordSize: number;
}

export function recordList<T>(
  command: number, recordSize: number, schema: z.ZodType<T> | undefined,
  write: (w: ByteWriter, value: T) => void, read: (r: ByteReader) => T,
): RecordListCodec<T> {
  const list = layout<T[]>(
    command, undefined,
    (w, values) => {
      w.u32(values.length, 'record count');
      for (const value of values) {
        if (schema !== undefined) {
          const parsed = schema.safeParse(value);
          if (!parsed.success) throw payloadError(command, `record: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
        }
        write(w, value);
      }
    },
    (r) => {
      const count = r.u32('record count');
      if (r.remaining !== count * recordSize) r.fail(`${count} records of ${recordSize} bytes do not fill ${r.remaining} bytes`);
      const values: T[] = [];
      for (let i = 0; i < count; i++) values.push(read(r));
      return values;
    },
  );
  return { ...list, recordSize };
}
