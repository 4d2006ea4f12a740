import { ByteReader } from './ByteReader.js';
import { ByteWriter } from './ByteWriter.js';

/**
 * A fixed-size byte layout (an EF, an EF record or a block inside a command). `decode` reads the
 * first `size` bytes and ignores any tail, because some cards hold longer files than the standard
 * names; use `decodeExact` for command data, whose length is fixed.
 */
export interface Layout<T> {
  readonly name: string;
  readonly size: number;
  write(writer: ByteWriter, value: T): void;
  read(reader: ByteReader): T;
}

export function encodeLayout<T>(layout: Layout<T>, value: T): Uint8Array {
  const writer = new ByteWriter();
  layout.write(writer, value);
  return writer.toBytes();
}

export function decodeLayout<T>(layout: Layout<T>, bytes: Uint8Array): T {
  return layout.read(new ByteReader(bytes, layout.name));
}

export function decodeExact<T>(layout: Layout<T>, bytes: Uint8Array): T {
  const reader = new ByteReader(bytes, layout.name);
  const value = layout.read(reader);
  reader.end();
  return value;
}

/** Reads a run of fixed-size items. */
export function readArray<T>(reader: ByteReader, count: number, item: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => item(index));
}

/** A data field that is one run of opaque bytes (a MAC, a PIN, a fiscal code, a signature), as `{ [key]: bytes }`. */
export function opaqueBytesLayout<K extends string>(name: string, key: K, size: number): Layout<{ readonly [P in K]: Uint8Array }> {
  return {
    name,
    size,
    write: (w, v) => void w.fixed(v[key], size, key),
    read: (r) => ({ [key]: r.bytesOf(size, key) }) as { readonly [P in K]: Uint8Array },
  };
}
