// The regulatory countdown and overdue update in the header (80x24 and 200x50), the clocks panel,
// the comms palette commands, and the runbook overlay: keys journal runbook.step, Enter opens the
// step's action through deps.openAction (or says which action and target to use without it).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { headerBadges } from '../../views/panes/HeaderClocks.js';
import { Scratch, T0, createJournal, linesOf, mount, recordsOf, until, widest, type Cockpit } from './harness.js';

let scratch: Scratch;
let cockpit: Cockpit | undefined;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await scratch.cleanup();
});

const MIN = 60_000;
const NOW = T0 + MIN; // the harness's fixed cockpit clock: 14:41:00
const iso = (ms: number) => new Date(ms).toISOString();

/** GDPR aware 48 min ago (71:12 left); detected 3 h 25 min ago (the 3 h summary is 25 min late). */
async function exposed() {
  const j = await createJournal(scratch, { events: 3 });
  const a = j.store.getState().actions;
  await a.updateIncident({ detectedAt: iso(NOW - 3 * 60 * MIN - 25 * MIN) });
  await a.flagPersonalData({ awareAt: iso(NOW - 48 * MIN), regimes: ['gdpr'] });
  return j;
}

const secondLine = (f: string) => linesOf(f)[1]!;

describe('header', () => {
  for (const [cols, rows] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`shows the most urgent clock and the overdue update at ${cols}x${rows}`, async () => {
      const { file, store } = await exposed();
      const c = (cockpit = await mount(store, file, { cols, rows }));
      const f = await c.waitForText('GDPR 71:12 left');
      expect(secondLine(f)).toMatch(/^GDPR 71:12 left │ update overdue 0:25 │ 14:41:00 UTC/);
      expect(widest(f)).toBeLessThanOrEqual(cols);
      expect(linesOf(f)).toHaveLength(rows);
      // The overdue update is urgent (red); the clock with 71 h left is not.
      expect(headerBadges(store.getState().state, NOW)).toEqual([
        { text: 'GDPR 71:12 left', urgent: false },
        { text: 'update overdue 0:25', urgent: true },
      ]);
    });
  }

  it('turns the clock red under 6 hours, says OVERDUE after, and drops it once decided', async () => {
    const j = await createJournal(scratch, { events: 1 });
    const a = j.store.getState().actions;
    await a.flagPersonalData({ awareAt: iso(NOW - 67 * 60 * MIN), regimes: ['gdpr', 'nis2'] });
    const c = (cockpit = await mount(j.store, j.file));
    // NIS2's 24 h passed long ago: it is the most urgent undecided clock.
    let f = await c.waitForText('NIS2 24h OVERDUE 43:00');
    await a.decideNotification({ regime: 'nis2', decision: 'no-notify', rationale: 'not in scope of NIS2' });
    f = await c.waitForText('GDPR 5:00 left');
    expect(headerBadges(j.store.getState().state, NOW)[0]).toEqual({ text: 'GDPR 5:00 left', urgent: true });
    // 6 h is the line: at 6:00 left it is not yet red.
    expect(headerBadges(j.store.getState().state, NOW - 60 * MIN)[0]).toEqual({
      text: 'GDPR 6:00 left',
      urgent: false,
    });
    expect(f).not.toContain('NIS2 24h');
    await a.decideNotification({ regime: 'gdpr', decision: 'notify', rationale: 'DPO: likely risk to customers' });
    await c.waitFor((x) => !x.includes('GDPR 5:00'), 'the decided clock to leave the header');
  });
});

describe('clocks panel', () => {
  it('c lists every clock with its UTC due time, time left and decision; Esc closes', async () => {
    const { file, store } = await exposed();
    await store
      .getState()
      .actions.decideNotification({ regime: 'gdpr', decision: 'no-notify', rationale: 'encrypted, key not exposed' });
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40 }));
    c.press('c');
    const f = await c.waitForText('Clocks and cadence', 'aid, not legal advice');
    expect(f).toContain(`GDPR       due 2026-04-23 13:53:00  71:12 left`);
    expect(f).toContain('GDPR Art. 33(1): 72 h after awareness');
    expect(f).toContain('decision: DO NOT NOTIFY — encrypted, key not exposed');
    expect(f).toContain('Leadership summary every 3 h (:cadence 2-4): next due 14:16:00 UTC, OVERDUE by 0:25');
    c.press('escape');
    await c.waitFor((x) => !x.includes('Clocks and cadence'), 'the panel to close');
  });
});

