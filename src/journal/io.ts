// The two system calls the journal depends on, behind a seam so tests can inject EIO / ENOSPC and
// prove the journal fails closed. Production uses a FileHandle opened with O_APPEND.

import { open, type FileHandle } from 'node:fs/promises';
import { openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JournalIO {
  /** Writes every byte (looping over short writes) at the end of the file. */
  write(data: Buffer): Promise<void>;
  /** fdatasync: resolves only when the data written so far is on stable storage. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function openAppendIO(file: string, flags: 'a' | 'ax'): Promise<JournalIO> {
  const fh: FileHandle = await open(file, flags, 0o600);
  return {
    async write(data) {
      let off = 0;
      // fs.write may write fewer bytes than asked (nodejs.org/api/fs.html#filehandlewritebuffer-offset-length-position).
      while (off < data.length) {
        const { bytesWritten } = await fh.write(data, off, data.length - off);
        if (bytesWritten <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
        off += bytesWritten;
      }
    },
    sync: () => fh.datasync(),
    close: () => fh.close(),
  };
}

/** fsync the directory so a newly created file (or a rename) survives power loss (fsync(2)). */
export function syncDirectory(file: string): void {
  const fd = openSync(dirname(file), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
