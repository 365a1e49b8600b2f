// `firebreak verify` proves each v1 line is the canonical serialisation of its record without
// re-serialising it when the bytes read already show it (scan.ts: isCanonicalAsRead), and falls
// back to re-serialising otherwise. Both must agree: every non-canonical spelling of a record,
// resealed with a matching hash, is refused; canonical records that the quick proof cannot take
// (integer-like keys, which JSON.parse lists first) still verify. A v2 line is not re-serialised:
// its seal covers the bytes as written, so verify checks only what the seal cannot show (the
// envelope's order, UTF-8); any other spelling re-sealed is a forged chain, which signatures and
// --expect-head catch (signing.test.ts, expect-head.test.ts).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { genesisHash, HASH_SUFFIX_LENGTH, sealLine } from '../../../src/journal/chain.js';
import { canonicalRecord } from '../../../src/journal/canonical.js';
import { Journal } from '../../../src/journal/journal.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { normaliseCloudTrailRecord } from '../../../src/sources/cloudtrail/normalise.js';
import { ctRecord } from '../import/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fb-canon-'));
let lines: string[] = [];
/** The same journal as written (format v2). */
let v2Lines: string[] = [];

/** The records of `written`, rewritten and re-chained as the v1 writer wrote them. */
function asV1(written: string[]): string[] {
  let prev = genesisHash('INC-2026-077');
  return written.map((l) => {
    const { hash: _, ...r } = JSON.parse(l) as Parameters<typeof canonicalRecord>[0] & { hash: string };
    const sealed = sealLine(canonicalRecord({ ...r, v: 1, prev }));
    prev = sealed.hash;
    return sealed.line;
  });
}

beforeAll(async () => {
  const j = await Journal.create(join(dir, 'src.jsonl'), { incidentId: 'INC-2026-077', title: 'canon', mode: 'drill' });
  const raw = ctRecord(1, {
    // Integer-like keys ("10" sorts before "9" by code unit; V8 lists 9 first) and non-ASCII.
    requestParameters: { bucketName: 'b', tags: { '10': 'ten', '9': 'nine', zeta: 'ü ✓ "q"' } },
  });
  const n = normaliseCloudTrailRecord(raw, '2026-04-20T15:00:00.000Z');
  // The last record has no integer-like key, so the quick proof can take it.
  const plain = normaliseCloudTrailRecord(ctRecord(2, { requestParameters: { bucketName: 'b', tag: 'ten' } }), 'x');
  if (!n.ok || !plain.ok) throw new Error('fixture records do not normalise');
  await j.append('note.added', { text: 'first' });
  await j.append('event.ingested', { event: n.event });
  await j.append('event.ingested', { event: plain.event });
  await j.close();
  v2Lines = readFileSync(join(dir, 'src.jsonl'), 'utf8').split('\n').slice(0, -1);
  lines = asV1(v2Lines);
  writeFileSync(join(dir, 'v1.jsonl'), [...lines, ''].join('\n'));
});

/** The journal with line `i` (0-based) replaced by `body` (a record without hash), resealed. */
async function verifyWith(i: number, body: string, from = lines) {
  const file = join(dir, 'j.jsonl');
  const out = [...from];
  out[i] = sealLine(body).line;
  writeFileSync(file, [...out, ''].join('\n'));
  return verifyJournal(file);
}

/** Line `i` without its hash field: the bytes the hash covers. */
const bodyOf = (i: number, from = lines) => {
  const l = from[i]!;
  return l.slice(0, l.length - HASH_SUFFIX_LENGTH) + '}';
};
const LAST = 3;
const INT_KEYS = 2;

