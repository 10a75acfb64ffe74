import { open } from 'node:fs/promises';
import { CHECKPOINT_MAGIC, CheckpointError, DEFAULT_CHECKPOINT_LIMITS, decodeCheckpoint, type Checkpoint } from '@forger/core';
import { FileError, fileError } from './file-error.js';

/** Every checkpoint starts with protobuf field 1 (tag 0x0a, length 8) holding the magic "FORGERCK" (proto/README.md). */
const PREFIX = new Uint8Array([0x0a, 0x08, ...CHECKPOINT_MAGIC]);

/**
 * A checkpoint file as the CLI reads one: the size and the first 10 bytes decide whether it is a checkpoint at all, so
 * a 1 GB video or a folder given by mistake is refused without reading it whole; then `decodeCheckpoint` validates
 * the rest. Every error names `path` as the user gave it.
 */
export async function readCheckpointFile(path: string, maxFileBytes = DEFAULT_CHECKPOINT_LIMITS.maxFileBytes): Promise<{ checkpoint: Checkpoint; fileBytes: number }> {
  let bytes: Uint8Array;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(error, 'read', path);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new FileError('is-a-folder', `cannot read ${path}: it is a folder, not a checkpoint file`, { where: path });
    if (info.size > maxFileBytes) {
      throw new CheckpointError('too-large', `${info.size} bytes is more than a checkpoint may hold (${maxFileBytes} bytes)`, { where: path });
    }
    const head = new Uint8Array(PREFIX.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < PREFIX.length || head.some((b, i) => b !== PREFIX[i])) {
      throw new CheckpointError('bad-magic', `not a Forger checkpoint: the file does not start with the magic "FORGERCK"`, { where: path });
    }
    bytes = new Uint8Array(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead: n } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    bytes = bytes.subarray(0, filled);
  } catch (error) {
    throw fileError(error, 'read', path);
  } finally {
    await handle.close();
  }
  try {
    return { checkpoint: decodeCheckpoint(bytes), fileBytes: bytes.byteLength };
  } catch (error) {
    // the codec cannot know the file's name: say which file the user gave (its message keeps the place in the file)
    if (error instanceof CheckpointError) throw new CheckpointError(error.code, error.message, { where: path, cause: error });
    throw error;
  }
}
