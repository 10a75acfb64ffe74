import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from './crc32c.js';

describe('crc32c', () => {
  // RFC 3720 (iSCSI), appendix B.4, "CRC Examples"
  it('matches the published test vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    // the "check" value of the CRC catalogue (CRC-32/ISCSI)
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('of nothing is 0', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('masks as TensorFlow does: rotate right 15, add 0xa282ead8, modulo 2^32', () => {
    const bytes = new TextEncoder().encode('123456789');
    const crc = 0xe3069283;
    const expected = (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(bytes)).toBe(expected);
    // every event file TensorFlow writes starts with the length 24 of its "brain.Event:2" record and this masked CRC
    expect(maskedCrc32c(Uint8Array.of(24, 0, 0, 0, 0, 0, 0, 0)).toString(16)).toBe('224b7fa3');
  });
});