describe('verify: v1 canonical form proven from the bytes read', () => {
  it('accepts the journal as written, integer-like keys included', async () => {
    expect(lines).toHaveLength(4);
    expect(bodyOf(INT_KEYS)).toContain('"tags":{"10":"ten","9":"nine"');
    const v = await verifyJournal(join(dir, 'v1.jsonl'));
    expect(v.message).toContain('4 v1 lines (canonical JSON');
    expect(v).toMatchObject({ ok: true });
    expect((await verifyWith(LAST, bodyOf(LAST))).ok).toBe(true);
  });

  const variants: [string, number, (b: string) => string][] = [
    ['a space after a colon', LAST, (b) => b.replace('"type":', '"type": ')],
    [
      'data keys out of order',
      LAST,
      (b) => b.replace(/"action":("[^"]*"),"actor":("[^"]*")/, '"actor":$2,"action":$1'),
    ],
    ['a key named twice', LAST, (b) => b.replace('"bucketName":"b"', '"bucketName":"x","bucketName":"b"')],
    ['a letter spelt as an escape', LAST, (b) => b.replace('"ten"', '"t\\u0065n"')],
    ['a number spelt another way', LAST, (b) => b.replace(/"seq":(\d+)/, '"seq":$1.0')],
    ['an envelope key moved', LAST, (b) => b.replace(/^\{"v":(\d+),"seq":(\d+),/, '{"seq":$2,"v":$1,')],
    ['integer-like keys in V8 order', INT_KEYS, (b) => b.replace('"10":"ten","9":"nine"', '"9":"nine","10":"ten"')],
    ['a space, beside integer-like keys', INT_KEYS, (b) => b.replace('"type":', '"type": ')],
  ];
  it.each(variants)('refuses %s, resealed with a matching hash', async (_, i, f) => {
    const body = f(bodyOf(i));
    expect(body).not.toBe(bodyOf(i));
    const v = await verifyWith(i, body);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(new RegExp(`seq ${i + 1} .*not in canonical form`));
  });

  it('refuses bytes that are not UTF-8 even where they decode to the same text', async () => {
    const file = join(dir, 'bad-utf8.jsonl');
    await expectNotUtf8Refused(file, lines, /seq 4 .*not in canonical form/);
  });
});

/** Line LAST of `from` with one letter replaced by the byte 0xff, resealed: verify refuses it. */
async function expectNotUtf8Refused(file: string, from: string[], reason: RegExp) {
  const body = Buffer.from(bodyOf(LAST, from).replace('"ten"', '"t@n"'));
  const at = body.indexOf('@');
  // 0xff decodes to U+FFFD; the canonical writer would have written U+FFFD as EF BF BD.
  const bytes = Buffer.concat([body.subarray(0, at), Buffer.from([0xff]), body.subarray(at + 1)]);
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(bytes).digest('hex');
  const line = Buffer.concat([bytes.subarray(0, -1), Buffer.from(`,"hash":"${hash}"}`)]);
  writeFileSync(file, Buffer.concat([Buffer.from(from.slice(0, -1).join('\n') + '\n'), line, Buffer.from('\n')]));
  const v = await verifyJournal(file);
  expect(v.ok).toBe(false);
  expect(v.message).toMatch(reason);
}

describe('verify: a v2 line is checked as read, never re-serialised', () => {
  it('accepts the journal as written, integer-like keys in the order V8 lists them', async () => {
    expect(bodyOf(INT_KEYS, v2Lines)).toContain('"tags":{"9":"nine","10":"ten"');
    const v = await verifyJournal(join(dir, 'src.jsonl'));
    expect(v).toMatchObject({ ok: true });
    expect(v.message).toContain('4 v2 lines (hashed as written, not re-serialised');
  });

  // What the seal covers is what counts: another spelling, re-sealed, is a chain someone re-computed.
  const spellings: [string, number, (b: string) => string][] = [
    ['data keys in another order', LAST, (b) => b.replace(/"source":("[^"]*"),"id":("[^"]*")/, '"id":$2,"source":$1')],
    ['a space after a colon', LAST, (b) => b.replace('"type":', '"type": ')],
    ['a letter spelt as an escape', LAST, (b) => b.replace('"ten"', '"t\\u0065n"')],
    ['integer-like keys not in V8 order', INT_KEYS, (b) => b.replace('"9":"nine","10":"ten"', '"10":"ten","9":"nine"')],
  ];
  it.each(spellings)('accepts %s, sealed over as written', async (_, i, f) => {
    const body = f(bodyOf(i, v2Lines));
    expect(body).not.toBe(bodyOf(i, v2Lines));
    const v = await verifyWith(i, body, v2Lines);
    // The line passes; only the next one, which links to the old hash, breaks the chain.
    if (i === LAST) expect(v.ok, v.message).toBe(true);
    else expect(v.scan.failure).toMatchObject({ seq: i + 2, reason: expect.stringMatching(/chain broken/) as string });
  });

  it('refuses an envelope key moved, resealed with a matching hash', async () => {
    const body = bodyOf(LAST, v2Lines).replace(/^\{"v":(\d+),"seq":(\d+),/, '{"seq":$2,"v":$1,');
    const v = await verifyWith(LAST, body, v2Lines);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/seq 4 .*v2 record is not as firebreak writes it/);
  });

  it('refuses bytes that are not UTF-8 even where they decode to the same text', async () => {
    await expectNotUtf8Refused(join(dir, 'bad-utf8-v2.jsonl'), v2Lines, /seq 4 .*v2 record is not as firebreak/);
  });
});
