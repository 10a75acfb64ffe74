import { maskedCrc32c } from './crc32c.js';
import { TensorBoardError } from './tensorboard-error.js';

/**
 * TFRecord framing (tensorflow/core/lib/io/record_writer.cc), the container of TensorBoard event files:
 *
 *   uint64 length           little-endian
 *   uint32 masked_crc32c(length bytes)
 *   byte   data[length]
 *   uint32 masked_crc32c(data)
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return record;
}

/**
 * The records of a TFRecord file, each checked against both of its CRCs. A record cut short at the end of the file
 * (a writer killed mid-append) ends the list, as TensorBoard's reader treats it; a checksum that does not match is
 * damage, and throws.
 */
export function readRecords(bytes: Uint8Array, where: string): Uint8Array[] {
  const records: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    const lengthBytes = bytes.subarray(offset, offset + 8);
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(lengthBytes)) {
      throw new TensorBoardError('bad-record', `the length of the record at byte ${offset} fails its CRC-32C: the file is damaged`, { where });
    }
    const length = Number(view.getBigUint64(offset, true));
    const end = offset + 12 + length + 4;
    if (end > bytes.length) break; // torn last record
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    if (view.getUint32(offset + 12 + length, true) !== maskedCrc32c(data)) {
      throw new TensorBoardError('bad-record', `the data of the record at byte ${offset} fails its CRC-32C: the file is damaged`, { where });
    }
    records.push(data);
    offset = end;
  }
  return records;
}
