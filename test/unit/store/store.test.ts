// The store's commands, and the property the whole design rests on: the state is the fold of the
// journal. After every command the live store and a fresh fold of the file on disk must agree on
// everything a responder can see.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppendIO, type JournalIO } from '../../../src/journal/io.js';
import { JournalUnsafeError } from '../../../src/journal/errors.js';
import { readRecordAt } from '../../../src/journal/scan.js';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { PHASE_IDS, type PhaseId } from '../../../src/domain/phases.js';
import { ROLE_IDS, type RoleId } from '../../../src/domain/roles.js';
import type { SeverityLevel } from '../../../src/domain/severity.js';
import { newIncident, openIncident } from '../../../store/open.js';
import { CommandError, type IncidentStore } from '../../../store/store.js';
import {
  eventsAsOf,
  isPinnedAsOf,
  phaseAsOf,
  rolesAsOf,
  severityAsOf,
  suggestedSeverityAsOf,
  timelineAsOf,
} from '../../../store/selectors.js';
import { CI_ROLE, OPENED, cloudTrailEvent, keyOf, observe, refold, scratch, uuid } from './fixtures.js';

const tmp = scratch();
beforeEach(() => tmp.setup());
afterEach(() => tmp.cleanup());

async function fresh(
  name = 'incident.jsonl',
  opts: Parameters<typeof newIncident>[2] = {},
): Promise<{ file: string; store: IncidentStore }> {
  const file = tmp.file(name);
  const { store, journal } = await newIncident(file, OPENED, { actor: 'alice', ...opts });
  tmp.track(journal);
  return { file, store };
}

/** The live state equals a fresh fold of the file; returns the live observation. */
async function expectFoldMatches(store: IncidentStore, file: string) {
  const live = observe(store.getState().state);
  expect(observe(await refold(file))).toEqual(live);
  expect(store.getState().meta.health).toMatchObject({ state: 'durable', records: live.seq });
  return live;
}

function lastEntry(store: IncidentStore) {
  const s = store.getState().state;
  return timelineAsOf(s, s.timeline.length - 1, s.timeline.length)[0]!;
}

/** Runs `f`, expects a CommandError matching `msg`, and checks nothing was written or applied. */
async function expectRefused(
  store: IncidentStore,
  file: string,
  f: () => Promise<unknown>,
  msg: RegExp,
): Promise<void> {
  const size = statSync(file).size;
  const before = store.getState().state;
  await expect(f()).rejects.toSatisfy((e: unknown) => e instanceof CommandError && msg.test(e.message));
  expect(statSync(file).size).toBe(size);
  expect(store.getState().state).toBe(before);
}

