// The drill scorecard from a recorded drill journal (times on the drill clock): a team that
// meets every target, and one that misses them and destroys before preserving — with an
// override listed rather than counted against it. Journaled as drill.scored and exported.

import { afterEach, describe, expect, it } from 'vitest';
import { scorecardExport, scoreJournal } from '../../../app/commands/drill-score.js';
import type { RecordData } from '../../../src/journal/records.js';
import { scorecardText } from '../../../src/reports/scorecard.js';
import { newIncident, openIncident } from '../../../store/open.js';
import type { IncidentStore } from '../../../store/store.js';
import { tempDir } from '../../helpers/tmp.js';

const START = Date.parse('2026-04-20T14:15:00Z');
const MIN = 60_000;
const TARGETS = { triageMinutes: 15, evidenceMinutes: 20, containMinutes: 40, updateMinutes: 45 };
const HASH = 'a'.repeat(64);

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A drill journal whose clock (record ts) the test moves: minutes after 14:15. */
async function drill() {
  const dir = tempDir();
  let at = START;
  const file = `${dir}/drill.jsonl`;
  const { store, journal } = await newIncident(
    file,
    { incidentId: 'INC-2026-042', title: 'Compromised role', mode: 'drill', scenario: 'inc-2026-042' },
    { actor: 'alice', now: () => new Date(at) },
  );
  closers.push(async () => void (await journal?.close()));
  const a = store.getState().actions;
  return { file, store, a, at: (minute: number) => void (at = START + minute * MIN) };
}

/** A call by the attacker's session at `minute` of the drill. */
function call(id: string, minute: number, o: { outcome?: 'success' | 'failure'; action?: string } = {}) {
  return {
    source: 'cloudtrail' as const,
    id,
    eventTime: new Date(START + minute * MIN).toISOString(),
    discoveredAt: new Date(START + minute * MIN).toISOString(),
    actor: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/orders-debug',
    action: o.action ?? 'GetObject',
    targets: [],
    outcome: o.outcome ?? 'success',
    accessKeyId: 'ASIA5ATTACKEXAMPLE01',
    raw: {},
  };
}

let n = 0;
async function act(
  store: IncidentStore,
  action: string,
  target: { kind: string; id: string; label: string },
  override?: RecordData<'action.confirmed'>['override'],
) {
  const actionId = `act-test-${String(++n).padStart(4, '0')}`;
  const a = store.getState().actions;
  await a.recordAction('action.planned', {
    actionId,
    action,
    target,
    params: {},
    paramsHash: HASH,
    calls: [],
    blastRadius: [],
    warnings: [],
  });
  await a.recordAction('action.confirmed', { actionId, paramsHash: HASH, ...(override ? { override } : {}) });
  await a.recordAction('action.started', { actionId, paramsHash: HASH, idempotencyToken: actionId });
  await a.recordAction('action.succeeded', { actionId, requestIds: ['req-1'], outputs: {}, message: 'ok' });
}

