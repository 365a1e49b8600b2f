// The secret corpus through the real pipeline, not just redactSecrets: CloudTrail and Kubernetes
// audit log files imported into a journal (`importInto`, the cockpit's `:import`), notes typed into
// the store, events pinned; then the journal's bytes on disk, what the cockpit draws (the real Ink
// renderer, plus every event row, timeline row and detail view as display strings) and every
// export (timeline json/csv/md, updates for each audience, post-mortem, evidence manifest md/json,
// the bundle folder) are searched for every planted secret: 0 may survive in any of them.

import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvidence, factsFromState, writeBundle } from '../../../app/commands/export.js';
import { importInto } from '../../../app/commands/import.js';
import { readRecordAt } from '../../../src/journal/scan.js';
import { AUDIENCES } from '../../../src/reports/facts.js';
import { postmortemMarkdown } from '../../../src/reports/postmortem.js';
import { timelineCsv, timelineJson, timelineMarkdown } from '../../../src/reports/timeline.js';
import { updateMarkdown } from '../../../src/reports/update.js';
import { newIncident } from '../../../store/open.js';
import { eventsAsOf, timelineAsOf } from '../../../store/selectors.js';
import type { IncidentStore } from '../../../store/store.js';
import { timelineLine } from '../../../views/format.js';
import { eventLine } from '../../../views/event-table.js';
import { fieldRows } from '../../../views/field-tree.js';
import { corpus } from '../../fixtures/secrets/corpus.js';
import { mountRaw } from '../../views/raw-cockpit.js';

const { cases } = corpus(0xc0ffee);
const dir = join(tmpdir(), `fb-redact-pipe-${process.pid}`);
const file = join(dir, 'incident.jsonl');
const NOW = new Date('2026-04-21T09:00:00Z');

type Case = (typeof cases)[number];
const family = (c: Case) => c.placement.split('.')[0]!;

// Each placement's record goes where that text really arrives: CloudTrail records in an S3 log
// file, audit events (and the pods they carry) in an audit log, notes typed by a responder, and the
// rest (error bodies, log lines, nested JSON) as a CloudTrail response.
function ctOf(c: Case, i: number): Record<string, unknown> {
  const base = {
    eventVersion: '1.08',
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventTime: new Date(Date.UTC(2026, 3, 20, 14, 0, 0) + i * 1000).toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/ci/x',
      accessKeyId: 'ASIAQWERTYUIOPASDFGH',
    },
  };
  return family(c) === 'ct'
    ? { ...base, ...(c.record as object), eventID: base.eventID, eventTime: base.eventTime }
    : { ...base, responseElements: c.record };
}
function auditOf(c: Case, i: number): Record<string, unknown> {
  const base = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    stage: 'ResponseComplete',
    verb: 'create',
    user: { username: 'system:serviceaccount:ci:deployer' },
    objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
    requestReceivedTimestamp: new Date(Date.UTC(2026, 3, 20, 15, 0, 0) + i * 1000).toISOString(),
  };
  const auditID = `6f1e2b1a-0000-4000-a000-${String(i).padStart(12, '0')}`;
  return family(c) === 'audit'
    ? {
        ...base,
        ...(c.record as object),
        stage: 'ResponseComplete',
        requestReceivedTimestamp: base.requestReceivedTimestamp,
        auditID,
      }
    : { ...base, auditID, requestObject: c.record };
}