describe('newIncident', () => {
  it('writes incident.opened and folds it into the store', async () => {
    const { file, store } = await fresh();
    const { state, meta } = store.getState();
    expect(state.seq).toBe(1);
    expect(state.incident).toMatchObject({
      id: 'INC-2026-042',
      title: OPENED.title,
      codename: 'EMBER QUARTZ',
      mode: 'live',
    });
    expect(state.incident!.openedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(meta).toMatchObject({ file, readOnly: false, health: { state: 'durable', records: 1 } });
    expect(severityAsOf(state)).toBeUndefined();
    expect(phaseAsOf(state)).toBe('detection');
    expect(timelineAsOf(state, 0, 10)).toEqual([
      {
        seq: 1,
        ts: state.incident!.openedAt,
        kind: 'opened',
        actor: 'alice',
        text: `Incident INC-2026-042 opened: ${OPENED.title}`,
      },
    ]);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      seq: 1,
      type: 'incident.opened',
      actor: 'alice',
      data: { incidentId: 'INC-2026-042' },
    });
    await expectFoldMatches(store, file);
  });

  it('refuses to create over an existing journal', async () => {
    const { file } = await fresh();
    const before = readFileSync(file);
    await expect(newIncident(file, { ...OPENED, title: 'other' }, { actor: 'bob' })).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('commands: the state reflects each one, and so does a refold of the file', () => {
  it('setSeverity records level and reason; refuses an unknown level', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.setSeverity(1, 'compromised CI credentials');
    let s = store.getState().state;
    expect(severityAsOf(s)).toMatchObject({ seq: 2, value: 1, actor: 'alice', reason: 'compromised CI credentials' });
    expect(lastEntry(store)).toMatchObject({
      seq: 2,
      kind: 'severity',
      text: 'Severity set to Sev1 High — compromised CI credentials',
    });
    await expectFoldMatches(store, file);

    await actions.setSeverity(0);
    s = store.getState().state;
    // seq 3 is the journal's checkpoint after the first severity call.
    expect(severityAsOf(s)).toMatchObject({ seq: 4, value: 0 });
    expect(severityAsOf(s)!.reason).toBeUndefined();
    expect(lastEntry(store).text).toBe('Severity set to Sev0 Critical');
    expect(s.severity.map((c) => c.value)).toEqual([1, 0]);
    expect((await expectFoldMatches(store, file)).severity).toBe(0);

    await expectRefused(store, file, () => actions.setSeverity(4 as SeverityLevel), /unknown severity 4/);
  });

  it('setPhase and advancePhase move through the lifecycle; advance is refused at the last phase', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.advancePhase();
    expect(phaseAsOf(store.getState().state)).toBe('triage');
    expect(lastEntry(store)).toMatchObject({ seq: 2, kind: 'phase', text: 'Phase: Triage' });
    expect((await expectFoldMatches(store, file)).phase).toBe('triage');

    await actions.setPhase('eradication', 'keys rotated');
    expect(phaseAsOf(store.getState().state)).toBe('eradication');
    expect(lastEntry(store).text).toBe('Phase: Eradication — keys rotated');
    await actions.advancePhase('services restored');
    expect(phaseAsOf(store.getState().state)).toBe('recovery');
    expect(lastEntry(store).text).toBe('Phase: Recovery — services restored');
    await actions.advancePhase();
    expect(phaseAsOf(store.getState().state)).toBe('review');
    expect((await expectFoldMatches(store, file)).phase).toBe('review');

    await expectRefused(store, file, () => actions.advancePhase(), /already in the last phase/);
    await expectRefused(store, file, () => actions.setPhase('mitigation' as PhaseId), /unknown phase mitigation/);
    // Going back is allowed: new evidence reopens triage.
    await actions.setPhase('triage');
    expect(phaseAsOf(store.getState().state)).toBe('triage');
    expect(store.getState().state.phase.map((c) => c.value)).toEqual([
      'triage',
      'eradication',
      'recovery',
      'review',
      'triage',
    ]);
    await expectFoldMatches(store, file);
  });

  it('assignRole trims the person, a later assignment replaces the holder, history is kept', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.assignRole('ic', '  Dana Whitfield ');
    await actions.assignRole('scribe', 'Sam Ortiz');
    expect(lastEntry(store)).toMatchObject({ seq: 3, kind: 'role', text: 'Scribe: Sam Ortiz' });
    let live = await expectFoldMatches(store, file);
    expect(live.roles).toEqual({ ic: 'Dana Whitfield', scribe: 'Sam Ortiz' });

    await actions.assignRole('ic', 'Priya Raman');
    // A hand-off: the timeline names who handed over.
    expect(lastEntry(store)).toMatchObject({
      seq: 4,
      kind: 'role',
      text: 'Incident commander: Dana Whitfield → Priya Raman',
    });
    // The journal itself names the hand-off (from → to); a first assignment has no `from`.
    const roleRecords = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: object })
      .filter((r) => r.type === 'role.assigned')
      .map((r) => r.data);
    expect(roleRecords).toEqual([
      { role: 'ic', person: 'Dana Whitfield' },
      { role: 'scribe', person: 'Sam Ortiz' },
      { role: 'ic', person: 'Priya Raman', from: 'Dana Whitfield' },
    ]);
    live = await expectFoldMatches(store, file);
    expect(live.roles).toEqual({ ic: 'Priya Raman', scribe: 'Sam Ortiz' });
    expect(live.roleHistory).toEqual([
      [2, 'ic', 'Dana Whitfield'],
      [3, 'scribe', 'Sam Ortiz'],
      [4, 'ic', 'Priya Raman'],
    ]);
    expect(rolesAsOf(store.getState().state, 3).get('ic')!.value.person).toBe('Dana Whitfield');

    await expectRefused(store, file, () => actions.assignRole('ic', '   '), /a role needs a person/);
    await expectRefused(store, file, () => actions.assignRole('ciso' as RoleId, 'Lee'), /unknown role ciso/);
  });

  it('addNote trims, keeps the text exactly, and refuses an empty note', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.addNote('  GuardDuty finding Exfiltration:S3/AnomalousBehavior confirmed by Dana  ');
    expect(lastEntry(store)).toMatchObject({
      seq: 2,
      kind: 'note',
      actor: 'alice',
      text: 'GuardDuty finding Exfiltration:S3/AnomalousBehavior confirmed by Dana',
    });
    await actions.addNote('line one\nline two, with "quotes" | and a pipe');
    expect(lastEntry(store).text).toBe('line one\nline two, with "quotes" | and a pipe');
    const live = await expectFoldMatches(store, file);
    expect(live.timeline.map((e) => e.kind)).toEqual(['opened', 'note', 'note']);

    await expectRefused(store, file, () => actions.addNote(''), /empty note/);
    await expectRefused(store, file, () => actions.addNote(' \n\t '), /empty note/);
  });

  it('ingestEvents dedupes by (source, id) within a batch and against held events', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    const e1 = cloudTrailEvent(1);
    const e2 = cloudTrailEvent(2, { action: 'ListObjectsV2', targets: ['arn:aws:s3:::prod-data'] });
    expect(await actions.ingestEvents([e1, e2, { ...e1, action: 'GetObject (relisted)' }])).toEqual([e1, e2]);
    let s = store.getState().state;
    expect(s.events.length).toBe(2);
    expect(s.seq).toBe(3);
    const row = eventsAsOf(s, 0, 1)[0]!;
    expect(row).toMatchObject({
      seq: 2,
      key: keyOf(1),
      source: 'cloudtrail',
      id: uuid(1),
      actor: CI_ROLE,
      action: 'GetObject',
      target: 'arn:aws:s3:::prod-data/x',
      scope: 'us-east-1',
      sourceIp: '203.0.113.7',
      outcome: 'success',
      eventTime: Date.UTC(2026, 3, 20, 14, 30, 1),
      discoveredAt: Date.UTC(2026, 3, 20, 14, 37, 1),
    });
    // The row points at its full record (raw included) in the journal.
    const rec = await readRecordAt(file, row.offset, row.length);
    expect(rec).toMatchObject({ seq: 2, type: 'event.ingested', data: { event: e1 } });
    // Ingested events are not timeline entries.
    expect(s.timeline.length).toBe(1);
    await expectFoldMatches(store, file);

    // Against held: e1 and e2 are already held; e3 twice is one new event. Same id, other source is distinct.
    const e3 = cloudTrailEvent(3);
    const otherSource: IncidentEvent = { ...cloudTrailEvent(1), source: 'guardduty' };
    expect(await actions.ingestEvents([e1, e3, e2, e3, otherSource])).toHaveLength(2);
    s = store.getState().state;
    expect(eventsAsOf(s, 0, 10).map((e) => e.key)).toEqual([keyOf(1), keyOf(2), keyOf(3), `guardduty:${uuid(1)}`]);
    expect((await expectFoldMatches(store, file)).eventCount).toBe(4);
    const onDisk = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('"type":"event.ingested"'));
    expect(onDisk).toHaveLength(4);

    // Nothing new: nothing written.
    const size = statSync(file).size;
    expect(await actions.ingestEvents([e1, e2, e3])).toEqual([]);
    expect(await actions.ingestEvents([])).toEqual([]);
    expect(statSync(file).size).toBe(size);
  });

  it('pinEvent pins a held event once; unknown keys and double pins are refused', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.ingestEvents([cloudTrailEvent(1), cloudTrailEvent(2)]);
    await actions.pinEvent(keyOf(2), 'first read of the customer export');
    const s = store.getState().state;
    expect(isPinnedAsOf(s, keyOf(2))).toBe(true);
    expect(isPinnedAsOf(s, keyOf(1))).toBe(false);
    expect(lastEntry(store)).toMatchObject({
      seq: 4,
      kind: 'pin',
      text: `Pinned: GetObject by ${CI_ROLE} on arn:aws:s3:::prod-data/x — first read of the customer export`,
      eventKeys: [keyOf(2)],
      eventTime: Date.UTC(2026, 3, 20, 14, 30, 2),
      discoveredAt: Date.UTC(2026, 3, 20, 14, 37, 2),
    });
    expect((await expectFoldMatches(store, file)).pins).toEqual([[keyOf(2), 4]]);

    await expectRefused(store, file, () => actions.pinEvent(keyOf(2)), /already pinned/);
    await expectRefused(
      store,
      file,
      () => actions.pinEvent('cloudtrail:no-such-event'),
      /no event cloudtrail:no-such-event to pin/,
    );
    await actions.pinEvent(keyOf(1));
    expect(lastEntry(store).text).toBe(`Pinned: GetObject by ${CI_ROLE} on arn:aws:s3:::prod-data/x`);
    await expectFoldMatches(store, file);
  });

  it('raiseDetection adds a detection entry with the triggering event times and the suggested severity', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.ingestEvents([cloudTrailEvent(5), cloudTrailEvent(6)]);
    await actions.raiseDetection({
      ruleId: 'aws.s3.bulk-read-by-ci-role',
      title: 'Bulk S3 reads by a CI role',
      severity: 1,
      eventKeys: ['cloudtrail:not-held', keyOf(6), keyOf(5)],
      why: '2 GetObject calls on prod-data from an address outside the CI range',
    });
    const s = store.getState().state;
    expect(lastEntry(store)).toMatchObject({
      seq: 4,
      kind: 'detection',
      text: 'Bulk S3 reads by a CI role [aws.s3.bulk-read-by-ci-role] — suggests Sev1',
      severity: 1,
      eventKeys: ['cloudtrail:not-held', keyOf(6), keyOf(5)],
      // The first held key's event supplies the times.
      eventTime: Date.UTC(2026, 3, 20, 14, 30, 6),
    });
    expect(s.detections.length).toBe(1);
    expect(suggestedSeverityAsOf(s)).toBe(1);
    await actions.raiseDetection({
      ruleId: 'r2',
      title: 'Export to unknown account',
      severity: 0,
      eventKeys: [],
      why: 'x',
    });
    await actions.raiseDetection({ ruleId: 'r3', title: 'Failed console login', severity: 3, eventKeys: [], why: 'y' });
    expect(suggestedSeverityAsOf(store.getState().state)).toBe(0);
    const live = await expectFoldMatches(store, file);
    expect(live.detections).toBe(3);
    // A suggestion is not a decision: the severity is unset until a responder sets it.
    expect(live.severity).toBeUndefined();
  });

  it('updateIncident records title and the incident times', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.updateIncident({ detectedAt: '2026-04-20T14:35:00Z' });
    expect(lastEntry(store)).toMatchObject({
      seq: 2,
      kind: 'updated',
      text: 'Incident updated: detected at 2026-04-20T14:35:00Z',
    });
    await actions.updateIncident({
      title: 'Exfiltration from prod-data via CI role',
      containedAt: '2026-04-20T15:10:00Z',
    });
    const s = store.getState().state;
    expect(s.incident!.title).toBe('Exfiltration from prod-data via CI role');
    expect(s.incident!.id).toBe('INC-2026-042');
    expect(lastEntry(store).text).toBe(
      'Incident updated: title "Exfiltration from prod-data via CI role", contained at 2026-04-20T15:10:00Z',
    );
    await actions.updateIncident({ resolvedAt: '2026-04-21T09:00:00.000Z' });
    const live = await expectFoldMatches(store, file);
    expect(live.incident!.title).toBe('Exfiltration from prod-data via CI role');
    expect(live.detectedAt).toEqual(['2026-04-20T14:35:00Z']);
    expect(live.containedAt).toEqual(['2026-04-20T15:10:00Z']);
    expect(live.resolvedAt).toEqual(['2026-04-21T09:00:00.000Z']);
    // Not UTC ISO: refused by the record schema, nothing written.
    const size = statSync(file).size;
    await expect(actions.updateIncident({ detectedAt: '20 April 2026' })).rejects.toThrow(/detectedAt/);
    expect(statSync(file).size).toBe(size);
    expect(store.getState().state.seq).toBe(4);
  });

  it('closeSession records the close with and without a reason', async () => {
    const { file, store } = await fresh();
    const { actions } = store.getState();
    await actions.closeSession('handover to the night shift');
    expect(lastEntry(store)).toMatchObject({
      seq: 2,
      kind: 'closed',
      text: 'Session closed: handover to the night shift',
    });
    await actions.closeSession();
    expect(lastEntry(store)).toMatchObject({ seq: 3, kind: 'closed', text: 'Session closed' });
    expect((await expectFoldMatches(store, file)).closed).toEqual(['handover to the night shift', '']);
  });

  it('reopening for writing folds the same state and carries on the chain', async () => {
    const file = tmp.file();
    const first = await newIncident(file, OPENED, { actor: 'alice' });
    const a = first.store.getState().actions;
    await a.setSeverity(1);
    await a.ingestEvents([cloudTrailEvent(1)]);
    await a.pinEvent(keyOf(1));
    await a.assignRole('ic', 'Dana');
    const before = observe(first.store.getState().state);
    await first.journal!.close();

    const again = await openIncident(file, { actor: 'bob' });
    tmp.track(again.journal);
    expect(observe(again.store.getState().state)).toEqual(before);
    // 6: the severity call is followed by a checkpoint.
    expect(again.report).toBe('verified 6 records');
    // The refolded store still refuses a double pin, and appends with the new actor.
    await expect(again.store.getState().actions.pinEvent(keyOf(1))).rejects.toBeInstanceOf(CommandError);
    await again.store.getState().actions.addNote('resumed after a reboot');
    expect(lastEntry(again.store)).toMatchObject({ seq: 7, actor: 'bob', text: 'resumed after a reboot' });
    await expectFoldMatches(again.store, file);
  });
});

