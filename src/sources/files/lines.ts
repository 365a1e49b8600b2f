// A line splitter for JSON Lines inputs (Kubernetes audit logs, Falco alerts) over byte chunks,
// with a cap on line length: one runaway line (a corrupt file, a log without newlines) is
// reported and skipped instead of growing a string until the process dies.

import { isUtf8 } from 'node:buffer';

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  no: number;
  /** The text without its line ending; undefined when the line exceeded the cap. */
  text: string | undefined;
  /** False when the bytes are not UTF-8 (decoding would silently swap them for U+FFFD). */
  utf8: boolean;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private no = 0;
  private oversize = false;

  constructor(private readonly maxLineBytes = 64 * 1024 * 1024) {}

  push(chunk: Buffer): Line[] {
    const out: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      this.keep(chunk.subarray(start, nl));
      out.push(this.take());
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    return out;
  }

  /** The last line when the file does not end in a newline (or a truncated one). */
  end(): Line[] {
    return this.size > 0 || this.oversize ? [this.take()] : [];
  }

  private keep(b: Buffer): void {
    if (this.oversize || b.length === 0) return;
    this.size += b.length;
    if (this.size > this.maxLineBytes) {
      this.oversize = true;
      this.parts = [];
      return;
    }
    this.parts.push(Buffer.from(b));
  }

  private take(): Line {
    this.no++;
    const bytes = this.oversize ? undefined : Buffer.concat(this.parts, this.size);
    const text = bytes?.toString('utf8').replace(/\r$/, '');
    this.parts = [];
    this.size = 0;
    this.oversize = false;
    return { no: this.no, text, utf8: bytes === undefined || isUtf8(bytes) };
  }
}
