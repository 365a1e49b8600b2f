// A file's decompressed bytes as chunks, gunzipping when the bytes (not the name) say gzip, and
// optionally hashing exactly what was read: CloudTrail digests hash the UNCOMPRESSED log
// (research apis.md §2.2), so the hash comes free from the pass that imports it.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export interface ChunkSource {
  chunks: AsyncGenerator<Buffer>;
  /** Hex SHA-256 of the decompressed bytes, set only once the whole file was read without error. */
  sha256: string | undefined;
  gzip: boolean;
}

export async function openChunks(file: string, opts: { hash?: boolean } = {}): Promise<ChunkSource> {
  const gzip = await isGzip(file);
  const src: ChunkSource = { chunks: undefined as unknown as AsyncGenerator<Buffer>, sha256: undefined, gzip };
  const hash: Hash | undefined = opts.hash ? createHash('sha256') : undefined;
  src.chunks = (async function* () {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    let stream: Readable = raw;
    if (gzip) {
      const gunzip = createGunzip();
      raw.on('error', (e) => gunzip.destroy(e));
      stream = raw.pipe(gunzip);
    }
    try {
      for await (const chunk of stream) {
        const b = chunk as Buffer;
        hash?.update(b);
        yield b;
      }
      if (hash) src.sha256 = hash.digest('hex');
    } finally {
      raw.destroy();
      stream.destroy();
    }
  })();
  return src;
}

/** One line for a stream failure: zlib's codes mean a truncated or corrupt gzip. */
export function describeStreamError(e: unknown): { kind: 'corrupt-gzip' | 'unreadable'; detail: string } {
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
    return { kind: 'corrupt-gzip', detail: `gzip stream broken (${err.message}): truncated or corrupt` };
  }
  return { kind: 'unreadable', detail: err.code ? `${err.code}: ${err.message}` : String(err.message ?? e) };
}