describe('read-only store', () => {
  it('refuses every command with a CommandError and writes nothing', async () => {
    const { file, store: writer } = await fresh();
    await writer.getState().actions.ingestEvents([cloudTrailEvent(1)]);
    await writer.getState().actions.setPhase('recovery');
    // The writer holds the lock; a reader must not need it.
    await expect(openIncident(file, {})).rejects.toThrow(/already open for writing/);

    const bytes = readFileSync(file);
    const { mtimeMs } = statSync(file);
    const entries = readdirSync(tmp.dir()).sort();
    const ro = await openIncident(file, { readOnly: true });
    expect(ro.journal).toBeUndefined();
    const { actions, meta, state } = ro.store.getState();
    expect(meta.readOnly).toBe(true);
    expect(state.seq).toBe(4); // the phase change and its checkpoint

    const attempts: [string, () => Promise<unknown>][] = [
      ['setSeverity', () => actions.setSeverity(0)],
      ['setPhase', () => actions.setPhase('review')],
      ['advancePhase', () => actions.advancePhase()],
      ['assignRole', () => actions.assignRole('ic', 'Mallory')],
      ['addNote', () => actions.addNote('should not be recorded')],
      ['pinEvent', () => actions.pinEvent(keyOf(1))],
      ['updateIncident', () => actions.updateIncident({ containedAt: '2026-04-20T15:00:00Z' })],
      ['ingestEvents', () => actions.ingestEvents([cloudTrailEvent(9)])],
      [
        'raiseDetection',
        () => actions.raiseDetection({ ruleId: 'r', title: 't', severity: 2, eventKeys: [], why: 'w' }),
      ],
      ['closeSession', () => actions.closeSession('done')],
    ];
    for (const [name, f] of attempts) {
      const err = await f().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(CommandError);
      expect((err as Error).message, name).toMatch(/read-only/);
    }
    expect(ro.store.getState().state).toBe(state);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    expect(readdirSync(tmp.dir()).sort()).toEqual(entries);
  });

  it('a read-only open takes no lock and leaves no lock behind', async () => {
    const { file, store } = await fresh();
    await store.getState().actions.addNote('before review');
    const ro = await openIncident(file, { readOnly: true });
    expect(ro.report).toBe('verified 2 records');
    expect(ro.store.getState().meta).toMatchObject({ file, readOnly: true, health: { state: 'durable', records: 2 } });
    // Closing the writer removes the only lock; the reader never made one.
    await tmp.closeAll();
    expect(existsSync(`${file}.lock`)).toBe(false);
    const again = await openIncident(file, { readOnly: true });
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(observe(again.store.getState().state)).toEqual(observe(ro.store.getState().state));
  });
});

