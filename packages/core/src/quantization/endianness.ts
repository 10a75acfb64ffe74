// Checkpoint bytes are little-endian. On a little-endian host (every browser
// and Node platform Forger targets) typed arrays can be copied as they are; the
// DataView paths keep a big-endian host correct.
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function float32ToBytes(values: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const count = bytes.length >>> 2;
  if (HOST_IS_LITTLE_ENDIAN) {
    // Copy first: the bytes may sit at an offset that is not a multiple of 4.
    return new Float32Array(bytes.slice(0, count * 4).buffer);
  }
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
