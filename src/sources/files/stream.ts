// A file's decompressed bytes as chunks, gunzipping when the bytes (not the name) say gzip, and
// optionally hashing exactly what was read: CloudTrail digests hash the UNCOMPRESSED log
// file, so the hash comes free from the pass that imports it.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { describeFsError } from './fs-errors.js';

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
  /**
   * SHA-256 and size of the file's bytes as they are on disk (compressed, if it is), set once the
   * whole file was read: what the journal records as the source file's evidence.
   */
  raw: { sha256: string; size: number } | undefined;
}

export async function openChunks(file: string, opts: { hash?: boolean } = {}): Promise<ChunkSource> {
  const gzip = await isGzip(file);
  const src: ChunkSource = {
    chunks: undefined as unknown as AsyncGenerator<Buffer>,
    sha256: undefined,
    gzip,
    raw: undefined,
  };
  const hash: Hash | undefined = opts.hash ? createHash('sha256') : undefined;
  // Hashed in the same pass as the import reads it: the file is never read twice.
  const rawHash = createHash('sha256');
  let rawSize = 0;
  let rawDone = false;
  src.chunks = (async function* () {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    let stream: Readable = raw;
    if (gzip) {
      // pipe() already reads raw in flowing mode, so a second 'data' listener sees the same chunks.
      raw.on('data', (b: string | Buffer) => {
        rawHash.update(b);
        rawSize += b.length;
      });
      raw.on('end', () => (rawDone = true));
      const gunzip = createGunzip();
      raw.on('error', (e) => gunzip.destroy(e));
      stream = raw.pipe(gunzip);
    }
    try {
      for await (const chunk of stream) {
        const b = chunk as Buffer;
        hash?.update(b);
        if (!gzip) {
          rawHash.update(b);
          rawSize += b.length;
        }
        yield b;
      }
      if (!gzip) rawDone = true;
      if (hash) src.sha256 = hash.digest('hex');
      if (rawDone) src.raw = { sha256: rawHash.digest('hex'), size: rawSize };
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
    // Z_BUF_ERROR is zlib's "unexpected end of file": the stream stops before its trailer.
    const detail =
      err.code === 'Z_BUF_ERROR'
        ? 'gzip stream broken: it ends early (truncated)'
        : 'gzip stream broken: the file is corrupt';
    return { kind: 'corrupt-gzip', detail };
  }
  return { kind: 'unreadable', detail: describeFsError(e) };
}