describe('selectors as of a seq', () => {
  it('return what was true at each intermediate seq', async () => {
    const { file, store } = await fresh();
    const a = store.getState().actions;
    // Severity and phase changes are each followed by the journal's checkpoint (cp).
    await a.setSeverity(2, 'suspicious reads'); // 2, cp 3
    await a.setPhase('triage'); // 4, cp 5
    await a.assignRole('ic', 'Dana'); // 6
    await a.ingestEvents([cloudTrailEvent(1), cloudTrailEvent(2)]); // 7, 8
    await a.raiseDetection({ ruleId: 'bulk', title: 'Bulk reads', severity: 0, eventKeys: [keyOf(1)], why: 'w' }); // 9
    await a.setSeverity(0, 'exfiltration confirmed'); // 10, cp 11
    await a.assignRole('ic', 'Priya'); // 12
    await a.pinEvent(keyOf(2)); // 13
    await a.ingestEvents([cloudTrailEvent(3)]); // 14
    await a.advancePhase(); // 15 containment, cp 16
    await a.addNote('keys revoked'); // 17

    for (const s of [store.getState().state, await refold(file)]) {
      expect(s.seq).toBe(17);
      expect(severityAsOf(s, 1)).toBeUndefined();
      expect(severityAsOf(s, 2)).toMatchObject({ value: 2, reason: 'suspicious reads' });
      expect(severityAsOf(s, 9)!.value).toBe(2);
      expect(severityAsOf(s, 10)).toMatchObject({ value: 0, reason: 'exfiltration confirmed' });
      expect(severityAsOf(s)!.value).toBe(0);

      expect(phaseAsOf(s, 3)).toBe('detection');
      expect(phaseAsOf(s, 4)).toBe('triage');
      expect(phaseAsOf(s, 14)).toBe('triage');
      expect(phaseAsOf(s, 15)).toBe('containment');

      expect(rolesAsOf(s, 5).size).toBe(0);
      expect(rolesAsOf(s, 6).get('ic')!.value.person).toBe('Dana');
      expect(rolesAsOf(s, 11).get('ic')!.value.person).toBe('Dana');
      expect(rolesAsOf(s, 12).get('ic')!.value.person).toBe('Priya');

      expect(suggestedSeverityAsOf(s, 8)).toBeUndefined();
      expect(suggestedSeverityAsOf(s, 9)).toBe(0);

      expect(eventsAsOf(s, 0, 100, 6)).toEqual([]);
      expect(eventsAsOf(s, 0, 100, 7).map((e) => e.key)).toEqual([keyOf(1)]);
      expect(eventsAsOf(s, 0, 100, 13).map((e) => e.key)).toEqual([keyOf(1), keyOf(2)]);
      expect(eventsAsOf(s, 0, 100).map((e) => e.key)).toEqual([keyOf(1), keyOf(2), keyOf(3)]);
      expect(eventsAsOf(s, 1, 2).map((e) => e.key)).toEqual([keyOf(2)]);

      expect(timelineAsOf(s, 0, 100, 1).map((e) => e.kind)).toEqual(['opened']);
      // Checkpoints stay off the timeline.
      expect(timelineAsOf(s, 0, 100, 8).map((e) => e.seq)).toEqual([1, 2, 4, 6]);
      expect(timelineAsOf(s, 0, 100, 12).map((e) => e.kind)).toEqual([
        'opened',
        'severity',
        'phase',
        'role',
        'detection',
        'severity',
        'role',
      ]);
      expect(timelineAsOf(s, 0, 100).map((e) => e.seq)).toEqual([1, 2, 4, 6, 9, 10, 12, 13, 15, 17]);
      expect(timelineAsOf(s, 5, 7, 13).map((e) => e.text)).toEqual([
        'Severity set to Sev0 Critical — exfiltration confirmed',
        'Incident commander: Dana → Priya',
      ]);

      expect(isPinnedAsOf(s, keyOf(2), 12)).toBe(false);
      expect(isPinnedAsOf(s, keyOf(2), 13)).toBe(true);
    }
  });

  it('an older state object keeps its own view after later commands (shared logs bounded by seq)', async () => {
    const { store } = await fresh();
    const a = store.getState().actions;
    await a.addNote('first');
    const old = store.getState().state;
    await a.addNote('second');
    await a.ingestEvents([cloudTrailEvent(1)]);
    expect(timelineAsOf(old, 0, 100).map((e) => e.text)).toEqual([
      `Incident INC-2026-042 opened: ${OPENED.title}`,
      'first',
    ]);
    expect(eventsAsOf(old, 0, 100)).toEqual([]);
  });
});

