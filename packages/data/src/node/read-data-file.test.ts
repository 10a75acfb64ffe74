import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../idx.js';
import { readDataFile } from './read-data-file.js';

const MB = 1024 * 1024;

describe('readDataFile on gzip', () => {
  it('inflates a well-formed gzipped IDX file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-gz-'));
    const idx = encodeIdx([3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i));
    await writeFile(join(folder, 'ok.gz'), gzipSync(idx));
    expect(Array.from(await readDataFile(join(folder, 'ok.gz')))).toEqual(Array.from(idx));
  });

  // Issue 18, finding 6: a gzipped IDX inflating to 1.5 GB cost 3.2 GB before `trailing-bytes`.
  it('stops inflating at the size the IDX header declares: a gzip bomb costs its declared size, not its inflated size', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-gz-'));
    const header = encodeIdx([10, 28, 28], new Uint8Array(10 * 28 * 28));
    const bomb = Buffer.alloc(header.length + 256 * MB);
    bomb.set(header);
    const path = join(folder, 'bomb-images-idx3-ubyte.gz');
    await writeFile(path, gzipSync(bomb, { level: 9 }));
    const before = process.memoryUsage().arrayBuffers;
    const error = await readDataFile(path).then(() => undefined, (e: unknown) => e);
    const grew = process.memoryUsage().arrayBuffers - before;
    expect(error).toMatchObject({ name: 'DataError', code: 'trailing-bytes', file: path });
    expect((error as Error).message).toMatch(/inflates to more than its IDX header declares/);
    expect(grew).toBeLessThan(64 * MB);
  });

  it('refuses a header that declares more than a data file may hold, before inflating it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forger-gz-'));
    const claim = new Uint8Array(16);
    new DataView(claim.buffer).setUint32(0, 0x803);
    new DataView(claim.buffer).setUint32(4, 100_000);
    new DataView(claim.buffer).setUint32(8, 200);
    new DataView(claim.buffer).setUint32(12, 200);
    const path = join(folder, 'huge-images-idx3-ubyte.gz');
    await writeFile(path, gzipSync(Buffer.concat([claim, Buffer.alloc(MB)])));
    await expect(readDataFile(path)).rejects.toMatchObject({ name: 'DataError', code: 'too-large' });
  });
});