// A secret reaches output raw, JSON-escaped, or Markdown-escaped (`ghp\_…`, `&lt;`); a multi-line
// one (a PEM body) by any of its lines.
function fragments(secret: string): string[] {
  return secret.split('\n').filter((l) => l.length >= 16 || !secret.includes('\n'));
}
function unescapeMd(s: string): string {
  return s
    .replace(/\\([\\|[\]!`*_~#&<>()-])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
function leaksIn(where: string, text: string): string[] {
  const views = [text, unescapeMd(text)];
  const out: string[] = [];
  for (const c of cases) {
    for (const s of c.secrets.flatMap(fragments)) {
      const esc = JSON.stringify(s).slice(1, -1);
      if (views.some((v) => v.includes(s) || v.includes(esc))) out.push(`${where}: ${c.kind} @ ${c.placement}`);
    }
  }
  return out;
}

function readTree(root: string): string {
  return readdirSync(root)
    .map((n) => {
      const p = join(root, n);
      return statSync(p).isDirectory() ? readTree(p) : readFileSync(p, 'utf8');
    })
    .join('\n');
}

let store: IncidentStore;
let close: () => Promise<void>;
let imported = 0;
let notes = 0;

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'ev'), { recursive: true });
  const opened = await newIncident(
    file,
    { incidentId: 'INC-2026-042', title: 'secret corpus', mode: 'live' },
    { actor: 'alice', now: () => NOW },
  );
  store = opened.store;
  close = async () => opened.journal?.close();
  const ct: unknown[] = [];
  const audit: string[] = [];
  cases.forEach((c, i) => {
    const f = family(c);
    if (f === 'note') return;
    if (f === 'audit' || f === 'pod') audit.push(JSON.stringify(auditOf(c, i)));
    else ct.push(ctOf(c, i));
  });
  writeFileSync(join(dir, 'ev', 'ct.json'), JSON.stringify({ Records: ct }));
  writeFileSync(join(dir, 'ev', 'audit.log'), audit.join('\n') + '\n');
  const s = await importInto(store, [join(dir, 'ev')], { journal: file, now: () => NOW, onEvents: async () => 0 });
  imported = s.imported;
  const a = store.getState().actions;
  for (const c of cases.filter((x) => family(x) === 'note')) {
    await a.addNote((c.record as { text: string }).text);
    notes++;
  }
  // Pinned events reach the timeline and every report (one per placement is enough).
  const seen = new Set<string>();
  for (const row of eventsAsOf(store.getState().state, 0, store.getState().state.events.length)) {
    const rec = (await readRecordAt(file, row.offset, row.length)) as { data: { event: { raw: unknown } } };
    const placement = JSON.stringify(rec.data.event.raw).slice(0, 400);
    if (seen.size < 40 && !seen.has(placement)) {
      seen.add(placement);
      await a.pinEvent(`${row.source}:${row.id}`);
    }
  }
}, 120_000);

afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('the secret corpus through import, journal, screen and exports', () => {
  it('every planted record went in (a refused record proves nothing)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(700);
    expect(imported + notes).toBe(cases.length);
    expect(store.getState().state.events.length).toBe(imported);
  });

  it('0 secrets in the journal file, and the masks are there instead', () => {
    const bytes = readFileSync(file, 'utf8');
    expect(leaksIn('journal', bytes)).toEqual([]);
    expect((bytes.match(/\[REDACTED:/g) ?? []).length).toBeGreaterThanOrEqual(cases.length);
  });

  it('0 secrets in any display string: event rows, timeline rows, detail views', async () => {
    const s = store.getState().state;
    const rows = eventsAsOf(s, 0, s.events.length);
    const shown: string[] = rows.map((r) => eventLine(r, 400, false));
    for (const t of timelineAsOf(s, 0, s.timeline.length)) shown.push(timelineLine(t, 10_000));
    for (const r of rows) {
      const rec = await readRecordAt(file, r.offset, r.length);
      shown.push(JSON.stringify(rec, null, 2));
      // The detail view's field tree, every branch open.
      shown.push(...fieldRows(rec, new Set(), 400, true).map((x) => x.text));
    }
    expect(leaksIn('screen', shown.join('\n'))).toEqual([]);
  });

  it('0 secrets in what Ink writes: events paged through, detail views opened, the timeline', async () => {
    const raw = mountRaw(store, file, { cols: 220, rows: 60, now: NOW.getTime() });
    const { stdin } = raw;
    const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));
    await tick();
    stdin.write('g');
    for (let i = 0; i < 3; i++) {
      // Open the detail view of one event per screenful, then page on.
      await tick();
      stdin.write('\r');
      await tick(60);
      stdin.write('o'); // every branch open: the raw record with its masks
      await tick(60);
      stdin.write('\u001b');
      await tick();
      stdin.write('\u001b[6~');
    }
    await tick();
    stdin.write('2');
    await tick(60);
    raw.unmount();
    expect(raw.written()).toContain('[REDACTED:'); // the detail views were drawn, with masks
    expect(leaksIn('ink', raw.written())).toEqual([]);
  }, 60_000);

  it('0 secrets in every export', async () => {
    const s = store.getState().state;
    const items = timelineAsOf(s, 0, s.timeline.length);
    const facts = await factsFromState(s, NOW);
    const out: [string, string][] = [
      ['timeline.json', timelineJson(items, { id: 'INC-2026-042' })],
      ['timeline.csv', timelineCsv(items)],
      ['timeline.md', timelineMarkdown(items, 'INC-2026-042')],
      ...AUDIENCES.map((a) => [`update-${a}.md`, updateMarkdown(facts, a)] as [string, string]),
      ['postmortem.md', postmortemMarkdown(facts)],
      ['evidence.md', (await exportEvidence(file, 'md', NOW)).text],
      ['evidence.json', (await exportEvidence(file, 'json', NOW)).text],
    ];
    const bundle = join(dir, 'bundle');
    await writeBundle(file, bundle, NOW);
    out.push(['bundle/', readTree(bundle)]);
    // The exports did quote the incident's text (notes and pinned events), masks included.
    expect(out.find(([n]) => n === 'timeline.json')![1]).toContain('[REDACTED:');
    expect(out.flatMap(([name, text]) => leaksIn(name, text))).toEqual([]);
  }, 60_000);
});