// ---- fault injection -------------------------------------------------------------------------

function faultyIO(plan: { failSync: boolean; failWrite?: boolean }) {
  return async (file: string, flags: 'a' | 'ax'): Promise<JournalIO> => {
    const real = await openAppendIO(file, flags);
    const eio = () =>
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO', errno: -5, syscall: 'fdatasync' });
    return {
      write: async (d) => {
        if (plan.failWrite) {
          plan.failWrite = false;
          throw eio();
        }
        return real.write(d);
      },
      sync: async () => {
        if (plan.failSync) {
          plan.failSync = false; // once: a retried fsync would "succeed" (fsyncgate)
          throw eio();
        }
        return real.sync();
      },
      close: () => real.close(),
    };
  };
}

describe('after an I/O failure the store fails closed', () => {
  it('a failed sync marks the journal unsafe, rejects the command, keeps the state, and refuses everything after', async () => {
    const plan = { failSync: false };
    const { file, store } = await fresh('incident.jsonl', { io: faultyIO(plan) });
    const a = store.getState().actions;
    await a.setSeverity(1);
    await a.ingestEvents([cloudTrailEvent(1)]);
    const healthUpdates: string[] = [];
    store.subscribe((s) => healthUpdates.push(s.meta.health.state));
    const before = store.getState().state;
    expect(store.getState().meta.health.state).toBe('durable');

    plan.failSync = true;
    const err = await a.addNote('this note is never acknowledged').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JournalUnsafeError);
    expect((err as Error).message).toMatch(/UNSAFE.*EIO/);

    const { meta, state } = store.getState();
    expect(meta.health.state).toBe('unsafe');
    expect(meta.health.reason).toMatch(/^EIO: /);
    expect(healthUpdates).toContain('unsafe');
    expect(state).toBe(before);
    expect(state.seq).toBe(4); // severity, its checkpoint, one event
    expect(timelineAsOf(state, 0, 100).map((e) => e.kind)).toEqual(['opened', 'severity']);

    const size = statSync(file).size;
    const later: (() => Promise<unknown>)[] = [
      () => a.addNote('retry'),
      () => a.setSeverity(0),
      () => a.setPhase('containment'),
      () => a.advancePhase(),
      () => a.assignRole('ic', 'Dana'),
      () => a.pinEvent(keyOf(1)),
      () => a.updateIncident({ containedAt: '2026-04-20T15:00:00Z' }),
      () => a.ingestEvents([cloudTrailEvent(2)]),
      () => a.raiseDetection({ ruleId: 'r', title: 't', severity: 1, eventKeys: [], why: 'w' }),
      () => a.closeSession(),
    ];
    for (const [i, f] of later.entries()) {
      const e = await f().then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, `command ${i}`).toBeInstanceOf(CommandError);
      expect((e as Error).message, `command ${i}`).toMatch(/UNSAFE/);
    }
    expect(store.getState().state).toBe(before);
    expect(statSync(file).size).toBe(size);
  });

  it('a failed group commit during ingest leaves the events unapplied and the journal unsafe', async () => {
    const plan = { failSync: false, failWrite: false };
    const { file, store } = await fresh('incident.jsonl', { io: faultyIO(plan) });
    const a = store.getState().actions;
    plan.failWrite = true;
    await expect(a.ingestEvents([cloudTrailEvent(1), cloudTrailEvent(2)])).rejects.toBeInstanceOf(JournalUnsafeError);
    const { state, meta } = store.getState();
    expect(state.events.length).toBe(0);
    expect(state.seq).toBe(1);
    expect(meta.health.state).toBe('unsafe');
    await expect(a.ingestEvents([cloudTrailEvent(3)])).rejects.toBeInstanceOf(CommandError);
    expect(observe(await refold(file)).eventCount).toBe(0);
  });
});

