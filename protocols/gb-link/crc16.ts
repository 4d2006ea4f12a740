/**
 * CRC-16/UMTS (also known as CRC-16/BUYPASS): poly 0x8005, init 0, not reflected, no final XOR.
 * Check value over ASCII "123456789" is 0xFEE8. GB link puts it big-endian after every frame.
 */
const table = (() => {
  const t = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
    t[byte] = crc;
  }
  return t;
})();

export function crc16Umts(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ table[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}
