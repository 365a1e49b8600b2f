// CloudTrail files read whole (one JSON.parse of the document) must read exactly as the streaming
// splitter reads them: same events, same problems at the same "record N", same counts and hashes,
// whatever is wrong with the file. The splitter is the reference; wholeFileMax 0 forces it, and a
// tiny threshold makes the reader switch to it part-way through a file.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { readInputFile, type FileStats, type ReadItem } from '../../../src/sources/files/read.js';
import { tempDir } from '../../helpers/tmp.js';
import { ctRecord, FIXTURES } from './helpers.js';

const NOW = '2026-04-20T15:00:00.000Z';
let dir = '';

async function read(file: string, wholeFileMax?: number): Promise<{ items: ReadItem[]; stats: FileStats }> {
  const stats: FileStats = { file, format: undefined, records: 0, sha256: undefined };
  const items: ReadItem[] = [];
  const opts = { discoveredAt: NOW, hash: true, ...(wholeFileMax !== undefined ? { wholeFileMax } : {}) };
  for await (const it of readInputFile(file, stats, opts)) items.push(it);
  return { items, stats };
}

const rec = (i: number) => JSON.stringify(ctRecord(i));
const summary = (items: ReadItem[]) =>
  items.map((i) =>
    i.type === 'event' ? `event ID${Number(i.event.id.split('-').pop())}` : `${i.type} ${i.where.split(': ').pop()}`,
  );

const CASES: [string, string | Buffer][] = [
  ['good', `{"Records":[${[1, 2, 3].map(rec).join(',')}]}`],
  ['a bad record in the middle', `{"Records":[${rec(1)},{"eventID":oops},${rec(3)}]}`],
  ['1e999 and deep nesting', `{"Records":[${rec(1)},{"x":1e999},${'['.repeat(400)}${']'.repeat(400)},${rec(4)}]}`],
  ['a wrong-shaped record', `{"Records":[${rec(1)},{"eventID":""},${rec(3)}]}`],
  ['Records named twice', `{"Records":[${rec(1)}],"Records":[${rec(2)},${rec(3)}]}`],
  ['a second Records spelt with escapes', `{"Records":[${rec(1)}],"Rec\\u006frds":[${rec(2)}]}`],
  ['two concatenated logs (zcat *.json.gz)', `{"Records":[${rec(1)}]}{"Records":[${rec(2)}]}`],
  ['truncated inside record 2', `{"Records":[${rec(1)},${rec(2).slice(0, 40)}`],
  ['Records is not an array', `{"Records":{"a":[${rec(1)}]}}`],
  ['a bare top-level array', `[${rec(1)},${rec(2)}]`],
  [
    'a record that is not UTF-8',
    Buffer.concat([
      Buffer.from(`{"Records":[${rec(1)},{"eventID":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"},${rec(3)}]}`),
    ]),
  ],
  ['lookup-events output', readFileSync(join(FIXTURES, 'lookup-events.json'))],
];

describe('CloudTrail file read whole', () => {
  beforeEach(() => {
    dir = tempDir('fb-whole-');
  });

  it.each(CASES)('%s: reads exactly as the streaming splitter, whole or switching part-way', async (name, body) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.json.gz`);
    writeFileSync(file, gzipSync(body));
    const streamed = await read(file, 0);
    const whole = await read(file);
    const switched = await read(file, 64);
    expect(whole).toEqual(streamed);
    expect(switched).toEqual(streamed);
    expect(streamed.items.length).toBeGreaterThan(0);
  });

  it('a bad record costs that record only, named by its index', async () => {
    const file = join(dir, 'one-bad.json');
    writeFileSync(file, `{"Records":[${rec(1)},${rec(2)},{"eventID":oops},${rec(4)},${rec(5)}]}`);
    const { items, stats } = await read(file);
    expect(summary(items)).toEqual(['event ID1', 'event ID2', 'problem record 3', 'event ID4', 'event ID5']);
    expect(items[2]).toMatchObject({ kind: 'bad-json', where: `${file}: record 3` });
    expect(stats.records).toBe(5);
  });

  it('reads every array of a wrapper key named twice, as the splitter does (JSON.parse keeps only the last)', async () => {
    const file = join(dir, 'twice.json');
    writeFileSync(file, `{"Records":[${rec(1)}],"Records":[${rec(2)},${rec(3)}]}`);
    expect(summary((await read(file)).items)).toEqual(['event ID1', 'event ID2', 'event ID3']);
    const escaped = join(dir, 'escaped.json');
    writeFileSync(escaped, `{"Records":[${rec(1)}],"Rec\\u006frds":[${rec(2)}]}`);
    expect(summary((await read(escaped)).items)).toEqual(['event ID1']);
  });
});