const ROLE = { kind: 'iam-role', id: 'arn:aws:iam::123456789012:role/orders-api-prod', label: 'role orders-api-prod' };
const KEY = { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01', label: 'key AKIA5REPORTEXAMPLE01' };
const detection = {
  ruleId: 'guardduty.finding',
  title: 'GuardDuty finding',
  severity: 1 as const,
  eventKeys: [],
  why: 'x',
  runbook: 'credentials-leak',
};

describe('drill scorecard', () => {
  it('a team that meets every target passes 5/5, measured from the first detection', async () => {
    const d = await drill();
    d.at(17);
    await d.a.raiseDetection(detection, 'drill');
    d.at(25);
    await d.a.setPhase('triage');
    d.at(30);
    await act(d.store, 'aws.preserveCloudTrail', ROLE);
    d.at(40);
    await act(d.store, 'aws.denyAllRole', ROLE);
    d.at(55);
    await d.a.recordUpdate({ audience: 'leadership', markdown: '## Incident Update' });

    const card = await scoreJournal(d.file, 'inc-2026-042', TARGETS);
    expect(card.passed).toBe(5);
    expect(card.total).toBe(5);
    const m = Object.fromEntries(card.metrics.map((x) => [x.id, x]));
    expect(m.triage).toMatchObject({ actualMinutes: 8, targetMinutes: 15, pass: true });
    expect(m.evidence).toMatchObject({ actualMinutes: 13, pass: true });
    expect(m.evidence!.detail).toContain('aws.preserveCloudTrail on role orders-api-prod');
    expect(m.contain).toMatchObject({ actualMinutes: 23, pass: true });
    expect(m['evidence-first']).toMatchObject({ pass: true });
    expect(m['evidence-first']!.detail).toContain('1 destructive action(s), 1 after evidence');
    expect(m.update).toMatchObject({ actualMinutes: 38, pass: true });

    // Journaled, then exported as Markdown from the journal.
    await d.a.recordScore(card, 'firebreak');
    const md = await scorecardExport(d.file);
    expect(md).toContain('# Drill scorecard: INC-2026-042 Compromised role');
    expect(md).toContain('**5/5** targets met');
    expect(md).toContain('| Time to contain | 40 | 23 | pass |');
    expect(md).not.toContain('Not journaled');
  });

  it('a slow team that destroys before preserving misses, and an override is listed, not counted', async () => {
    const d = await drill();
    d.at(17);
    await d.a.raiseDetection(detection, 'drill');
    d.at(40);
    await d.a.setPhase('containment');
    d.at(50);
    // No evidence on the key first: a violation.
    await act(d.store, 'aws.deactivateKey', KEY);
    d.at(52);
    // The role too, but the IC waived the order with a reason.
    await act(d.store, 'aws.denyAllRole', ROLE, {
      basis: 'commander',
      reason: 'exfiltration in progress',
      commander: 'alice',
    });
    d.at(90);
    await d.a.recordEvidence({
      evidenceId: 'ev-1',
      path: 'ev/ct.json',
      sha256: HASH,
      size: 10,
      source: 'cloudtrail',
      description: 'trail',
      collector: 'alice',
      toolVersion: '0.1.0',
      collectedAt: new Date(START + 90 * MIN).toISOString(),
      target: KEY,
    });

    const card = await scoreJournal(d.file, 'inc-2026-042', TARGETS);
    const m = Object.fromEntries(card.metrics.map((x) => [x.id, x]));
    expect(m.triage).toMatchObject({ actualMinutes: 23, pass: false });
    expect(m.evidence).toMatchObject({ actualMinutes: 73, pass: false });
    expect(m.contain).toMatchObject({ actualMinutes: 33, pass: true });
    expect(m['evidence-first']!.pass).toBe(false);
    expect(m['evidence-first']!.detail).toContain('before evidence: aws.deactivateKey on key AKIA5REPORTEXAMPLE01');
    expect(m['evidence-first']!.detail).toContain(
      'overridden: aws.denyAllRole on role orders-api-prod (commander alice: exfiltration in progress)',
    );
    expect(m.update).toMatchObject({ pass: false });
    expect(m.update!.detail).toContain('not reached');
    expect(card.passed).toBe(1);
    expect(scorecardText(card)).toContain('MISS  Evidence before destruction');

    // Never scored in the journal: export computes it (with the bundled scenario's targets) and says so.
    const md = await scorecardExport(d.file);
    expect(md).toContain('**1/5** targets met');
    expect(md).toContain('Not journaled');
  });

  it('an override alone does not fail evidence-first; the journaled scorecard survives a reopen', async () => {
    const d = await drill();
    d.at(17);
    await d.a.raiseDetection(detection, 'drill');
    d.at(20);
    await act(d.store, 'aws.denyAllRole', ROLE, { basis: 'critical-exfiltration', reason: 'Sev0 exfil' });
    const card = await scoreJournal(d.file, 'inc-2026-042', TARGETS);
    expect(card.metrics.find((x) => x.id === 'evidence-first')).toMatchObject({ pass: true });
    await d.a.recordScore(card, 'firebreak');
    const reopened = await openIncident(d.file, { readOnly: true });
    expect(reopened.store.getState().state.scores.at(-1)!.value).toEqual(card);
  });

  it('quitting early marks targets not yet due "not reached", and reports drill, wall and paused time', async () => {
    const d = await drill();
    d.at(17);
    await d.a.raiseDetection(detection, 'drill');
    d.at(20);
    await d.a.setPhase('triage');
    // Scored 10 drill minutes after detection: evidence (20), contain (40), update (45) not yet due.
    const card = await scoreJournal(d.file, 'inc-2026-042', TARGETS, {
      endMs: START + 27 * MIN,
      wallMs: 6 * MIN,
      pausedMs: 2.5 * MIN,
      pauses: 2,
    });
    const m = Object.fromEntries(card.metrics.map((x) => [x.id, x]));
    expect(m.triage).toMatchObject({ pass: true });
    for (const id of ['evidence', 'contain', 'update']) {
      expect(m[id], id).toMatchObject({ pass: false, notYetDue: true });
      expect(m[id]!.detail, id).toMatch(/^not reached, not yet due/);
    }
    expect(card.total).toBe(5);
    const text = scorecardText(card);
    expect(text).toContain('2/5 targets met, 3 not yet due');
    expect(text).not.toMatch(/MISS +Time to contain/);
    expect(text).toMatch(/n\/r +Time to contain/);
    expect(text).toContain('drill time 27 min · wall time 6 min, 2.5 min paused (2 pauses) in this session');

    // Past the target's time, the same journal is a miss.
    const late = await scoreJournal(d.file, 'inc-2026-042', TARGETS, { endMs: START + 90 * MIN });
    expect(late.metrics.find((x) => x.id === 'contain')).toMatchObject({ pass: false });
    expect(late.metrics.find((x) => x.id === 'contain')!.notYetDue).toBeUndefined();
    expect(scorecardText(late)).toMatch(/MISS +Time to contain/);
  });

  it('containment counts only once it stopped the activity the detections named', async () => {
    const d = await drill();
    d.at(10);
    await d.a.ingestEvents([call('e1', 10)], 'drill');
    d.at(17);
    await d.a.raiseDetection({ ...detection, eventKeys: ['cloudtrail:e1'] }, 'drill');
    d.at(20);
    await act(d.store, 'aws.preserveCloudTrail', ROLE);
    d.at(25);
    await act(d.store, 'aws.denyAllUser', { kind: 'iam-user', id: 'someone-else', label: 'user someone-else' });
    // The session kept working after that "containment": it did not hold.
    d.at(31);
    await d.a.ingestEvents([call('e2', 30)], 'drill');
    const early = await scoreJournal(d.file, 'inc-2026-042', TARGETS, { endMs: START + 80 * MIN });
    const c1 = early.metrics.find((m) => m.id === 'contain')!;
    expect(c1.pass).toBe(false);
    expect(c1.detail).toContain(
      'aws.denyAllUser on user someone-else did not stop the activity (cloudtrail:e2 succeeded',
    );
    d.at(40);
    await act(d.store, 'aws.denyAllRole', ROLE);
    d.at(46);
    await d.a.ingestEvents([call('e3', 45, { outcome: 'failure' })], 'drill');
    const late = await scoreJournal(d.file, 'inc-2026-042', TARGETS, { endMs: START + 80 * MIN });
    expect(late.metrics.find((m) => m.id === 'contain')).toMatchObject({ pass: true, actualMinutes: 23 });
    expect(late.metrics.find((m) => m.id === 'contain')!.detail).toContain('aws.denyAllRole on role orders-api-prod');
  });

  it('a GetCallerIdentity answered after containment does not undo it; a recorded contained time is tested too', async () => {
    const d = await drill();
    d.at(10);
    await d.a.ingestEvents([call('e1', 10)], 'drill');
    d.at(17);
    await d.a.raiseDetection({ ...detection, eventKeys: ['cloudtrail:e1'] }, 'drill');
    // Declared contained at minute 20, but the session read again at 22: not contained then.
    d.at(20);
    await d.a.updateIncident({ containedAt: new Date(START + 20 * MIN).toISOString() });
    d.at(23);
    await d.a.ingestEvents([call('e2', 22)], 'drill');
    const early = await scoreJournal(d.file, 'inc-2026-042', TARGETS, { endMs: START + 80 * MIN });
    expect(early.metrics.find((m) => m.id === 'contain')).toMatchObject({ pass: false });
    expect(early.metrics.find((m) => m.id === 'contain')!.detail).toContain(
      'contained time recorded did not stop the activity (cloudtrail:e2 succeeded',
    );
    d.at(25);
    await act(d.store, 'aws.preserveCloudTrail', ROLE);
    d.at(30);
    await act(d.store, 'aws.denyAllRole', ROLE);
    // The attacker checks the stolen session: GetCallerIdentity cannot be denied, and answers.
    d.at(36);
    await d.a.ingestEvents([call('e3', 35, { action: 'GetCallerIdentity' })], 'drill');
    const late = await scoreJournal(d.file, 'inc-2026-042', TARGETS, { endMs: START + 80 * MIN });
    expect(late.metrics.find((m) => m.id === 'contain')).toMatchObject({ pass: true, actualMinutes: 13 });
  });

  it('refuses to score a live incident', async () => {
    const dir = tempDir();
    const { journal } = await newIncident(`${dir}/live.jsonl`, {
      incidentId: 'INC-2026-001',
      title: 'live',
      mode: 'live',
    });
    await journal?.close();
    await expect(scorecardExport(`${dir}/live.jsonl`)).rejects.toThrow('not a drill journal');
  });
});
