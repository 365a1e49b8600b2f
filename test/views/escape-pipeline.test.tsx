// Escape and invisible-character payloads end to end: planted in CloudTrail evidence files, imported,
// quoted by a responder in notes, post-mortem fields, action items and evidence records, reviewed in
// the cockpit, then written out as every export (timeline md/csv/json, the update for each audience,
// the post-mortem, the evidence manifest md/json and the bundle). What reaches the terminal may hold
// only the cockpit's own colour sequences; no export may hold a control, bidi, invisible or tag
// character; Markdown must not render an entity, an autolink, a strike-through or HTML; CSV must not
// hold a formula; JSON must keep every character, as \u escapes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvidence, exportPostmortem, exportUpdate, writeBundle } from '../../app/commands/export.js';
import { formatImportSummary, runImport } from '../../app/commands/import.js';
import { AUDIENCES } from '../../src/reports/facts.js';
import { timelineCsv, timelineJson, timelineMarkdown } from '../../src/reports/timeline.js';
import { newIncident, openIncident } from '../../store/open.js';
import { timelineAsOf } from '../../store/selectors.js';
import { ctRecord, writeLog } from '../unit/import/helpers.js';
import { PAYLOADS } from '../fixtures/escape-payloads.js';
import { Scratch, mount, openForReview, type Cockpit } from './harness.js';

// The oracle, from the runtime's Unicode tables rather than the neutraliser's ranges: controls but
// `\n`, format characters but the visible prepended concatenation marks, default-ignorables
// (variation selectors, Hangul fillers, tags …), bidi controls, line/paragraph separators, lone
// surrogates.
const INVISIBLE =
  /[[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Zl}\p{Zp}\p{Cs}]--[\n\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}]]/v;
