// Signed checkpoints: a journal written with a signing key is vouched for by its public key alone.
// A cut tail, a re-chained tail and a replaced file are caught by --public-key as by
// --expect-head; an unsigned journal is said to be unsigned; a key in the journal's folder is refused.

import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../src/journal/journal.js';
import { generateSigningKeys, loadPublicKey, loadSigner, SIGNING_KEY_ENV } from '../../../src/journal/signing.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { sealLine } from '../../../src/journal/chain.js';
import { canonicalRecord } from '../../../src/journal/canonical.js';
import { tempDir } from '../../helpers/tmp.js';

const OPENED = { incidentId: 'INC-2026-042', title: 'Signed', mode: 'drill' as const };

afterEach(() => {
  delete process.env[SIGNING_KEY_ENV];
});

function keys() {
  return generateSigningKeys(join(tempDir(), 'keys'));
}

/** A journal written with FIREBREAK_SIGNING_KEY: notes around a severity call, then closed. */
async function signedJournal(k = keys()): Promise<{ file: string; head: string; pub: string }> {
  process.env[SIGNING_KEY_ENV] = k.privateFile;
  const file = join(tempDir(), 'j.jsonl');
  const j = await Journal.create(file, OPENED, { actor: 't' });
  await j.append('note.added', { text: 'first' });
  await j.append('severity.set', { level: 1 });
  for (let i = 0; i < 4; i++) await j.append('note.added', { text: `note ${i}` });
  await j.close();
  delete process.env[SIGNING_KEY_ENV];
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return { file, head: (JSON.parse(lines.at(-1)!) as { hash: string }).hash, pub: k.publicFile };
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Edits one record and recomputes every hash after it: a forger's valid chain. */
function rechain(
  file: string,
  at: number,
  edit: (r: Record<string, unknown>) => void,
  drop: (r: Record<string, unknown>) => boolean = () => false,
): void {
  const src = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  let prev = (JSON.parse(src[at - 2]!) as { hash: string }).hash;
  const out = src.slice(0, at - 1);
  for (const l of src.slice(at - 1)) {
    const { hash: _h, ...r } = JSON.parse(l) as Record<string, unknown>;
    if (drop(r)) continue;
    r.seq = out.length + 1;
    r.prev = prev;
    if (r.seq === at) edit(r);
    if (r.type === 'checkpoint') Object.assign(r.data as object, { records: out.length, head: prev });
    const sealed = sealLine(canonicalRecord(r as unknown as Parameters<typeof canonicalRecord>[0]));
    prev = sealed.hash;
    out.push(sealed.line);
  }
  writeFileSync(file, out.join('\n') + '\n');
}

describe('firebreak keygen', () => {
  it('writes a private key only its owner can read and a public key, and never overwrites them', () => {
    const dir = join(tempDir(), 'keys');
    const k = generateSigningKeys(dir);
    expect(statSync(k.privateFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(k.privateFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(k.publicFile, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(k.keyId).toMatch(/^[0-9a-f]{64}$/);
    const before = readFileSync(k.privateFile);
    expect(() => generateSigningKeys(dir)).toThrow(/already exists: firebreak never overwrites a key/);
    expect(readFileSync(k.privateFile).equals(before)).toBe(true);
  });
});

describe('the signing key', () => {
  it('is refused inside the journal folder, readable by others, or not a key — before anything is written', async () => {
    const dir = tempDir();
    const k = generateSigningKeys(join(dir, 'keys'));
    const file = join(dir, 'j.jsonl');
    process.env[SIGNING_KEY_ENV] = k.privateFile;
    await expect(Journal.create(file, OPENED)).rejects.toThrow(
      /FIREBREAK_SIGNING_KEY=.* is inside the journal's folder .*re-sign a forged one/,
    );
    expect(() => statSync(file)).toThrow();

    const elsewhere = join(tempDir(), 'loose.key');
    copyFileSync(k.privateFile, elsewhere);
    chmodSync(elsewhere, 0o644);
    expect(() => loadSigner(elsewhere, file)).toThrow(/can be read by other users: run "chmod 600/);
    writeFileSync(elsewhere, 'not a key', { mode: 0o600 });
    chmodSync(elsewhere, 0o600);
    expect(() => loadSigner(elsewhere, file)).toThrow(/is not a private key/);
    expect(() => loadSigner(join(tempDir(), 'missing.key'), file)).toThrow(/no such key file.*firebreak keygen/);
  });

  it('signs every checkpoint and one on close, so the journal is signed through its last record', async () => {
    const { file, pub } = await signedJournal();
    const recs = lines(file);
    const cps = recs.filter((r) => r.type === 'checkpoint');
    expect(cps.map((r) => r.seq)).toEqual([4, 9]);
    expect(recs.at(-1)!.type).toBe('checkpoint');
    for (const cp of cps) expect((cp.data as { sig?: string }).sig).toMatch(/==$/);
    const v = await verifyJournal(file, { publicKey: loadPublicKey(pub) });
    expect(v.ok).toBe(true);
    expect(v.message).toMatch(/signed through the last record \(seq 9, /);
  });

  it('reopened with the key and closed without writing, adds no second closing checkpoint', async () => {
    const k = keys();
    const { file, pub } = await signedJournal(k);
    const size = statSync(file).size;
    const { journal } = await Journal.open(file, () => {}, { signer: loadSigner(k.privateFile, file) });
    await journal.close();
    expect(statSync(file).size).toBe(size);
    expect((await verifyJournal(file, { publicKey: loadPublicKey(pub) })).ok).toBe(true);
  });
});

describe('tamper: each is caught by --expect-head and by --public-key', () => {
  it('a deleted tail', async () => {
    const { file, head, pub } = await signedJournal();
    const src = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, src.slice(0, -3).join('\n') + '\n');
    expect((await verifyJournal(file)).ok).toBe(true);
    expect((await verifyJournal(file, { expectHead: head })).ok).toBe(false);
    const v = await verifyJournal(file, { publicKey: loadPublicKey(pub) });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/NOT COVERED — the last signed checkpoint is seq 4 .*the 2 records after it \(seq 5–6\)/);
  });

  it('a re-chained tail, with the signed checkpoints kept or dropped', async () => {
    const kept = await signedJournal();
    rechain(kept.file, 3, (r) => ((r.data as { level: number }).level = 3));
    expect((await verifyJournal(kept.file)).ok).toBe(true);
    expect((await verifyJournal(kept.file, { expectHead: kept.head })).ok).toBe(false);
    const v = await verifyJournal(kept.file, { publicKey: loadPublicKey(kept.pub) });
    expect(v.ok).toBe(false);
    expect(v.seq).toBe(4);
    expect(v.message).toMatch(/NOT INTACT — checkpoint at seq 4: signature does not verify/);

    const dropped = await signedJournal();
    rechain(
      dropped.file,
      5,
      (r) => ((r.data as { text: string }).text = 'nothing happened'),
      (r) => r.type === 'checkpoint' && r.seq === 9,
    );
    expect((await verifyJournal(dropped.file)).ok).toBe(true);
    expect((await verifyJournal(dropped.file, { expectHead: dropped.head })).ok).toBe(false);
    const d = await verifyJournal(dropped.file, { publicKey: loadPublicKey(dropped.pub) });
    expect(d.ok).toBe(false);
    expect(d.message).toMatch(/NOT COVERED .*seq 4/);
  });

  it('a replaced file: unsigned, or signed with another key', async () => {
    const a = await signedJournal();
    const unsigned = join(tempDir(), 'u.jsonl');
    const j = await Journal.create(unsigned, OPENED, { signer: null });
    await j.append('severity.set', { level: 2 });
    await j.close();
    writeFileSync(a.file, readFileSync(unsigned));
    expect((await verifyJournal(a.file)).ok).toBe(true);
    expect((await verifyJournal(a.file, { expectHead: a.head })).ok).toBe(false);
    const v = await verifyJournal(a.file, { publicKey: loadPublicKey(a.pub) });
    expect(v.ok).toBe(false);
    expect(v.unreadable).toBeUndefined(); // exit 1, a verdict
    expect(v.message).toMatch(
      /NOT SIGNED — its 1 checkpoints are unsigned: it was not written with FIREBREAK_SIGNING_KEY/,
    );

    const b = await signedJournal();
    writeFileSync(a.file, readFileSync(b.file));
    expect((await verifyJournal(a.file, { expectHead: a.head })).ok).toBe(false);
    const w = await verifyJournal(a.file, { publicKey: loadPublicKey(a.pub) });
    expect(w.ok).toBe(false);
    expect(w.message).toMatch(/checkpoint at seq 4: signed by another key/);
  });

  it('an unsigned journal says so', async () => {
    const file = join(tempDir(), 'plain.jsonl');
    const j = await Journal.create(file, OPENED, { signer: null });
    await j.append('note.added', { text: 'x' });
    await j.close();
    const v = await verifyJournal(file, { publicKey: loadPublicKey(keys().publicFile) });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/NOT SIGNED — it has no checkpoint/);
  });
});

describe('--public-key errors', () => {
  it('a missing or non-key file is named', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'bad.pub'), 'nope');
    expect(() => loadPublicKey(join(dir, 'missing.pub'))).toThrow(/--public-key .*missing\.pub: no such file/);
    expect(() => loadPublicKey(join(dir, 'x', 'bad.pub'))).toThrow(/not a public key/);
  });
});