// ---- property: the state is the fold of the journal ------------------------------------------

type Cmd =
  | { k: 'severity'; level: SeverityLevel; reason: string }
  | { k: 'phase'; phase: PhaseId; reason: string }
  | { k: 'advance' }
  | { k: 'role'; role: RoleId; person: string }
  | { k: 'note'; text: string }
  | { k: 'ingest'; ids: number[] }
  | { k: 'pin'; id: number; comment: string }
  | { k: 'detect'; severity: SeverityLevel; ids: number[] }
  | { k: 'update'; hour: number }
  | { k: 'close'; reason: string };

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '   ', 'a, "b" | c\n=SUM(A1)', '\u001b]0;pwned\u0007 \u202e'),
);
const level = fc.constantFrom<SeverityLevel>(0, 1, 2, 3);
const eventId = fc.integer({ min: 1, max: 6 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ k: fc.constant('severity' as const), level, reason: text }),
  fc.record({ k: fc.constant('phase' as const), phase: fc.constantFrom(...PHASE_IDS), reason: text }),
  fc.constant({ k: 'advance' as const }),
  fc.record({ k: fc.constant('role' as const), role: fc.constantFrom(...ROLE_IDS), person: text }),
  fc.record({ k: fc.constant('note' as const), text }),
  fc.record({ k: fc.constant('ingest' as const), ids: fc.array(eventId, { maxLength: 4 }) }),
  fc.record({ k: fc.constant('pin' as const), id: eventId, comment: text }),
  fc.record({ k: fc.constant('detect' as const), severity: level, ids: fc.array(eventId, { maxLength: 3 }) }),
  fc.record({ k: fc.constant('update' as const), hour: fc.integer({ min: 0, max: 23 }) }),
  fc.record({ k: fc.constant('close' as const), reason: text }),
);

