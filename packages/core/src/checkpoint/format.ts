// Constants of the file envelope (proto/README.md describes the bytes).

/** The 8 ASCII bytes "FORGERCK". */
export const CHECKPOINT_MAGIC = new Uint8Array([0x46, 0x4f, 0x52, 0x47, 0x45, 0x52, 0x43, 0x4b]);
export const CHECKPOINT_FORMAT_VERSION = 1;
/** Field 1 (magic, length-delimited) is written first, so every file starts with tag 0x0A, length 8, then the magic. */
export const CHECKPOINT_FILE_PREFIX = new Uint8Array([0x0a, 0x08, ...CHECKPOINT_MAGIC]);

export const DTYPE_ITEM_SIZE = { float32: 4, float16: 2, int8: 1 } as const;

/** "25.7 MB": decimal units, as file managers show sizes. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}
