// The updates read as a person wrote them, for a drill-shaped journal: a leaked key of a user
// account, a deny-all on a role, the key deactivated, containment on the role then lifted, data
// exfiltration still flagged, a resolution recorded anyway, and no `:detected` / `:contained` /
// `:cadence` typed. Before the audience templates, the customer text read "A leaked an internal
// system access key of a user account …", "Lift the an internal system on the role", said
// "Resolved" next to active exfiltration, and every report said "Time detected: not recorded".

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCES, type ReportFacts } from '../../../src/reports/facts.js';
import { updateMarkdown } from '../../../src/reports/update.js';
import { factsFromState } from '../../../app/commands/export.js';
import { reportFacts, type ActionCatalog } from '../../../store/report-facts.js';
import { newIncident } from '../../../store/open.js';
import type { IncidentStore } from '../../../store/store.js';
import { cloudTrailEvent, keyOf } from '../store/fixtures.js';
import { prose, proseGlitches } from './glitches.js';

const ROLE = { kind: 'iam-role', id: 'orders-api-prod', label: 'role orders-api-prod' };
const KEY = { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01', label: 'access key AKIA5REPORTEXAMPLE01' };
const CATALOG: ActionCatalog = (id) =>
  ({
    'aws.preserveCloudTrail': { title: 'Preserve the CloudTrail window', destructive: false, evidence: true },
    'aws.denyAllRole': { title: 'Deny all on the role', destructive: true, evidence: false },
    'aws.restoreRole': { title: 'Lift the deny-all on the role', destructive: true, evidence: false },
    'aws.deactivateKey': { title: 'Deactivate the access key', destructive: true, evidence: false },
  })[id];

/** Internal names and indicators a customer must never see. */
function internals(text: string, f: ReportFacts): string[] {
  const out: string[] = [];
  for (const n of f.internalNames) if (text.toLowerCase().includes(n.name.toLowerCase())) out.push(n.name);
  for (const re of [
    /arn:aws/gi,
    /\bAKIA[A-Z0-9]{8,}/g,
    /\b[0-9a-f]{16,}\b/gi,
    /(?:^|\s)[\w.-]*\/[\w./-]+/g,
    /\b(?:\d{1,3}\.){3}\d{1,3}\b/g,
    /orders-api|svc-|prod\b/gi,
  ])
    for (const m of text.matchAll(re)) out.push(m[0]);
  return out;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
let clock = Date.parse('2026-04-20T14:20:00Z');
const dir = mkdtempSync(join(tmpdir(), 'fb-prose-'));
let store: IncidentStore;
let close: () => Promise<void> = async () => {};
let facts: ReportFacts;

let n = 0;
async function act(action: string, target: typeof ROLE, at: string, undoOf?: string): Promise<string> {
  const c = store.getState().actions;
  const actionId = `act-00000${++n}`;
  const params = { action, target: target.id };
  const paramsHash = sha(JSON.stringify(params));
  clock = Date.parse(`2026-04-20T${at}Z`);
  await c.recordAction('action.planned', {
    actionId,
    action,
    target,
    params,
    paramsHash,
    calls: [{ service: 'iam', op: action, summary: action, mutating: true }],
    blastRadius: [target.label],
    warnings: [],
    ...(undoOf ? { undoOf } : {}),
  });
  await c.recordAction('action.confirmed', { actionId, paramsHash });
  await c.recordAction('action.started', { actionId, paramsHash, idempotencyToken: actionId });
  clock += 20_000;
  await c.recordAction('action.succeeded', { actionId, requestIds: ['r'], outputs: {}, message: 'done' });
  await c.recordAction('action.verified', { actionId, ok: true, detail: 'read back: in place' });
  return actionId;
}

beforeAll(async () => {
  const opened = await newIncident(
    join(dir, 'drill.jsonl'),
    {
      incidentId: 'INC-2026-901',
      title: 'Leaked svc-orders-reporting access key used to assume orders-api-prod and read customer-exports/2026-04',
      codename: 'RED HERON',
      mode: 'drill',
    },
    { actor: 'trainee', now: () => new Date(clock) },
  );
  store = opened.store;
  close = () => opened.journal.close();
  const c = store.getState().actions;
  await c.ingestEvents([cloudTrailEvent(1), cloudTrailEvent(2, { sourceIp: '203.0.113.9' })]);
  clock = Date.parse('2026-04-20T14:37:00Z');
  await c.raiseDetection({
    ruleId: 's3.getobject-volume',
    title: 'Unusual S3 GetObject volume',
    severity: 0,
    eventKeys: [keyOf(1), keyOf(2)],
    why: 'GetObject burst by orders-api-prod',
  });
  clock = Date.parse('2026-04-20T14:40:00Z');
  await c.setSeverity(0, 'customer data leaving');
  await c.flagExfiltration(true, 'GetObject burst to 203.0.113.9');
  await c.flagPersonalData({ awareAt: '2026-04-20T14:45:00Z', regimes: ['gdpr', 'nis2'] });
  const deny = await act('aws.denyAllRole', ROLE, '14:50:00');
  await act('aws.deactivateKey', KEY, '14:52:00');
  await act('aws.restoreRole', ROLE, '15:30:00', deny);
  clock = Date.parse('2026-04-20T16:00:00Z');
  await c.updateIncident({ resolvedAt: '2026-04-20T16:00:00Z' });
  facts = reportFacts(store.getState().state, { now: new Date('2026-04-20T16:10:00Z'), catalog: CATALOG });
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reports agree with the cockpit', () => {
  it('time detected is the first detection, time contained the first verified containment', () => {
    expect(facts.detectedAt).toBe('2026-04-20T14:37:00.000Z');
    expect(facts.containedAt).toBe('2026-04-20T14:50:20.000Z');
    for (const a of ['internal', 'leadership', 'legal', 'customers'] as const) {
      const md = updateMarkdown(facts, a);
      expect(md, a).toContain('**Time detected:** 2026-04-20 14:37 UTC');
      expect(md, a).not.toContain('not recorded');
    }
    expect(updateMarkdown(facts, 'internal')).toContain(
      '**Time contained:** 2026-04-20 14:50 UTC (Deny all on role orders-api-prod, verified)',
    );
  });

  it('the next update comes from the default cadence when none was set', () => {
    expect(facts.cadenceHours).toBe(3);
    const open = reportFacts(
      { ...store.getState().state, resolvedAt: [] },
      { now: new Date('2026-04-20T15:00:00Z'), catalog: CATALOG },
    );
    // Counted from detection (14:37) as the header counts it, not from when the draft is written.
    expect(updateMarkdown(open, 'leadership')).toContain('**Next update:** by 2026-04-20 17:37 UTC (every 3 h)');
  });

  it('every audience names the same next update, the one the cockpit header counts', () => {
    const open = reportFacts(
      { ...store.getState().state, resolvedAt: [] },
      { now: new Date('2026-04-20T15:10:00Z'), catalog: CATALOG },
    );
    expect(open.nextUpdate?.dueAt).toBe('2026-04-20T17:37:00.000Z');
    for (const a of AUDIENCES) {
      const line = updateMarkdown(open, a)
        .split('\n')
        .find((l) => /next (leadership )?update/i.test(l));
      expect(line, `${a} names no next update`).toBeDefined();
      expect(line, a).toMatch(/\b17:37 UTC\b/);
    }
  });

  it('an exported drill is dated on the drill clock, not the wall clock', async () => {
    const f = await factsFromState(store.getState().state, new Date('2026-12-03T19:00:00Z'));
    expect(f.now).toBe(store.getState().state.lastTs);
    expect(updateMarkdown(f, 'internal')).toContain('written 2026-04-20 16:00 UTC');
  });

  it('legal gets every clock with due time, basis and decision', () => {
    const md = updateMarkdown(facts, 'legal');
    for (const row of [
      '| NIS2 24h | early warning to the CSIRT / authority | 2026-04-21 14:45 UTC | NIS2 Art. 23(4)(a)',
      '| GDPR | notify the supervisory authority | 2026-04-23 14:45 UTC | GDPR Art. 33(1)',
      '| NIS2 72h | incident notification | 2026-04-23 14:45 UTC |',
      '| NIS2 final | final report | 2026-05-20 14:45 UTC |',
    ])
      expect(md).toContain(row);
  });

  it('leadership reads as a summary: what the team is doing, one decision per regime', () => {
    const open = reportFacts(
      { ...store.getState().state, resolvedAt: [] },
      { now: new Date('2026-04-20T15:10:00Z'), catalog: CATALOG },
    );
    const md = updateMarkdown(open, 'leadership');
    expect(md).not.toMatch(/now in detection|whether to notify \(|notify \(notify/);
    expect(md).toContain('- GDPR: whether to notify — notice to the supervisory authority due 2026-04-23 14:45 UTC');
    expect(md).toContain(
      '- NIS2: whether to notify — early warning to the CSIRT / authority due 2026-04-21 14:45 UTC;',
    );
    expect(md).toMatch(/Contained at 2026-04-20 14:50 UTC, 13 min after detection; the team is now investigating/);
    expect(proseGlitches(prose(md))).toEqual([]);
  });

  it('no update tells legal to run a command', () => {
    expect(prose(updateMarkdown(facts, 'legal'))).not.toMatch(/\bfirebreak [a-z]|(?:^|\s):[a-z][\w-]* /m);
    expect(updateMarkdown(facts, 'legal')).not.toMatch(/`firebreak export/);
  });

  it('leadership carries no paths or hashes', () => {
    const md = updateMarkdown(facts, 'leadership');
    expect(md).not.toMatch(/customer-exports\/|[0-9a-f]{32}/);
    expect(md).toContain('Data exfiltration is flagged as **still active**');
  });
});

describe('the customer update reads as a person wrote it', () => {
  it('has no article glitches, doubled words or internal names', () => {
    const md = updateMarkdown(facts, 'customers');
    const body = md
      .split('\n')
      .filter((l) => !l.startsWith('>'))
      .join('\n');
    expect(proseGlitches(body)).toEqual([]);
    expect(internals(body, facts)).toEqual([]);
  });

  it('never says Resolved or contained while exfiltration is flagged, nor that containment was lifted', () => {
    const md = updateMarkdown(facts, 'customers');
    expect(md).not.toMatch(/\*\*Status:\*\* (Resolved|Contained)/);
    expect(md).toContain('**Time contained:** not yet contained');
    expect(md).not.toMatch(/lift|restor|reactivat/i);
    expect(md).toContain('- We disabled the credential that was misused.');
    expect(md).toContain('We are determining exactly what information was involved');
    // The deny-all on the role was lifted later: customers are not told it holds.
    expect(md).not.toContain('We cut off the internal account');
    // Resolved, so the cadence owes no summary, yet the activity is flagged: a promise, no time.
    expect(md).toContain('- We will send our next update within 3 hours.');
  });

  it('the glitch finder catches what word substitution wrote', () => {
    expect(proseGlitches('Lift the an internal system on the role')).toContain('the an');
    expect(proseGlitches('read from an a storage bucket')).toContain('an a');
    expect(proseGlitches('A leaked a internal key')).toContain('a internal');
    expect(proseGlitches('in the the namespace')).toContain('the the');
    expect(proseGlitches('Deny all on the role on role orders-api-prod')).toContain('on the role on role');
    expect(proseGlitches('Isolate the instance on i-0abc (build-runner-7) (instance)')).toContain(
      '(build-runner-7) (instance)',
    );
    expect(proseGlitches('Personal data involved (aware 2026-04-20T15:15:00Z)')).toContain('2026-04-20T15:15:00Z');
    expect(proseGlitches('aws.denyAllRole on ci-deployer — done')).toContain('aws.denyAllRole');
    expect(proseGlitches('We disabled the credential that was misused.')).toEqual([]);
    expect(proseGlitches('Deny-all inline policy on role orders-api-prod, at 14:50 UTC (2026-04-20)')).toEqual([]);
  });
});
