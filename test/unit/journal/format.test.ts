// Format v2 pieces: the line the writer seals is the line checkSeal accepts, and the bounds check
// on data from outside refuses what v1's canonical writer refused.

import { describe, expect, it } from 'vitest';
import { checkSeal, sealHead, sha256Hex } from '../../../src/journal/chain.js';
import { MAX_DEPTH } from '../../../src/journal/canonical.js';
import { assertStorable, recordHead } from '../../../src/journal/format.js';

function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('v2 line', () => {
  it('is sealed over its bytes as encoded, and the seal checks', () => {
    const data = { text: 'ünï "q" \u2028', z: 1, a: [1, 2.5] };
    const head = recordHead(
      7,
      '2026-04-20T14:00:00.000Z',
      'note.added',
      'alice',
      JSON.stringify(data),
      'ab'.repeat(32),
    );
    const { bytes, hash } = sealHead(head);
    const line = bytes.subarray(0, -1);
    expect(bytes.at(-1)).toBe(0x0a);
    expect(hash).toBe(sha256Hex(Buffer.from(head + '}')));
    expect(line.toString()).toBe(`${head},"hash":"${hash}"}`);
    expect(checkSeal(line)).toEqual({ ok: true, hash });
    // Keys stay in the order they were built in.
    expect(JSON.parse(line.toString())).toMatchObject({ v: 2, seq: 7, data });
    expect(line.toString()).toContain('"data":{"text":"ünï \\"q\\" \u2028","z":1,"a":[1,2.5]}');
  });

  it('leaves the buffer it checks unchanged, and a changed byte fails the seal', () => {
    const { bytes } = sealHead(recordHead(1, 't', 'note.added', 'a', '{"text":"x"}', '00'.repeat(32)));
    const line = Buffer.from(bytes.subarray(0, -1));
    const copy = Buffer.from(line);
    expect(checkSeal(line).ok).toBe(true);
    expect(line).toEqual(copy);
    line[line.indexOf('"x"') + 1] = 0x79;
    expect(checkSeal(line)).toEqual({ ok: false, reason: 'hash does not match the record (edited or corrupted)' });
  });
});

describe('assertStorable', () => {
  it('refuses nesting past MAX_DEPTH, non-finite numbers and values JSON has no form for', () => {
    expect(() => assertStorable(deep(MAX_DEPTH + 1))).toThrow(/nested more than 256/);
    expect(() => assertStorable(deep(100_000))).toThrow(/nested more than 256/);
    expect(() => assertStorable({ n: [Infinity] })).toThrow(/non-finite number Infinity/);
    expect(() => assertStorable({ n: NaN })).toThrow(/non-finite number NaN/);
    expect(() => assertStorable({ n: 10n })).toThrow(/cannot store a bigint/);
  });

  it('accepts what JSON.stringify writes faithfully, and a toJSON value as what it returns', () => {
    expect(() => assertStorable(deep(MAX_DEPTH - 1))).not.toThrow();
    const v = { at: new Date('2026-04-20T14:00:00Z'), skip: undefined, f: () => 1, s: 'x', '10': [null, true] };
    expect(() => assertStorable(v)).not.toThrow();
    expect(JSON.stringify(v)).toBe('{"10":[null,true],"at":"2026-04-20T14:00:00.000Z","s":"x"}');
  });
});