describe('palette', () => {
  async function type(c: Cockpit, text: string) {
    // A refused command leaves the palette open with its text: start from a closed one.
    c.press('escape');
    await c.waitFor((f) => !f.includes('Tab completes'), 'the palette closed');
    c.press(':');
    await c.waitForText('Tab completes');
    c.write(text);
    c.press('enter');
  }

  it(':personal-data, :decide and :cadence are journaled; a bad one says why and writes nothing', async () => {
    const { file, store } = await createJournal(scratch, { events: 1 });
    const c = (cockpit = await mount(store, file));
    await type(c, 'personal-data gdpr,nis2 customer emails --at 2026-04-20T14:00:00Z');
    await until(() => recordsOf(file, 'personal-data.flagged').length === 1, 'the flag');
    expect(recordsOf(file, 'personal-data.flagged')[0]!.data).toEqual({
      awareAt: '2026-04-20T14:00:00.000Z',
      regimes: ['gdpr', 'nis2'],
      note: 'customer emails',
    });
    await c.waitForText('NIS2 24h 23:19 left');

    await type(c, 'decide gdpr no-notify encrypted at rest');
    await until(() => recordsOf(file, 'notification.decided').length === 1, 'the decision');
    expect(recordsOf(file, 'notification.decided')[0]!.data).toEqual({
      regime: 'gdpr',
      decision: 'no-notify',
      rationale: 'encrypted at rest',
    });

    await type(c, 'cadence 2');
    await until(() => recordsOf(file, 'cadence.set').length === 1, 'the cadence');
    expect(recordsOf(file, 'cadence.set')[0]!.data).toEqual({ hours: 2 });

    await type(c, 'cadence 6');
    await c.waitForText('leadership summaries every 2–4 hours');
    await type(c, 'decide gdpr notify');
    await c.waitForText('a decision needs its rationale');
    expect(recordsOf(file, 'cadence.set')).toHaveLength(1);
    expect(recordsOf(file, 'notification.decided')).toHaveLength(1);
  });

  it(':personal-data with no regimes starts GDPR and HIPAA, aware now', async () => {
    const { file, store } = await createJournal(scratch, { events: 1 });
    const c = (cockpit = await mount(store, file));
    await type(c, 'personal-data');
    await until(() => recordsOf(file, 'personal-data.flagged').length === 1, 'the flag');
    expect(recordsOf(file, 'personal-data.flagged')[0]!.data).toEqual({
      awareAt: iso(NOW),
      regimes: ['gdpr', 'hipaa'],
    });
  });
});

