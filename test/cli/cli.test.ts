// The built CLI, as a responder runs it: bin/firebreak.js (the launcher) → dist/app/cli.js (vitest sets
// NODE_ENV=test, which the bundle is not built for; test/cli/bundle.test.ts covers dist/bundle).
// Exit codes are the contract: 0 done, 1 journal not intact (verify), 2 usage or an error to fix.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codenameFor } from '../../src/domain/incident.js';
import { Journal } from '../../src/journal/journal.js';
import { ROOT, ensureBuiltCli } from '../helpers/built-cli.js';

const BIN = join(ROOT, 'bin', 'firebreak.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ID = 'INC-2026-042';

beforeAll(ensureBuiltCli, 180_000);

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fb-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function firebreak(args: string[], node = process.execPath): Run {
  const r = spawnSync(node, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[]): string {
  const r = firebreak(args);
  expect(r.stderr, `firebreak ${args.join(' ')}`).toBe('');
  expect(r.code, `firebreak ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

function oneLine(s: string): string {
  expect(s.endsWith('\n')).toBe(true);
  expect(s.slice(0, -1)).not.toContain('\n');
  return s.slice(0, -1);
}

interface Rec {
  seq: number;
  ts: string;
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

function records(file: string): Rec[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec);
}

/** A journal with opened, severity, the checkpoint after it, and the given notes (as alice) from seq 4. */
function journalWith(notes: string[]): string {
  const file = join(dir, 'incident.jsonl');
  ok([
    'new',
    '--title',
    'Anomalous reads from prod-data',
    '--journal',
    file,
    '--id',
    ID,
    '--severity',
    'high',
    '--actor',
    'alice',
  ]);
  for (const n of notes) ok(['note', file, '--actor', 'alice', n]);
  return file;
}

describe('firebreak (built CLI)', () => {
  it('--version prints the package version', () => {
    expect(ok(['--version'])).toBe(`${VERSION}\n`);
    expect(ok(['-V'])).toBe(`${VERSION}\n`);
  });

  it('--help lists the commands', () => {
    const out = ok(['--help']);
    expect(out).toMatch(/^Usage: firebreak /);
    for (const c of ['new', 'note', 'verify', 'export']) expect(out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('an unknown command is one line on stderr and exit 2', () => {
    for (const cmd of ['frobnicate', 'nte']) {
      const r = firebreak([cmd, 'x']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneLine(r.stderr)).toMatch(new RegExp(`^firebreak: unknown command '${cmd}'`));
    }
  });

  it('a missing required option or argument is exit 2 and creates nothing', () => {
    const file = join(dir, 'x.jsonl');
    let r = firebreak(['new', '--journal', file]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe("firebreak: required option '--title <text>' not specified");
    expect(existsSync(file)).toBe(false);

    r = firebreak(['note']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe("firebreak: missing required argument 'file'");
  });

  it('new refuses a malformed --id or --severity before creating anything', () => {
    const file = join(dir, 'x.jsonl');
    let r = firebreak(['new', '--title', 'T', '--journal', file, '--id', 'INC-42']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('firebreak: --id must look like INC-2026-042, got "INC-42"');
    r = firebreak(['new', '--title', 'T', '--journal', file, '--id', ID, '--severity', 'severe']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^firebreak: --severity must be 0-3, .*got "severe"$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('new creates the journal, prints the id, and refuses to overwrite it', () => {
    const file = join(dir, 'incident.jsonl');
    expect(ok(['new', '--title', 'T', '--journal', file, '--id', ID, '--severity', 'high'])).toBe(`${ID}\t${file}\n`);
    const recs = records(file);
    expect(recs.map((r) => [r.seq, r.type])).toEqual([
      [1, 'incident.opened'],
      [2, 'severity.set'],
      [3, 'checkpoint'],
    ]);
    expect(recs[0]!.data).toEqual({ incidentId: ID, title: 'T', codename: codenameFor(ID), mode: 'live' });
    expect(recs[1]!.data).toEqual({ level: 1 });
    // The writer let go of its lock on exit.
    expect(readdirSync(dir)).toEqual(['incident.jsonl']);

    const before = readFileSync(file);
    const r = firebreak(['new', '--title', 'Other', '--journal', file, '--id', 'INC-2026-043']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^firebreak: .*(EEXIST|exists)/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['incident.jsonl']);
  });

  it('note appends a note that export shows', () => {
    const file = journalWith([]);
    expect(ok(['note', file, '--actor', 'bob', 'revoked', 'ci-deployer', 'sessions'])).toBe('note recorded as seq 4\n');
    const recs = records(file);
    expect(recs.at(-1)).toMatchObject({
      seq: 4,
      type: 'note.added',
      actor: 'bob',
      data: { text: 'revoked ci-deployer sessions' },
    });
    const exported = JSON.parse(ok(['export', file, '--format', 'json'])) as {
      timeline: { seq: number; kind: string; actor: string; text: string }[];
    };
    expect(exported.timeline.at(-1)).toEqual({
      seq: 4,
      ts: recs[3]!.ts,
      kind: 'note',
      actor: 'bob',
      text: 'revoked ci-deployer sessions',
    });
  });

  it('verify says OK with the record count and exits 0', () => {
    const file = journalWith(['first', 'second']);
    expect(oneLine(ok(['verify', file]))).toMatch(
      new RegExp(
        `^${file}: OK — ${ID}: 5 records, chain intact, head [0-9a-f]{64}; checked 5 v2 lines \\(hashed as written, .*\\)$`,
      ),
    );
  });

  it('verify names the first bad seq when a byte in the middle is flipped, and writers refuse the journal', () => {
    const file = journalWith(['alpha note', 'bravo note', 'charlie note']); // seq 4, 5, 6
    const bytes = readFileSync(file);
    const at = bytes.indexOf('bravo note');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'B'.charCodeAt(0);
    writeFileSync(file, bytes);

    const r = firebreak(['verify', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toBe(
      `${file}: NOT INTACT — first bad record: seq 5 (line 5): hash does not match the record (edited or corrupted)`,
    );

    // Tampering is never repaired: writing and exporting refuse, naming the same record.
    const n = firebreak(['note', file, 'after tamper']);
    expect(n.code).toBe(2);
    expect(oneLine(n.stderr)).toMatch(/line 5 \(seq 5\): hash does not match/);
    const x = firebreak(['export', file, '--format', 'csv']);
    expect(x.code).toBe(2);
    expect(x.stdout).toBe('');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a torn tail fails verify, is moved to a side file by the next note, and verify is OK again', () => {
    const file = journalWith(['alpha note', 'bravo note']); // seq 4, 5
    const full = readFileSync(file);
    const lastLineStart = full.lastIndexOf('\n', full.length - 2) + 1;
    truncateSync(file, full.length - 6);
    const cut = full.subarray(lastLineStart, full.length - 6);

    const v = firebreak(['verify', file]);
    expect(v.code).toBe(1);
    expect(oneLine(v.stderr)).toMatch(
      new RegExp(
        `^${file}: ${ID}: 4 records, chain intact, head [0-9a-f]{64}; but a TORN TAIL follows: seq 5 \\(line 5, ${cut.length} bytes\\): last line is incomplete`,
      ),
    );

    const noted = firebreak(['note', file, '--actor', 'alice', 'after the power cut']);
    expect(noted.code).toBe(0);
    expect(noted.stdout).toBe('note recorded as seq 5\n');
    // The repair is reported, never silent.
    expect(oneLine(noted.stderr)).toMatch(
      /^firebreak: verified 4 records; torn tail \(line 5, \d+ bytes: last line is incomplete.*\) moved to .*incident\.jsonl\.torn-/,
    );
    const sides = readdirSync(dir).filter((f) => f.startsWith('incident.jsonl.torn-'));
    expect(sides).toHaveLength(1);
    expect(readFileSync(join(dir, sides[0]!)).equals(cut)).toBe(true);
    expect(records(file).map((r) => [r.seq, r.type, r.data.text])).toEqual([
      [1, 'incident.opened', undefined],
      [2, 'severity.set', undefined],
      [3, 'checkpoint', undefined],
      [4, 'note.added', 'alpha note'],
      [5, 'note.added', 'after the power cut'],
    ]);
    expect(oneLine(ok(['verify', file]))).toMatch(new RegExp(`: OK — ${ID}: 5 records, chain intact`));
  });

  it('export writes the timeline as csv, json and md', () => {
    const file = journalWith(['Contained: revoked "ci-deployer", rotated keys']);
    const recs = records(file);
    // recs[2] is the checkpoint: it stays off the timeline.
    const ts = recs.filter((r) => r.type !== 'checkpoint').map((r) => r.ts);
    const opened = `Incident ${ID} opened: Anomalous reads from prod-data`;

    expect(ok(['export', file, '--format', 'csv'])).toBe(
      [
        'seq,time_utc,kind,actor,text,event_time_utc,discovered_utc',
        `1,${ts[0]},opened,alice,${opened},,`,
        `2,${ts[1]},severity,alice,Severity set to Sev1 High,,`,
        `4,${ts[2]},note,alice,"Contained: revoked ""ci-deployer"", rotated keys",,`,
        '',
      ].join('\r\n'),
    );

    expect(JSON.parse(ok(['export', file, '--format', 'json']))).toEqual({
      incident: { id: ID, title: 'Anomalous reads from prod-data', codename: codenameFor(ID), openedAt: ts[0] },
      timeline: [
        { seq: 1, ts: ts[0], kind: 'opened', actor: 'alice', text: opened },
        { seq: 2, ts: ts[1], kind: 'severity', actor: 'alice', text: 'Severity set to Sev1 High' },
        { seq: 4, ts: ts[2], kind: 'note', actor: 'alice', text: 'Contained: revoked "ci-deployer", rotated keys' },
      ],
    });

    const md = (t: string) => t.replace('T', ' ').replace(/\.\d+Z$/, '');
    const expectedMd = [
      `# Timeline: ${ID} Anomalous reads from prod-data`,
      '',
      'All times UTC.',
      '',
      '| Time (UTC) | Kind | Who | What | Event time | Discovered |',
      '|---|---|---|---|---|---|',
      `| ${md(ts[0]!)} | opened | alice | ${opened} |  |  |`,
      `| ${md(ts[1]!)} | severity | alice | Severity set to Sev1 High |  |  |`,
      `| ${md(ts[2]!)} | note | alice | Contained: revoked "ci-deployer", rotated keys |  |  |`,
      '',
    ].join('\n');
    expect(ok(['export', file, '--format', 'md'])).toBe(expectedMd);
    // Markdown is the default.
    expect(ok(['export', file])).toBe(expectedMd);
    // Export is read-only: the journal is untouched and no lock is left.
    expect(records(file)).toHaveLength(4);
    expect(readdirSync(dir)).toEqual(['incident.jsonl']);
  });

  it('export --format xml is exit 2 naming the allowed formats', () => {
    const file = journalWith([]);
    const r = firebreak(['export', file, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toBe(
      "firebreak: option '--format <format>' argument 'xml' is invalid. Allowed choices are json, csv, md.",
    );
  });

  it('a second writer is refused with exit 2, naming the holder', async () => {
    const file = journalWith(['before']);
    const { journal } = await Journal.open(file, () => {});
    try {
      const before = readFileSync(file);
      const r = firebreak(['note', file, 'from a second terminal']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const line = oneLine(r.stderr);
      expect(line).toContain(`${file} is already open for writing by `);
      expect(line).toContain(`(pid ${process.pid} on `);
      expect(readFileSync(file).equals(before)).toBe(true);
      // Reading is still allowed while it is held.
      expect(ok(['verify', file])).toContain(': OK — ');
    } finally {
      await journal.close();
    }
    expect(ok(['note', file, 'after the holder closed'])).toBe('note recorded as seq 5\n');
  });

  it('keygen, then a journal written with FIREBREAK_SIGNING_KEY verifies with --public-key; an unsigned one is exit 1', () => {
    const keys = join(mkdtempSync(join(tmpdir(), 'fb-keys-')), 'k');
    try {
      const out = ok(['keygen', '--out', keys]);
      expect(out).toContain(`sign with:   export FIREBREAK_SIGNING_KEY=${join(keys, 'firebreak-signing.key')}`);
      const pub = join(keys, 'firebreak-signing.pub');
      const unsigned = journalWith(['plain']);
      const u = firebreak(['verify', unsigned, '--public-key', pub]);
      expect(u.code).toBe(1);
      expect(oneLine(u.stderr)).toMatch(/NOT SIGNED — its 1 checkpoints are unsigned/);

      const signed = join(dir, 'signed.jsonl');
      const env = { ...process.env, NO_COLOR: '1', FIREBREAK_SIGNING_KEY: join(keys, 'firebreak-signing.key') };
      const n = spawnSync(process.execPath, [BIN, 'new', '--title', 'T', '--journal', signed, '--id', ID], {
        cwd: dir,
        encoding: 'utf8',
        env,
      });
      expect(n.status).toBe(0);
      expect(oneLine(ok(['verify', signed, '--public-key', pub]))).toMatch(
        /OK — .*signed through the last record \(seq 2, /,
      );
      // A key inside the journal's folder is refused with the reason.
      copyFileSync(join(keys, 'firebreak-signing.key'), join(dir, 'inside.key'));
      const r = spawnSync(process.execPath, [BIN, 'note', signed, 'x'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...env, FIREBREAK_SIGNING_KEY: join(dir, 'inside.key') },
      });
      expect(r.status).toBe(2);
      expect(oneLine(r.stderr)).toMatch(/^firebreak: FIREBREAK_SIGNING_KEY=.* is inside the journal's folder/);
    } finally {
      rmSync(dirname(keys), { recursive: true, force: true });
    }
  });
});

/** A Node on this machine older than 22 (many still ship Node 20), to exercise the launcher's re-exec. */
function findOldNode(): { path: string; version: string } | undefined {
  const candidates = new Set<string>(['/usr/bin/node', '/usr/local/bin/node', '/bin/node']);
  try {
    for (const p of execFileSync('which', ['-a', 'node'], {
      encoding: 'utf8',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    }).split('\n'))
      if (p) candidates.add(p);
  } catch {
    // no `which` or no node on the system PATH
  }
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      if (Number(/^v(\d+)\./.exec(version)?.[1] ?? 99) < 22) return { path, version };
    } catch {
      // not runnable
    }
  }
  return undefined;
}

const oldNode = findOldNode();

describe('launcher under an older Node', () => {
  it.skipIf(!oldNode)(
    `re-execs under the bundled Node 22 (${oldNode ? `system ${oldNode.version} at ${oldNode.path}` : 'SKIPPED: no Node < 22 on this machine'})`,
    () => {
      const v = firebreak(['--version'], oldNode!.path);
      expect(v).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
      // Exit codes pass through the re-exec: 1 for a journal that is not intact, 2 for usage.
      const file = journalWith(['alpha', 'omega']); // a bad last line would read as a torn tail
      const bytes = readFileSync(file);
      bytes[bytes.indexOf('alpha')] = 'A'.charCodeAt(0);
      writeFileSync(file, bytes);
      const r = firebreak(['verify', file], oldNode!.path);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toMatch(/NOT INTACT — first bad record: seq 4 \(line 4\)/);
      expect(firebreak(['export', file, '--format', 'xml'], oldNode!.path).code).toBe(2);
    },
  );
});
