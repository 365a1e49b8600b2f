// An incremental splitter for `{"Records":[…]}` (CloudTrail S3 log files) and `{"Events":[…]}`
// (`aws cloudtrail lookup-events` output): yields one array element's text at a time, so a
// multi-GB log never sits in memory. It scans bytes, not characters: every JSON structural byte
// is ASCII and UTF-8 continuation bytes are all ≥ 0x80, so no multi-byte character can be
// mistaken for a bracket or a quote. Elements are only delimited here; JSON.parse judges them.

import { isUtf8 } from 'node:buffer';

export interface ArrayElement {
  /** The wrapper key the array sits under ('' for a bare top-level array). */
  key: string;
  /** 1-based index among the file's records (across concatenated top-level values). */
  index: number;
  /** Byte offset of the element's first byte in the (decompressed) stream. */
  offset: number;
  /** The element's text, or undefined when it exceeded the size cap (see `oversize`). */
  text: string | undefined;
  /** False when the bytes are not UTF-8 (decoding would silently swap them for U+FFFD). */
  utf8: boolean;
}

export class JsonStructureError extends Error {}

const MAX_KEY = 256;

export class JsonArraySplitter {
  private readonly stack: number[] = [];
  private inString = false;
  private escape = false;
  private pos = 0;
  /** Depth at which elements of the array of interest sit (0 = none open). */
  private elemDepth = 0;
  private arrayKey = '';
  private index = 0;
  private parts: Buffer[] | undefined;
  private partsSize = 0;
  private capturing = false;
  private oversize = false;
  private elemOffset = 0;
  private keyBytes: number[] | undefined;
  private lastKey = '';
  private expectingKey = false;
  private started = false;

  constructor(
    private readonly keys: ReadonlySet<string>,
    private readonly maxElementBytes = 64 * 1024 * 1024,
  ) {}

  /** Feeds one chunk; returns the elements it completed. Throws JsonStructureError on garbage. */
  push(chunk: Buffer): ArrayElement[] {
    const out: ArrayElement[] = [];
    let start = this.capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.keyBytes && !this.escape && c !== 0x22 && this.keyBytes.length < MAX_KEY) this.keyBytes.push(c);
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.keyBytes) {
            this.lastKey = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = undefined;
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      const depth = this.stack.length;
      // Several top-level values may follow each other: `zcat *.json.gz` and `cat a.gz b.gz`
      // (a multi-member gzip) both give `{"Records":[…]}{"Records":[…]}`.
      if (depth === 0) {
        if (c !== 0x7b && c !== 0x5b) throw new JsonStructureError(`expected "{" or "[" at byte ${this.pos + i}`);
        this.started = true;
      }
      if (this.elemDepth > 0 && depth === this.elemDepth && !this.capturing && c !== 0x2c && c !== 0x5d) {
        this.capturing = true;
        this.oversize = false;
        this.index++;
        this.elemOffset = this.pos + i;
        this.parts = [];
        this.partsSize = 0;
        start = i;
      }
      switch (c) {
        case 0x22: // "
          this.inString = true;
          if (depth === 1 && this.stack[0] === 0x7b && this.expectingKey) this.keyBytes = [];
          break;
        case 0x7b: // {
        case 0x5b: // [
          this.stack.push(c);
          if (c === 0x5b && this.elemDepth === 0) {
            const top = depth === 0;
            const wanted = depth === 1 && this.stack[0] === 0x7b && !this.expectingKey && this.keys.has(this.lastKey);
            if (top || wanted) {
              this.elemDepth = depth + 1;
              this.arrayKey = top ? '' : this.lastKey;
            }
          }
          this.expectingKey = c === 0x7b && this.stack.length === 1;
          break;
        case 0x7d: // }
        case 0x5d: {
          // ]
          const open = this.stack.pop();
          if (open !== (c === 0x7d ? 0x7b : 0x5b))
            throw new JsonStructureError(`mismatched "${String.fromCharCode(c)}" at byte ${this.pos + i}`);
          if (this.capturing && depth === this.elemDepth) {
            this.finish(chunk, start, i, out);
            start = -1;
          }
          if (c === 0x5d && depth === this.elemDepth) this.elemDepth = 0;
          break;
        }
        case 0x2c: // ,
          if (this.capturing && depth === this.elemDepth) {
            this.finish(chunk, start, i, out);
            start = -1;
          }
          if (depth === 1 && this.stack[0] === 0x7b) this.expectingKey = true;
          break;
        case 0x3a: // :
          if (depth === 1) this.expectingKey = false;
          break;
        default:
          break;
      }
    }
    if (this.capturing && start >= 0) this.keep(chunk.subarray(start));
    this.pos += chunk.length;
    return out;
  }

  /** Call at end of input; throws when the input stopped inside a value (a truncated file). */
  end(): void {
    if (!this.started) throw new JsonStructureError('empty input');
    if (this.stack.length > 0 || this.inString) {
      const where = this.capturing ? `inside record ${this.index}` : `at byte ${this.pos}`;
      throw new JsonStructureError(`input ends ${where} (truncated?)`);
    }
  }

  /** Records seen so far (complete or not), for error messages. */
  get elementsSeen(): number {
    return this.index;
  }

  private keep(b: Buffer): void {
    if (this.oversize) return;
    this.partsSize += b.length;
    if (this.partsSize > this.maxElementBytes) {
      this.oversize = true;
      this.parts = undefined;
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.parts!.push(Buffer.from(b));
  }

  private finish(chunk: Buffer, start: number, end: number, out: ArrayElement[]): void {
    if (start >= 0) this.keep(chunk.subarray(start, end));
    const bytes = this.oversize || !this.parts ? undefined : Buffer.concat(this.parts);
    const text = bytes?.toString('utf8').trimEnd();
    out.push({
      key: this.arrayKey,
      index: this.index,
      offset: this.elemOffset,
      text,
      utf8: bytes === undefined || isUtf8(bytes),
    });
    this.capturing = false;
    this.parts = undefined;
  }
}
