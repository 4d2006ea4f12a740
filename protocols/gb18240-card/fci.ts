/**
 * The file size a card states in its answer to SELECT (ISO 7816-4 §7.4): an FCP template (tag 62)
 * or an FCI template (6F) holding one, with tag 80 (bytes of data in the file) or 81 (bytes the file
 * takes, structure included). Pure; never throws: an answer it cannot read states no size.
 */
export interface StatedFileSize {
  /** Bytes of data, from tag 80 (preferred) or tag 81. */
  readonly bytes: number;
  readonly tag: 0x80 | 0x81;
}

interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** BER-TLV objects at one level (one-byte tags as the ISO interindustry templates use; lengths up to 82 xx xx). */
function tlvs(bytes: Uint8Array): Tlv[] | undefined {
  const found: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at]!;
    if (tag === 0x00 || tag === 0xff) {
      at += 1; // padding between objects
      continue;
    }
    if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags are not used in file control templates
    const first = bytes[at + 1];
    if (first === undefined) return undefined;
    let length: number | undefined = first;
    let head = 2;
    if (length === 0x81) {
      length = bytes[at + 2];
      head = 3;
    } else if (length === 0x82) {
      const high = bytes[at + 2];
      const low = bytes[at + 3];
      length = high === undefined || low === undefined ? undefined : (high << 8) | low;
      head = 4;
    } else if (first > 0x7f) {
      return undefined;
    }
    if (length === undefined || at + head + length > bytes.length) return undefined;
    found.push({ tag, value: bytes.subarray(at + head, at + head + length) });
    at += head + length;
  }
  return found;
}

function sizeIn(template: Uint8Array): StatedFileSize | undefined {
  const objects = tlvs(template);
  if (objects === undefined) return undefined;
  for (const tag of [0x80, 0x81] as const) {
    const value = objects.find((o) => o.tag === tag)?.value;
    if (value === undefined || value.length < 1 || value.length > 3) continue;
    return { bytes: value.reduce((n, b) => n * 256 + b, 0), tag };
  }
  return undefined;
}

export function statedFileSize(selectAnswer: Uint8Array): StatedFileSize | undefined {
  const top = tlvs(selectAnswer);
  if (top === undefined) return undefined;
  for (const object of top) {
    if (object.tag === 0x62) {
      const size = sizeIn(object.value);
      if (size !== undefined) return size;
    }
    if (object.tag === 0x6f) {
      const inner = statedFileSize(object.value) ?? sizeIn(object.value);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** An FCP template stating a transparent EF's size, FID and structure: what the virtual cards answer. */
export function fileControlParameters(fid: number, size: number, structure: 'binary' | 'record'): Uint8Array {
  const body = [0x80, 0x02, (size >> 8) & 0xff, size & 0xff, 0x82, 0x01, structure === 'binary' ? 0x01 : 0x02, 0x83, 0x02, fid >> 8, fid & 0xff];
  return Uint8Array.from([0x62, body.length, ...body]);
}