/** What Ink itself writes in a frame: SGR colours, cursor moves and erases, private modes. */
const OWN_SEQUENCES = /\u001b\[[0-9;?]*[mKABCDGHJhl]/g;

function firstInvisible(text: string): string | undefined {
  const m = INVISIBLE.exec(text);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${cp} at …${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}…`;
}

/** Code spans (mdCode) are shown verbatim by every renderer: take them out before looking for syntax. */
const withoutCodeSpans = (md: string): string => md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');

/** Everything a Markdown renderer would act on in quoted text; [] when the export is inert. */
function markdownHazards(md: string): string[] {
  const text = withoutCodeSpans(md);
  const found: string[] = [];
  const look = (what: string, re: RegExp) => {
    const m = re.exec(text);
    if (m) found.push(`${what}: …${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}…`);
  };
  look('an entity or a bare &', /&(?!amp;|lt;|gt;)/);
  look('raw HTML', /</);
  look('a URL autolink', /[a-z][a-z0-9+.-]*:\/\/|(?<![\\/])\/\/(?=[\w-])/i);
  look('a www autolink', /\bwww\./i);
  look('an e-mail autolink', /[\w.+-]@[\w-]/);
  look('a strike-through', /(?<!\\)~/);
  look('an image or a link', /(?<!\\)!?(?<!\\)\[[^\]\n]*(?<!\\)\]\(/);
  return found;
}

/** RFC 4180 rows, as a spreadsheet reads them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(cell), (cell = ''));
    else if (c === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += c;
  }
  return rows;
}

const scratch = new Scratch();
let cockpit: Cockpit | undefined;
let journalFile = '';
/** Text that reached the terminal: every cockpit frame, the import summary, what `export` prints. */
const terminal: { name: string; text: string }[] = [];
/** Every export, by name. */
const exports = new Map<string, string>();
let noteTexts: string[] = [];
let evidenceDescriptions: string[] = [];

const probe = (i: number) => `Probe${String(i).padStart(3, '0')}`;

beforeAll(async () => {
  const dir = scratch.dir;
  journalFile = join(dir, 'incident.jsonl');
  // The incident as `firebreak new` opens it; the title quotes the attacker too.
  {
    const title = `Escapes ${PAYLOADS[0]![1]} ${PAYLOADS[40]![1]}`;
    const { journal } = await newIncident(
      journalFile,
      { incidentId: 'INC-2026-042', title, codename: `EMBER${PAYLOADS[70]![1]}`, mode: 'live' },
      { actor: 'alice' },
    );
    await journal?.close();
  }

  // 1. Import: one CloudTrail record per payload, the payload in every field a reader shows.
  const logs = join(dir, 'logs');
  writeLog(
    join(logs, 'AWSLogs/123456789012/CloudTrail/us-east-1/2026/04/20/evil.json'),
    PAYLOADS.map(([, p], i) =>
      ctRecord(i, {
        eventName: probe(i),
        userAgent: p,
        sourceIPAddress: p,
        errorCode: p,
        errorMessage: p,
        userIdentity: {
          type: 'IAMUser',
          arn: `arn:aws:iam::123456789012:user/${p}`,
          accountId: '123456789012',
          userName: p,
        },
        requestParameters: { bucketName: 'prod-data', key: p, roleArn: p },
      }),
    ),
  );
  const summary = await runImport([logs], { journal: journalFile, now: () => new Date('2026-04-20T15:00:00Z') });
  expect(summary.imported).toBe(PAYLOADS.length);
  terminal.push({ name: 'import summary', text: formatImportSummary(summary) });

  // 2. The responder quotes the attacker in everything the reports draw on.
  const { store, journal } = await openIncident(journalFile, { actor: 'alice' });
  const a = store.getState().actions;
  for (const [i, [, p]] of PAYLOADS.entries()) await a.addNote(`N${i}: quoting ${p}`);
  await a.setSeverity(1, PAYLOADS[1]![1]);
  await a.assignRole('ic', `alice${PAYLOADS[2]![1]}`);
  await a.setPhase('triage', PAYLOADS[3]![1]);
  await a.pinEvent(store.getState().state.events.at(0)!.key, PAYLOADS[4]![1]);
  const fields = ['summary', 'impact', 'rootCause', 'why', 'wentWell', 'wentBadly', 'lessons'] as const;
  for (const [i, f] of fields.entries())
    await a.updatePostmortem({
      field: f,
      text: `${f}: ${PAYLOADS.slice(i * 16, i * 16 + 16)
        .map(([, p]) => p)
        .join(' ')}`,
    });
  for (const [i, [, p]] of PAYLOADS.slice(0, 20).entries())
    await a.addActionItem({ itemId: `AI-${i + 1}`, text: p, owner: p, due: '2026-05-01' });
  mkdirSync(join(dir, 'evidence'), { recursive: true });
  writeFileSync(join(dir, 'evidence', 'EV-001.json'), '{}\n');
  for (const [i, [, p]] of PAYLOADS.slice(0, 30).entries()) {
    await a.recordEvidence({
      evidenceId: `EV-${String(i + 1).padStart(3, '0')}`,
      path: i === 0 ? 'evidence/EV-001.json' : `evidence/${p}`,
      sha256: '0'.repeat(64),
      size: 3,
      source: p,
      description: p,
      collector: p,
      toolVersion: p,
      collectedAt: '2026-04-20T15:04:00Z',
    });
  }
  evidenceDescriptions = store.getState().state.evidence.map((e) => e.description);
  await a.transferCustody({
    evidenceId: 'EV-001',
    from: PAYLOADS[5]![1],
    to: PAYLOADS[6]![1],
    reason: PAYLOADS[7]![1],
    location: PAYLOADS[8]![1],
  });
  await a.flagPersonalData({ awareAt: '2026-04-20T15:15:00Z', regimes: ['gdpr'], note: PAYLOADS[9]![1] });
  noteTexts = timelineAsOf(store.getState().state, 0, store.getState().state.timeline.length)
    .filter((t) => t.kind === 'note')
    .map((t) => t.text);
  await journal?.close();

  // 3. Review: the journal opened read-only, every event row, some details, every timeline row.
  const review = await openForReview(journalFile);
  cockpit = await mount(review, journalFile, {
    cols: 200,
    rows: 50,
    mode: 'review',
    readOnly: true,
    now: Date.parse('2026-04-20T16:00:00Z'),
  });
  const c = cockpit;
  // The wide layout: the selected row of a pane starts with `>` (`>*` when pinned).
  const selected = (f: string, i: number) => new RegExp(`>[* ]?\\d\\d:\\d\\d:\\d\\d CT ${probe(i)}`).test(f);
  c.press('3', 'g');
  for (let i = 0; i < PAYLOADS.length; i++) {
    if (i) c.press('j');
    if (i % 10 !== 0 && i !== PAYLOADS.length - 1) continue;
    await c.waitFor((f) => selected(f, i), `event ${probe(i)} selected`);
    c.press('enter');
    await c.waitFor((f) => f.includes('userAgent'), `the detail of ${probe(i)}`);
    c.press('escape');
    await c.waitFor((f) => !f.includes('userAgent') && selected(f, i), `back from the detail of ${probe(i)}`);
  }
  // Every timeline row, a page (and a new frame) at a time.
  c.press('2', 'g');
  for (let page = 0; page < 8; page++) {
    const n = c.framesAtSize().length;
    c.press('pagedown');
    await c.waitFor(() => c.framesAtSize().length > n, `timeline page ${page + 1}`);
  }
  terminal.push({ name: 'cockpit frames', text: c.framesAtSize().join('\n') });

  // 4. Every export.
  const { state } = review.getState();
  const items = timelineAsOf(state, 0, state.timeline.length);
  const inc = state.incident!;
  exports.set('timeline.md', timelineMarkdown(items, `${inc.id} ${inc.title}`));
  exports.set('timeline.csv', timelineCsv(items));
  exports.set(
    'timeline.json',
    timelineJson(items, { id: inc.id, title: inc.title, codename: inc.codename, openedAt: inc.openedAt }),
  );
  for (const who of AUDIENCES) exports.set(`update-${who}.md`, await exportUpdate(journalFile, who));
  exports.set('postmortem.md', await exportPostmortem(journalFile));
  exports.set('evidence.md', (await exportEvidence(journalFile, 'md')).text);
  exports.set('evidence.json', (await exportEvidence(journalFile, 'json')).text);
  const bundle = await writeBundle(journalFile, join(dir, 'bundle'));
  exports.set('bundle/manifest.md', readFileSync(join(dir, 'bundle', 'manifest.md'), 'utf8'));
  exports.set('bundle/manifest.json', readFileSync(join(dir, 'bundle', 'manifest.json'), 'utf8'));
  terminal.push({ name: 'bundle summary and problems', text: [bundle.summary, ...bundle.problems].join('\n') });
  // `firebreak export` prints every export but the bundle to stdout.
  for (const [name, text] of exports)
    if (!name.startsWith('bundle/')) terminal.push({ name: `stdout of export ${name}`, text });
}, 120_000);

afterAll(async () => {
  cockpit?.unmount();
  await scratch.cleanup();
});

describe(`${PAYLOADS.length} escape and invisible payloads: import → review → every export`, () => {
  it('has at least 80 payloads, and each reached the journal and the cockpit', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(80);
    expect(noteTexts.length).toBe(PAYLOADS.length);
    const frames = terminal.find((t) => t.name === 'cockpit frames')!.text;
    for (let i = 0; i < PAYLOADS.length; i++) expect(frames).toContain(probe(i));
    // They arrived as visible text, not as nothing.
    expect(frames).toContain('␛]0;pwned␇');
    expect(frames).toContain('<U+3164>');
  });

  it('the terminal gets only the cockpit’s own SGR and cursor sequences, and nothing invisible', () => {
    for (const { name, text } of terminal) {
      const rest = text.replace(OWN_SEQUENCES, '').replace(/\r\n/g, '\n');
      const esc = rest.indexOf('\u001b');
      expect(esc, `${name}: raw ESC at …${JSON.stringify(rest.slice(Math.max(0, esc - 30), esc + 30))}…`).toBe(-1);
      expect(firstInvisible(rest), name).toBeUndefined();
    }
  });

  it('every export is written, and shows the attacker’s ESC as a visible ␛ (JSON: as \\u001b)', () => {
    expect([...exports.keys()].length).toBe(3 + AUDIENCES.length + 1 + 2 + 2);
    // The customer update quotes nothing from the journal (its sentences are templates), so it
    // has no attacker string to show.
    const hidden = [...exports]
      .filter(([name]) => name !== 'update-customers.md')
      .filter(([name, text]) => !text.includes(name.endsWith('.json') ? '\\u001b' : '␛'))
      .map(([name]) => name);
    expect(hidden).toEqual([]);
  });

  it('no export holds a control, bidi, invisible or tag character', () => {
    for (const [name, text] of exports)
      expect(firstInvisible(name.endsWith('.csv') ? text.replace(/\r\n/g, '\n') : text), name).toBeUndefined();
  });

  it('no Markdown export holds an entity, raw HTML, an autolink, a strike-through, a link or an image', () => {
    for (const [name, text] of exports) if (name.endsWith('.md')) expect(markdownHazards(text), name).toEqual([]);
    // The payloads are there, as text a renderer shows literally.
    const pm = exports.get('postmortem.md')!;
    for (const shown of [
      '&amp;#x202E;',
      '\\~\\~revoked\\~\\~',
      'https:/\\/evil.example/login',
      'www\\.evil.example',
      'mallory\\@evil.example',
      '&lt;script&gt;',
    ])
      expect(pm).toContain(shown);
  });

  it('no CSV cell starts a formula', () => {
    const rows = parseCsv(exports.get('timeline.csv')!);
    expect(rows.length).toBeGreaterThan(PAYLOADS.length);
    const formulas = rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell));
    expect(formulas).toEqual([]);
    expect(rows.flat().some((cell) => cell.includes(`'=HYPERLINK(`) || cell.includes(`quoting =HYPERLINK(`))).toBe(
      true,
    );
  });

  it('JSON keeps every character, written as \\u escapes', () => {
    const parsed = JSON.parse(exports.get('timeline.json')!) as { timeline: { kind: string; text: string }[] };
    expect(parsed.timeline.filter((t) => t.kind === 'note').map((t) => t.text)).toEqual(noteTexts);
    // Raw in the journal, escaped in the file: nothing was dropped on the way.
    expect(noteTexts.some((t) => t.includes('\u3164'))).toBe(true);
    for (const name of ['evidence.json', 'bundle/manifest.json']) {
      const m = JSON.parse(exports.get(name)!) as { evidence: { description: string }[] };
      expect(
        m.evidence.map((e) => e.description),
        name,
      ).toEqual(evidenceDescriptions);
    }
  });
});
