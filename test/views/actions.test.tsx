// Containment and evidence actions in the cockpit: offered for the selected event's
// targets with the reason each cannot run; a plan dialog with the calls, blast radius and warnings;
// dry run; y for non-destructive, the target typed back for destructive; the evidence guardrail
// (capture first, or the commander overrides with a reason); executed once; failures and failed
// read-backs said plainly. Stand-in ActionDefs count their own calls.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  linesOf,
  mount,
  paneLines,
  recordsOf,
  Scratch,
  createJournal,
  stripSgr,
  widest,
  type Cockpit,
} from './harness.js';
import { ACCOUNT, standIns, standInSession, type StandIns } from './stand-in-actions.js';
import type { ActionSession } from '../../store/action-session.js';

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

function expectFramesFit(c: Cockpit): void {
  const { cols, rows } = c.size();
  for (const f of c.framesAtSize()) {
    expect(linesOf(stripSgr(f)).length, `a frame taller than ${rows}:\n${stripSgr(f)}`).toBeLessThanOrEqual(rows);
    expect(widest(f)).toBeLessThanOrEqual(cols);
  }
}

const footer = (f: string) => linesOf(f).at(-1)!;

/** y on a destructive plan, then the target typed back (ci-deployer) and Enter. */
async function typeConfirm(c: Cockpit): Promise<void> {
  c.press('y');
  await c.waitForText('confirm:');
  c.write('ci-deployer');
  c.press('enter');
}

async function setup(
  o: { cols?: number; rows?: number; armed?: boolean; ic?: string; backends?: ('aws' | 'kubernetes' | 'vault')[] } = {},
) {
  const { file, store } = await createJournal(scratch, { events: 5 });
  if (o.armed) await store.getState().actions.armSession(ACCOUNT, ACCOUNT);
  if (o.ic) await store.getState().actions.assignRole('ic', o.ic);
  const s = standIns();
  const session = standInSession(store, scratch.dir, s, o.backends ? { backends: o.backends } : {});
  const c = (cockpit = await mount(store, file, { cols: o.cols ?? 200, rows: o.rows ?? 50, actions: session }));
  return { file, store, s, session, c };
}

for (const [cols, rows] of [
  [80, 24],
  [200, 50],
] as const) {
  describe(`actions at ${cols}x${rows}`, () => {
    it('the pane offers the actions for the selected event, evidence first, each with why it cannot run', async () => {
      const { c } = await setup({ cols, rows });
      c.press('4');
      const f = await c.waitForText(
        '▌4 Actions',
        '[c] ◆ Capture the role',
        '[x] ! Deny-all policy on the role',
        '[l] ! Revoke the Vault leases',
      );
      const pane = linesOf(f);
      const at = (t: string) => pane.findIndex((l) => l.includes(t));
      // Evidence comes before the destructive action on the same target.
      expect(at('Capture the role')).toBeLessThan(at('Deny-all policy'));
      expect(f).toContain('for role ci-deployer, bucket prod-data');
      if (cols >= 200) {
        expect(f).toContain('[x] ! Deny-all policy on the role — ci-deployer  [not armed: arm the session first (A)]');
        expect(f).toContain(
          '[b] ! Block public access on the bucket — prod-data  [not armed: arm the session first (A)]',
        );
      }
      // A refused action's key says why on the footer (in full, at any width).
      c.press('l');
      await c.waitFor((x) => footer(x).includes('no Vault: set VAULT_ADDR and VAULT_TOKEN'), 'the vault reason');
      c.press('x');
      await c.waitFor(
        (x) => footer(x).includes('not armed: arm the session first (A) — Deny-all'),
        'the arming reason',
      );
      expect(recordsOf(c.deps.store.getState().meta.file!, 'action.planned')).toHaveLength(0);
      expectFramesFit(c);
    });

    it('the plan dialog shows the calls, blast radius, warnings and hash; d runs the dry run', async () => {
      const { c, s, file } = await setup({ cols, rows, armed: true });
      c.press('4', 'x');
      const f = await c.waitForText('Plan: Deny-all policy on the role — role ci-deployer');
      const planned = recordsOf(file, 'action.planned');
      expect(planned).toHaveLength(1);
      expect(f).toContain(`params sha256 ${planned[0]!.data.paramsHash.slice(0, 12)}`);
      expect(f).toContain('DESTRUCTIVE');
      expect(f).toContain('MUTATING iam PutRolePolicy — attach inline deny-all to ci-deployer');
      expect(f).toContain('• every workload assuming this role');
      expect(f).toContain('⚠ sessions issued before the policy keep working until revoked');
      expect(f).toContain('✗ evidence first: no capture the role');
      expect(f).toContain('dry run: not yet (d)');
      c.press('d');
      const d = await c.waitForText('dry run (server) at', 'ok — DryRunOperation: test.denyRole would have succeeded');
      expect(d).toContain('Plan: Deny-all');
      expect(s.calls.dryRun['test.denyRole']).toBe(1);
      expect(recordsOf(file, 'action.dryrun').map((r) => r.data.ok)).toEqual([true]);
      // Nothing ran: Esc closes the plan before execute.
      c.press('escape');
      await c.waitFor((x) => !x.includes('Plan:'), 'the plan to close');
      expect(s.calls.execute).toEqual({});
      expect(recordsOf(file, 'action.confirmed')).toHaveLength(0);
      expectFramesFit(c);
    });
  });
}