describe('property: any command sequence, then reopen', () => {
  it('folds to an identical timeline and identical scalars, and refusals match a simple model', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 14 }), async (cmds) => {
        const file = tmp.file(`prop-${run++}.jsonl`);
        const { store, journal } = await newIncident(file, OPENED, { actor: 'alice' });
        try {
          const a = store.getState().actions;
          const model = {
            phase: 'detection' as PhaseId,
            severity: undefined as SeverityLevel | undefined,
            held: new Set<number>(),
            pinned: new Set<number>(),
            roles: new Map<string, string>(),
            records: 1,
          };
          for (const c of cmds) {
            let refused = false;
            const t = async (f: () => Promise<unknown>) => {
              try {
                await f();
              } catch (e) {
                if (!(e instanceof CommandError)) throw e;
                refused = true;
              }
            };
            switch (c.k) {
              case 'severity':
                await t(() => a.setSeverity(c.level, c.reason));
                model.severity = c.level;
                model.records += 2; // and the journal's checkpoint
                break;
              case 'phase':
                await t(() => a.setPhase(c.phase, c.reason));
                model.phase = c.phase;
                model.records += 2;
                break;
              case 'advance': {
                const i = PHASE_IDS.indexOf(model.phase);
                await t(() => a.advancePhase());
                expect(refused).toBe(i === PHASE_IDS.length - 1);
                if (!refused) {
                  model.phase = PHASE_IDS[i + 1]!;
                  model.records += 2;
                }
                break;
              }
              case 'role':
                await t(() => a.assignRole(c.role, c.person));
                expect(refused).toBe(c.person.trim() === '');
                if (!refused) {
                  model.roles.set(c.role, c.person.trim());
                  model.records++;
                }
                break;
              case 'note':
                await t(() => a.addNote(c.text));
                expect(refused).toBe(c.text.trim() === '');
                if (!refused) model.records++;
                break;
              case 'ingest': {
                const added = await a.ingestEvents(c.ids.map((id) => cloudTrailEvent(id)));
                const fresh = new Set(c.ids.filter((id) => !model.held.has(id)));
                expect(added).toHaveLength(fresh.size);
                for (const id of fresh) model.held.add(id);
                model.records += fresh.size;
                break;
              }
              case 'pin':
                await t(() => a.pinEvent(keyOf(c.id), c.comment));
                expect(refused).toBe(!model.held.has(c.id) || model.pinned.has(c.id));
                if (!refused) {
                  model.pinned.add(c.id);
                  model.records++;
                }
                break;
              case 'detect':
                await a.raiseDetection({
                  ruleId: 'aws.s3.bulk-read',
                  title: 'Bulk reads',
                  severity: c.severity,
                  eventKeys: c.ids.map(keyOf),
                  why: 'property',
                });
                model.records++;
                break;
              case 'update':
                await a.updateIncident({ containedAt: `2026-04-20T${String(c.hour).padStart(2, '0')}:00:00Z` });
                model.records++;
                break;
              case 'close':
                await a.closeSession(c.reason);
                model.records++;
                break;
            }
          }
          const s = store.getState().state;
          expect(s.seq).toBe(model.records);
          expect(severityAsOf(s)?.value).toBe(model.severity);
          expect(phaseAsOf(s)).toBe(model.phase);
          expect(Object.fromEntries([...rolesAsOf(s)].map(([r, ch]) => [r, ch.value.person]))).toEqual(
            Object.fromEntries(model.roles),
          );
          expect(s.events.length).toBe(model.held.size);
          expect(s.pins.size).toBe(model.pinned.size);

          const live = observe(s);
          const disk = observe(await refold(file));
          expect(disk.timeline.map((e) => [e.seq, e.kind, e.text])).toEqual(
            live.timeline.map((e) => [e.seq, e.kind, e.text]),
          );
          expect(disk).toEqual(live);
        } finally {
          await journal!.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
