// This cockpit's own journal, read as lines for sealing: each complete line checked as the scan
// checks it (a line still being written, without its newline, waits for the next read). Reads on
// from where the last read stopped; the journal is append-only, so nothing before it changes.

import { open } from 'node:fs/promises';
import { checkLine } from '../scan.js';
import type { AnyRecord } from '../records.js';

export interface LocalLine {
  record: AnyRecord;
  hash: string;
  /** The line with its newline, exactly as on disk. */
  bytes: Buffer;
}

export class LocalJournalTail {
  readonly lines: LocalLine[] = [];
  private offset = 0;

  constructor(readonly file: string) {}

  /** Reads the lines appended since the last call; resolves to how many there were. */
  async read(): Promise<number> {
    const fh = await open(this.file, 'r');
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return 0;
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      let start = 0;
      let added = 0;
      for (let end = buf.indexOf(0x0a); end >= 0; end = buf.indexOf(0x0a, start)) {
        const line = buf.subarray(start, end);
        const seq = this.lines.length + 1;
        const c = checkLine(line, seq, this.lines.at(-1)?.hash, false);
        if (!c.ok) throw new Error(`${this.file}: line ${seq}: ${c.reason}`);
        this.lines.push({ record: c.record, hash: c.hash, bytes: Buffer.from(buf.subarray(start, end + 1)) });
        start = end + 1;
        added++;
      }
      this.offset += start;
      return added;
    } finally {
      await fh.close();
    }
  }
}