describe('confirming and running', () => {
  it('the guardrail holds a destructive action until the capture ran; destructive needs the id typed exactly', async () => {
    const { c, s, file } = await setup({ armed: true });
    c.press('4', 'x');
    await c.waitForText('Plan: Deny-all policy');
    c.press('y');
    await c.waitFor(
      (x) => footer(x).includes('evidence first') && footer(x).includes('c plans the capture'),
      'the guardrail refusal',
    );
    expect(recordsOf(file, 'action.confirmed')).toHaveLength(0);
    // The capture action's key plans the evidence action instead.
    c.press('c');
    await c.waitForText('Plan: Capture the role (policies, trust, last used) — role ci-deployer', 'non-destructive');
    c.press('y');
    await c.waitFor(
      (x) =>
        footer(x).includes(
          'succeeded and verified: Capture the role (policies, trust, last used) for role ci-deployer',
        ),
      'the capture outcome',
    );
    expect(s.calls.execute['test.captureRole']).toBe(1);

    c.press('x');
    let f = await c.waitForText('Plan: Deny-all policy');
    expect(f).not.toContain('✗ evidence first');
    c.press('y');
    f = await c.waitForText('confirm:', 'type ci-deployer exactly');
    c.write('ci-deploye');
    c.press('enter');
    await c.waitFor(
      (x) => footer(x).includes('"ci-deploye" does not match: type ci-deployer exactly'),
      'the wrong name refused',
    );
    expect(s.calls.execute['test.denyRole']).toBeUndefined();
    expect(recordsOf(file, 'action.confirmed')).toHaveLength(1);
    c.press('r', 'enter');
    await c.waitFor(
      (x) => footer(x).includes('succeeded and verified: Deny-all policy on the role for role ci-deployer'),
      'the deny outcome',
    );
    expect(s.calls.execute['test.denyRole']).toBe(1);
    const hist = await c.waitForText('verified', 'Deny-all policy on the role — role ci-deployer');
    expect(hist).toMatch(/verified\s+\d\d:\d\d:\d\d Deny-all policy on the role — role ci-deployer/);
  });

  it('Esc while a plan is being made cancels it: no dialog, nothing recorded, the key plans again', async () => {
    const { c, s, file } = await setup();
    let release!: () => void;
    s.planHold = new Promise((r) => (release = r));
    c.press('4', 'c');
    await c.waitFor(
      (x) => footer(x).includes('planning Capture the role') && footer(x).includes('Esc cancels'),
      'planning',
    );
    c.press('escape');
    await c.waitFor((x) => footer(x).includes('plan cancelled (Esc): nothing was recorded'), 'the cancel');
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frame()).not.toContain('Plan: Capture the role');
    expect(recordsOf(file, 'action.planned')).toHaveLength(0);
    expect(recordsOf(file, 'action.failed')).toHaveLength(0);
    // Not stuck "planning": the same key plans again.
    s.planHold = undefined;
    c.press('c');
    await c.waitForText('Plan: Capture the role');
    expect(recordsOf(file, 'action.planned')).toHaveLength(1);
  });

  it('the timeline shows an action as one row at its latest step; f lists every step, f folds again', async () => {
    const { c, file } = await setup({ cols: 120, rows: 40 });
    c.press('4', 'c');
    await c.waitForText('Plan: Capture the role');
    c.press('d');
    await c.waitForText('dry run (server) at');
    c.press('y');
    await c.waitFor((x) => footer(x).includes('succeeded and verified: Capture the role'), 'the capture outcome');
    // planned, dry run, confirmed, started, succeeded, verified: six steps on the journal …
    const steps = ['action.planned', 'action.dryrun', 'action.confirmed', 'action.started', 'action.succeeded'];
    for (const t of steps) expect(recordsOf(file, t)).toHaveLength(1);
    const actionRows = (f: string) => paneLines(f, 2).filter((l) => / ACT /.test(l));
    // … one row on the timeline: the latest step, and how many steps it took.
    c.press('2');
    let f = await c.waitFor((x) => actionRows(x).length === 1 && /\[6 steps\] /.test(x), 'one folded row');
    expect(actionRows(f)[0]).toMatch(/ACT .*\[6 steps\] Verified: test\.captureRole/);
    c.press('f');
    f = await c.waitFor((x) => actionRows(x).length === 6, 'every step');
    expect(footer(f)).toContain('every step of each action');
    expect(actionRows(f)[0]).toContain('Action planned: ');
    c.press('f');
    await c.waitFor((x) => actionRows(x).length === 1, 'folded again');
  });

  it('Esc while a dry run runs cancels it: the plan stays open, nothing recorded, d runs it again', async () => {
    const { c, s, file } = await setup({ armed: true });
    c.press('4', 'x');
    await c.waitForText('Plan: Deny-all policy');
    let release!: () => void;
    s.dryRunHold = new Promise((r) => (release = r));
    c.press('d');
    await c.waitForText('dry run … (Esc cancels)');
    c.press('escape');
    await c.waitFor((x) => footer(x).includes('dry run cancelled (Esc): nothing was recorded'), 'the cancel');
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frame()).toContain('Plan: Deny-all policy');
    expect(c.frame()).toContain('dry run: not yet (d)');
    expect(recordsOf(file, 'action.dryrun')).toHaveLength(0);
    s.dryRunHold = undefined;
    c.press('d');
    await c.waitForText('dry run (server) at');
    expect(recordsOf(file, 'action.dryrun')).toHaveLength(1);
  });

  it('the incident commander overrides the guardrail with a reason, journaled', async () => {
    const { c, s, file } = await setup({ armed: true, ic: 'carol' });
    c.press('4', 'x');
    await c.waitForText('o  the incident commander overrides');
    c.press('o');
    await c.waitForText('override reason:');
    c.write('attacker is deleting backups right now');
    c.press('enter');
    await c.waitForText('guardrail overridden by the incident commander: attacker is deleting backups right now');
    await typeConfirm(c);
    await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the outcome');
    expect(s.calls.execute['test.denyRole']).toBe(1);
    const conf = recordsOf(file, 'action.confirmed');
    expect(conf).toHaveLength(1);
    expect(conf[0]!.data.override).toEqual({
      basis: 'commander',
      reason: 'attacker is deleting backups right now',
      commander: 'carol',
    });
  });

  it('without an incident commander there is no override', async () => {
    const { c, file } = await setup({ armed: true });
    c.press('4', 'x');
    const f = await c.waitForText('no incident commander assigned: nobody can override');
    expect(f).not.toContain('o override');
    c.press('o');
    c.press('y');
    await c.waitFor((x) => footer(x).includes('no incident commander to override'), 'the refusal');
    expect(c.frame()).not.toContain('override reason:');
    expect(recordsOf(file, 'action.confirmed')).toHaveLength(0);
  });

  it('a double press executes once; a finished action is never run again', async () => {
    const { c, s, file, session } = await setup();
    c.press('4', 'c');
    await c.waitForText('Plan: Capture the role');
    c.write('yy');
    await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the outcome');
    expect(s.calls.execute['test.captureRole']).toBe(1);
    expect(recordsOf(file, 'action.started')).toHaveLength(1);
    const id = recordsOf(file, 'action.planned')[0]!.data.actionId;
    await expect(session.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(s.calls.execute['test.captureRole']).toBe(1);
    // The history row opens the past action; y there is refused.
    c.press('j', 'j', 'j', 'j');
    await c.waitFor((x) => linesOf(x).some((l) => l.includes('>verified')), 'the history row selected');
    c.press('enter');
    await c.waitForText('Plan: Capture the role', 'succeeded: test.captureRole applied to ci-deployer', 'verified');
    c.press('y');
    await c.waitFor((x) => footer(x).includes('it is never run twice'), 'the refusal');
    expect(s.calls.execute['test.captureRole']).toBe(1);
  });

  it('evidence work shows count, rate and how to stop it; Esc stops it and the outcome says INCOMPLETE', async () => {
    const { c, s, file } = await setup();
    s.pagesUntilStopped = true;
    c.press('4', 'c');
    await c.waitForText('Plan: Capture the role');
    c.press('y');
    const f = await c.waitFor(
      (x) =>
        /Capture the role \(policies, trust, last used\): [\d,]+ events · page \d+ · [\d.]+ events\/s/.test(footer(x)),
      'the progress line',
    );
    expect(footer(f)).toContain('Esc or :cancel stops it, keeping what it has');
    c.press('escape');
    await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the outcome');
    const done = recordsOf(file, 'action.succeeded')[0]!.data;
    expect(done.message).toMatch(/^STOPPED by the responder, INCOMPLETE: \d+ events of ci-deployer preserved/);
    // Stopped well before its 200 pages.
    expect((done.outputs as { events: number }).events).toBeLessThan(200 * 50);
    // Nothing left to stop.
    c.press(':');
    c.write('cancel');
    c.press('enter');
    await c.waitFor((x) => footer(x).includes('no import, hunt or evidence action is running'), 'nothing running');
  });

  it('runs in the background: a failure shows its message and hint, a failed read-back says VERIFY FAILED', async () => {
    const { c, s } = await setup({ armed: true, ic: 'carol' });
    let release!: () => void;
    s.hold = new Promise<void>((res) => (release = res));
    c.press('4', 'c');
    await c.waitForText('Plan: Capture the role');
    c.press('y');
    await c.waitFor((x) => footer(x).includes('executing Capture the role'), 'progress on the footer');
    // The cockpit keeps drawing while the action runs: the pane shows it running.
    await c.waitFor((x) => linesOf(x).some((l) => /running\s+\d\d:/.test(l)), 'the running row');
    release();
    await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the outcome');
    s.hold = undefined;

    s.failNext = 'test.denyRole';
    c.press('x');
    await c.waitForText('Plan: Deny-all');
    await typeConfirm(c);
    await c.waitFor(
      (x) =>
        footer(x).includes(
          'FAILED: Deny-all policy on the role for role ci-deployer: User is not authorized to perform iam:PutRolePolicy on ci-deployer — grant iam:PutRolePolicy',
        ),
      'the failure with its hint',
    );
    await c.waitFor((x) => linesOf(x).some((l) => /FAILED\s+\d\d:\d\d:\d\d Deny-all/.test(l)), 'the failed row');

    s.verifyOk = false;
    c.press('x');
    await c.waitForText('Plan: Deny-all');
    await typeConfirm(c);
    await c.waitFor(
      (x) =>
        footer(x).includes(
          'VERIFY FAILED (the call succeeded): Deny-all policy on the role for role ci-deployer — read back: ci-deployer still allows everything',
        ),
      'verify failed',
    );
  });

  for (const [cols, rows] of [
    [80, 24],
    [120, 40],
  ] as const)
    it(`a half-applied action is PARTIAL at ${cols}x${rows}: parts with ✓ and ✗, C completes it`, async () => {
      const { c, s, file } = await setup({ cols, rows, armed: true });
      c.press('4', 'c');
      await c.waitForText('Plan: Capture the role');
      c.write('yy');
      await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the capture');
      s.partialNext = 'test.denyRole';
      c.press('x');
      await c.waitForText('Plan: Deny-all');
      await typeConfirm(c);
      // The footer gives the way on first (a narrow one cuts the end).
      await c.waitFor((x) => footer(x).includes('PARTIAL (C completes, u undoes what was applied)'), 'the outcome');
      // The row, opened, lists the calls made and each part as the read-back found it.
      // The cursor is on the deny-all (x): past the two other offered actions to the first past one.
      c.press('j', 'j', 'j');
      await c.waitFor((x) => linesOf(x).some((l) => l.startsWith('>') && l.includes('PARTIAL')), 'the row selected');
      c.press('enter');
      // At the top of the dialog, visible without scrolling even at 80x24: the parts and the way on.
      const f = await c.waitForText(
        'PARTIAL: some parts are in place — C completes',
        '✓ in place     firebreak-deny-all on role ci-deployer',
        '✗ NOT in place AWSRevokeOlderSessions on role ci-deployer',
      );
      expectFramesFit(c);
      c.press('escape');
      await c.waitFor((x) => !x.includes('✗ NOT in place'), 'the dialog to close');
      // C on the row plans the completion: the same parameters, confirmed like any destructive action.
      c.press('C');
      await c.waitForText('Plan: Deny-all');
      const planned = recordsOf(file, 'action.planned');
      expect(planned.at(-1)!.data).toMatchObject({ completes: planned.at(-2)!.data.actionId });
      expect(planned.at(-1)!.data.paramsHash).toBe(planned.at(-2)!.data.paramsHash);
      await typeConfirm(c);
      await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the completion');
      expectFramesFit(c);
    });

  it('u plans the undo of a past action', async () => {
    const { c, file } = await setup({ armed: true, ic: 'carol' });
    c.press('4', 'c');
    await c.waitForText('Plan: Capture the role');
    c.press('y');
    await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the capture');
    c.press('x');
    await c.waitForText('Plan: Deny-all');
    await typeConfirm(c);
    await c.waitFor(
      (x) => footer(x).includes('succeeded and verified: Deny-all policy on the role for role ci-deployer'),
      'the deny',
    );
    // History: newest first, after the four offered rows (x left the cursor on row 1).
    c.press('j', 'j', 'j');
    await c.waitFor(
      (x) => linesOf(x).some((l) => l.includes('>verified') && l.includes('Deny-all')),
      'the deny row selected',
    );
    c.press('u');
    await c.waitForText('Plan: Remove the deny-all policy — role ci-deployer', 'MUTATING iam DeleteRolePolicy');
    const undo = recordsOf(file, 'action.planned').at(-1)!;
    expect(undo.data.undoOf).toBe(recordsOf(file, 'action.planned')[1]!.data.actionId);
  });
});

