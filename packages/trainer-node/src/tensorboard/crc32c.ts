/**
 * CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF. TFRecord files
 * (TensorBoard's event files among them) checksum each record with it; check values in RFC 3720, appendix B.4.
 * Node's zlib only has the IEEE CRC-32, hence this table-driven one (one table, one byte per step: an event file
 * is a few kilobytes per logged step).
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord stores masked CRCs, so that a CRC of data that itself holds CRCs is not degenerate
 * (tensorflow/tsl/lib/hash/crc32c.h, `Mask`): rotate right by 15 bits and add a constant, modulo 2^32.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
