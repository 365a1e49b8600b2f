// An imported file as evidence: what the journal records so its redacted copies of the records
// can always be traced back to the original bytes.

import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/** The `source` of an evidence.recorded for an imported file (bundles re-hash it in place, never copy it). */
export const SOURCE_FILE = 'source-file';

export interface SourceFile {
  /** Absolute path as read. */
  path: string;
  /** Hex SHA-256 of the bytes on disk (compressed, when the file is gzip). */
  sha256: string;
  size: number;
  format: string;
  gzip: boolean;
  records: number;
  /** Set once recorded in the journal. */
  evidenceId?: string;
}

/** SHA-256 and size of a file's bytes, streamed (for a file whose import pass stopped early). */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const b of createReadStream(file, { highWaterMark: 1 << 20 })) {
    h.update(b as Buffer);
    size += (b as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}