describe('in doubt', () => {
  it('an action whose last record is action.started is in doubt on reopening; v re-verifies it', async () => {
    const { file, store } = await createJournal(scratch);
    const s = standIns();
    const first = standInSession(store, scratch.dir, s);
    const target = { kind: 'iam-role' as const, id: 'ci-deployer', label: 'role ci-deployer' };
    const id = await first.runner.plan('test.captureRole', target);
    const hash = store.getState().state.actions.get(id)!.planned.paramsHash;
    await first.runner.confirm(id, hash);
    // The crash: started is durable, the outcome never arrives.
    await store
      .getState()
      .actions.recordAction('action.started', { actionId: id, paramsHash: hash, idempotencyToken: id });
    await scratch.closeJournals();

    const { openIncident } = await import('../../store/open.js');
    const reopened = await openIncident(file);
    scratch.track(reopened.journal);
    const session: ActionSession = standInSession(reopened.store, scratch.dir, s);
    const c = (cockpit = await mount(reopened.store, file, { cols: 200, rows: 50, actions: session }));
    await c.waitFor(
      (x) => footer(x).includes('⚠ 1 action in doubt — re-verify (v in the actions pane)'),
      'the in-doubt notice',
    );
    c.press('4');
    const f = await c.waitFor(
      (x) => linesOf(x).some((l) => />IN DOUBT\s+\d\d:\d\d:\d\d Capture the role/.test(l)),
      'the in-doubt row first',
    );
    expect(f).toContain('1 IN DOUBT');
    c.press('v');
    await c.waitFor(
      (x) =>
        footer(x).includes(
          'verified after doubt: Capture the role (policies, trust, last used) for role ci-deployer — read back: ci-deployer is as planned',
        ),
      'the re-verify outcome',
    );
    const v = recordsOf(file, 'action.verified');
    expect(v.map((r) => [r.data.actionId, r.data.ok, r.data.afterDoubt])).toEqual([[id, true, true]]);
    expect(s.calls.execute).toEqual({});
    await c.waitFor(
      (x) => linesOf(x).some((l) => />verified\s+\d\d:\d\d:\d\d Capture the role/.test(l)),
      'the row settled',
    );
    expect(c.frame()).not.toContain('in doubt — re-verify');
  });
});