describe('runbook overlay', () => {
  const title = (f: string) => linesOf(f).find((l) => l.includes('Runbook: '))!;

  it('x marks done, s skips (again reopens), each journaled; Enter opens the step’s action', async () => {
    const { file, store } = await createJournal(scratch, { events: 1 });
    const c = (cockpit = await mount(store, file));
    c.press('b');
    await c.waitForText('no runbook suggested by the detections yet');
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('runbook credentials-leak');
    c.press('enter');
    let f = await c.waitForText('Runbook: Credentials leak — 0/14 done');
    expect(f).toContain('›[ ]  1 Triage');

    c.press('x');
    await until(() => recordsOf(file, 'runbook.step').length === 1, 'step 1 journaled');
    expect(recordsOf(file, 'runbook.step')[0]!.data).toEqual({
      runbook: 'credentials-leak',
      step: 'classify',
      status: 'done',
    });
    f = await c.waitForText('1/14 done', '›[x]  1 Triage');

    // x ticks the highlighted step only: `x j x` is steps 1 and 2, never 1 and 3.
    c.press('j', 'x');
    await until(() => recordsOf(file, 'runbook.step').length === 2, 'step 2 journaled');
    expect(recordsOf(file, 'runbook.step')[1]!.data).toMatchObject({ step: 'command', status: 'done' });
    await c.waitForText('2/14 done', '›[x]  2 Triage');

    c.press('s');
    await until(() => recordsOf(file, 'runbook.step').length === 3, 'step 2 skipped');
    expect(recordsOf(file, 'runbook.step')[2]!.data).toMatchObject({ step: 'command', status: 'skipped' });
    await c.waitForText('1/14 done, 1 skipped');
    c.press('s');
    await until(() => recordsOf(file, 'runbook.step').length === 4, 'the reopen journaled');
    expect(recordsOf(file, 'runbook.step')[3]!.data).toMatchObject({ step: 'command', status: 'open' });
    await c.waitFor((x) => title(x)?.includes('1/14 done') && !x.includes('skipped'), 'the step reopened');

    // Step 4 preserves the key's CloudTrail: without the actions UI, the footer says what to do.
    c.press('j', 'j');
    await c.waitForText('›[ ]  4 Evidence');
    c.press('enter');
    await c.waitForText('run aws.preserveCloudTrailKey on an access key');
    expect(c.frame()).toContain('Runbook: Credentials leak');

    const openAction = vi.fn<(id: string) => void>();
    c.deps.openAction = openAction;
    c.press('enter');
    await until(() => openAction.mock.calls.length === 1, 'openAction');
    expect(openAction).toHaveBeenCalledWith('aws.preserveCloudTrailKey');
    await c.waitFor((x) => !x.includes('Runbook: Credentials leak'), 'the overlay to make way for the action');

    // Reopening the overlay returns to the first open step and keeps the progress.
    c.press('b');
    f = await c.waitForText('Runbook: Credentials leak — 1/14 done');
    expect(f).toContain('›[ ]  2 Triage');
  });

  it('b opens the runbook the detections suggest', async () => {
    const { file, store } = await createJournal(scratch, { events: 1 });
    await store.getState().actions.raiseDetection({
      ruleId: 'falco.shell',
      title: 'Shell in container',
      severity: 1,
      eventKeys: [],
      why: 'x',
      runbook: 'host-compromise: capture the pod first',
    });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50 }));
    c.press('b');
    const f = await c.waitForText('Runbook: Host or pod compromise — 0/14 done');
    expect(f).toContain('k8s.capturePod');
  });

  it('steps the journal already shows done are ticked, with who did it and how', async () => {
    const { file, store } = await createJournal(scratch, { events: 1 });
    const a = store.getState().actions;
    await a.setSeverity(1, 'leaked key');
    await a.assignRole('ic', 'alice');
    await a.flagPersonalData({ awareAt: iso(NOW), regimes: ['gdpr'] });
    const target = { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01', label: 'access key AKIA5REPORTEXAMPLE01' };
    const actionId = 'act-000001';
    const paramsHash = 'a'.repeat(64);
    await a.recordAction('action.planned', {
      actionId,
      action: 'aws.preserveCloudTrailKey',
      target,
      params: {},
      paramsHash,
      calls: [{ service: 'cloudtrail', op: 'LookupEvents', summary: 'look up', mutating: false }],
      blastRadius: [],
      warnings: [],
    });
    await a.recordAction('action.confirmed', { actionId, paramsHash });
    await a.recordAction('action.started', { actionId, paramsHash, idempotencyToken: actionId });
    await a.recordAction('action.succeeded', { actionId, requestIds: ['r'], outputs: {}, message: 'done' });
    const c = (cockpit = await mount(store, file, { cols: 160, rows: 40 }));
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('runbook credentials-leak');
    c.press('enter');
    // Severity, commander, personal data and the key's CloudTrail: four steps, none ticked by hand.
    let f = await c.waitForText('Runbook: Credentials leak — 4/14 done');
    expect(f).toContain('›[ ]  5 Evidence');
    for (const n of [1, 2, 3, 4]) expect(f).toMatch(new RegExp(`\\[x\\] +${n} `));
    c.press('k');
    f = await c.waitForText('done by alice at');
    expect(f).toContain('(aws.preserveCloudTrailKey succeeded on access key AKIA5REPORTEXAMPLE01)');
    c.press('k', 'k', 'k');
    f = await c.waitForText('(severity set)');
    expect(recordsOf(file, 'runbook.step')).toHaveLength(0);
  });

  it('in review, x and s record nothing', async () => {
    const { file, store, journal } = await createJournal(scratch, { events: 1 });
    await store.getState().actions.recordRunbookStep({ runbook: 'ddos', step: 'classify', status: 'done' });
    await journal.close();
    const { openForReview } = await import('./harness.js');
    const c = (cockpit = await mount(await openForReview(file), file, { mode: 'review' }));
    c.press('b');
    await c.waitForText('Runbook: Distributed denial of service — 1/10 done', 'j/k move · Esc closes');
    c.press('x', 's', 'escape');
    await c.waitFor((x) => !x.includes('Runbook:'), 'the overlay to close');
    expect(recordsOf(file, 'runbook.step')).toHaveLength(1);
  });
});

describe(':score', () => {
  it('in a drill shows the scorecard deps.scoreDrill journaled; live mode has no :score', async () => {
    const { file, store } = await createJournal(scratch, { events: 1 });
    const c = (cockpit = await mount(store, file, { mode: 'drill', cols: 120, rows: 30 }));
    const card = {
      scenario: 'inc-2026-042',
      metrics: [
        {
          id: 'triage',
          label: 'Time to triage',
          targetMinutes: 15,
          actualMinutes: 8,
          pass: true,
          detail: 'phase triage at 2026-04-20T14:40:00.000Z',
        },
      ],
      passed: 1,
      total: 1,
    };
    const scoreDrill = vi.fn(async () => card);
    c.deps.scoreDrill = scoreDrill;
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('score');
    c.press('enter');
    const f = await c.waitForText('Drill scorecard (inc-2026-042): 1/1 targets met', 'PASS  Time to triage');
    expect(f).toContain('8 min (target 15 min)');
    expect(scoreDrill).toHaveBeenCalledTimes(1);
    c.unmount();

    cockpit = await mount(store, file);
    cockpit.press(':');
    await cockpit.waitForText('Tab completes');
    cockpit.write('score');
    cockpit.press('enter');
    await cockpit.waitForText('score is not available in live mode');
  });
});
