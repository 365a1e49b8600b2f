// A fake terminal for mounting the cockpit in-process, like the fake stdout of Ink's own tests
// (https://github.com/vadimdemedes/ink/blob/master/test/helpers/create-stdout.ts): stdout is an
// EventEmitter with isTTY, settable columns/rows and a write() that timestamps every chunk; stdin
// is a raw-mode-capable stream that Ink reads through 'readable' + read(), as ink-testing-library's
// Stdin does, plus isTTY/setRawMode/ref/unref so Ink takes its interactive input path.

import { EventEmitter } from 'node:events';

const BSU = '\u001b[?2026h'; // begin synchronized update
const ESU = '\u001b[?2026l'; // end synchronized update: the terminal shows the frame now

export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns;
  rows;
  writes = 0;
  bytes = 0;
  /** Called as onWrite(text, time) for every write (the benches hook their clocks in here). */
  onWrite = undefined;

  constructor(columns = 120, rows = 40) {
    super();
    this.columns = columns;
    this.rows = rows;
  }

  write(chunk, encoding, cb) {
    const t = performance.now();
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.writes++;
    this.bytes += Buffer.byteLength(text);
    this.onWrite?.(text, t);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) queueMicrotask(done);
    return true;
  }

  resize(columns, rows) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }

  // What a tty.WriteStream also has; Ink does not need them, other code might.
  getColorDepth() {
    return 24;
  }
  hasColors() {
    return true;
  }
  getWindowSize() {
    return [this.columns, this.rows];
  }
}

export const isFrameEnd = (text) => text.includes(ESU);
export const isFrameStart = (text) => text.includes(BSU);

export class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  refs = 0;
  queue = [];

  /** Delivers one chunk as a terminal would: 'readable', then Ink drains it with read(). */
  write(data) {
    this.queue.push(data);
    this.emit('readable');
  }

  read() {
    return this.queue.length ? this.queue.shift() : null;
  }

  setRawMode(on) {
    this.isRaw = on;
    return this;
  }
  setEncoding() {
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  ref() {
    this.refs++;
    return this;
  }
  unref() {
    this.refs--;
    return this;
  }
}

/** Key names → what a terminal sends for them. */
export const KEY_BYTES = {
  j: 'j',
  k: 'k',
  g: 'g',
  G: 'G',
  q: 'q',
  y: 'y',
  PgDn: '\u001b[6~',
  PgUp: '\u001b[5~',
  3: '3',
};