describe('palette', () => {
  it(':act plans an action for an explicit target; :exfil flags exfiltration; wrong kinds are refused', async () => {
    const { c, file } = await setup({ armed: true });
    c.press(':');
    c.write('act test.captureRole iam-role:billing-export');
    c.press('enter');
    await c.waitForText('Plan: Capture the role (policies, trust, last used) — iam-role billing-export');
    c.press('escape');
    await c.waitFor((x) => !x.includes('Plan:'), 'the plan to close');
    c.press(':');
    c.write('act test.captureRole bucket:prod-data');
    c.press('enter');
    await c.waitFor((x) => footer(x).includes('test.captureRole acts on a iam-role, not a bucket'), 'the kind refusal');
    c.press(':');
    c.write('exfil on 40 GB to 203.0.113.7 in ten minutes');
    c.press('enter');
    await c.waitFor((x) => footer(x).includes('exfiltration flagged ACTIVE'), 'the flag');
    expect(recordsOf(file, 'exfiltration.flagged').map((r) => r.data)).toEqual([
      { active: true, reason: '40 GB to 203.0.113.7 in ten minutes' },
    ]);
  });

  it('a session that cannot act says why on every action', async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const s = standIns();
    const blocked = "the drill's simulated cloud is not connected in this build";
    const c = (cockpit = await mount(store, file, {
      cols: 200,
      rows: 50,
      mode: 'drill',
      actions: standInSession(store, scratch.dir, s, { blocked }),
    }));
    c.press('4');
    await c.waitForText(
      '▌4 Actions',
      "[c] ◆ Capture the role (policies, trust, last used) — ci-deployer  [the drill's simulated cloud",
    );
    c.press('c');
    await c.waitFor((x) => footer(x).includes(blocked), 'the reason on the footer');
    expect(recordsOf(file, 'action.planned')).toHaveLength(0);
  });
});
