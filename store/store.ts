// The one zustand store (vanilla: the views subscribe through a React hook, the CLI and tests use
// it directly). Commands validate, append to the journal, wait until the record is durable, then
// apply it: state changes no other way, and nothing on screen is ahead of the disk.

import { randomBytes } from 'node:crypto';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { eventKey, type IncidentEvent } from '../src/domain/event.js';
import { isPhaseId, nextPhase, type PhaseId } from '../src/domain/phases.js';
import { isRoleId, type RoleId } from '../src/domain/roles.js';
import { isSeverityLevel, type SeverityLevel } from '../src/domain/severity.js';
import type { Journal, JournalHealth } from '../src/journal/journal.js';
import type { RecordData, RecordType } from '../src/journal/records.js';
import type { ScannedRecord } from '../src/journal/scan.js';
import { JournalUnsafeError } from '../src/journal/errors.js';
import { applyAll, Fold } from './apply.js';
import { activeArmings, armMinutes, lapsedArmings } from './arming.js';
import { phaseAsOf } from './selectors.js';
import { approvalsOf } from './approval.js';
import { DEFAULT_APPROVAL_TTL_MINUTES, whyNotDecide } from '../src/journal/share/approval.js';
import { emptyState, type IncidentState, type StoreMeta } from './state.js';

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface Commands {
  setSeverity(level: SeverityLevel, reason?: string): Promise<void>;
  setPhase(phase: PhaseId, reason?: string): Promise<void>;
  /** Moves to the next lifecycle phase; refused at the last one. */
  advancePhase(reason?: string): Promise<void>;
  assignRole(role: RoleId, person: string): Promise<void>;
  addNote(text: string): Promise<void>;
  pinEvent(key: string, comment?: string): Promise<void>;
  /** Records the incident's detected / contained / resolved times (UTC ISO). */
  updateIncident(data: RecordData<'incident.updated'>): Promise<void>;
  /** Bulk ingest: drops events already held, group-commits the rest, resolves with those (new) ones. */
  ingestEvents(events: readonly IncidentEvent[], actor?: string): Promise<IncidentEvent[]>;
  raiseDetection(d: RecordData<'detection.raised'>, actor?: string): Promise<void>;
  /** Many detections from one ingest batch: one group commit instead of one fsync each. */
  raiseDetections(ds: readonly RecordData<'detection.raised'>[], actor?: string): Promise<void>;
  closeSession(reason?: string): Promise<void>;
  /** Records a drill facilitator's inject. */
  recordInject(id: string, text: string, simTime: string, actor?: string): Promise<void>;
  /**
   * Arms this session for `target` (the account or cluster) after its name was typed back, for
   * ARM_MINUTES from `now` (store/arming.ts); arming it again extends it.
   */
  armSession(target: string, confirmedName: string, now?: number): Promise<void>;
  /** Ends this session's armings (of `target`, or all); resolves to the targets disarmed. */
  disarmSession(target?: string, now?: number): Promise<string[]>;
  /** Journals the end of this session's armings whose time ran out; resolves to their targets. */
  expireArmings(now?: number): Promise<string[]>;
  /**
   * One stage of an action's lifecycle (store/action-runner.ts owns the order and the checks).
   * Always a synchronous append: `action.started` must be on disk before the first API call.
   */
  recordAction<T extends ActionRecordType>(type: T, data: RecordData<T>): Promise<void>;
  flagExfiltration(active: boolean, reason: string): Promise<void>;
  recordEvidence(data: RecordData<'evidence.recorded'>): Promise<void>;
  transferCustody(data: RecordData<'custody.transferred'>): Promise<void>;
  /** Evidence with its first custody entry, many at once (import's source files): one group commit. */
  recordEvidenceWithCustody(
    items: readonly { evidence: RecordData<'evidence.recorded'>; custody: RecordData<'custody.transferred'> }[],
    actor?: string,
  ): Promise<void>;
  recordUpdate(data: RecordData<'update.recorded'>): Promise<void>;
  setCadence(hours: number): Promise<void>;
  flagPersonalData(data: RecordData<'personal-data.flagged'>): Promise<void>;
  decideNotification(data: RecordData<'notification.decided'>): Promise<void>;
  /** Adds an action item; without `itemId` the next free `AI-n` is taken. Resolves to its id. */
  addActionItem(data: Omit<RecordData<'action-item.added'>, 'itemId'> & { itemId?: string }): Promise<string>;
  updateActionItem(data: RecordData<'action-item.updated'>): Promise<void>;
  updatePostmortem(data: RecordData<'postmortem.updated'>): Promise<void>;
  recordRunbookStep(data: RecordData<'runbook.step'>): Promise<void>;
  recordScore(data: RecordData<'drill.scored'>, actor?: string): Promise<void>;
  /** A hunt's outcome (hunt.ran), after its events went in through the ingest path. */
  recordHunt(data: RecordData<'hunt.ran'>, actor?: string): Promise<void>;
  /** A shared incident: names this journal's writer (once; store/share-session.ts). */
  recordShareWriter(writerId: string): Promise<void>;
  /** `:policy approval destructive|off [minutes]`: two-person approval for destructive actions. */
  setApprovalPolicy(require: 'destructive' | 'off', ttlMinutes?: number): Promise<void>;
  /** The action runner asks another writer to approve a plan (store/action-runner.ts). */
  requestApproval(data: RecordData<'approval.requested'>): Promise<void>;
  /** `:approve ID` / `:reject ID reason`: answers another writer's request (never one's own). */
  decideApproval(requestId: string, decision: 'approved' | 'rejected', reason?: string): Promise<void>;
}

export type ActionRecordType =
  | 'action.planned'
  | 'action.dryrun'
  | 'action.confirmed'
  | 'action.started'
  | 'action.captured'
  | 'action.call'
  | 'action.succeeded'
  | 'action.failed'
  | 'action.verified';

export interface StoreShape {
  state: IncidentState;
  meta: StoreMeta;
  actions: Commands;
}

export type IncidentStore = StoreApi<StoreShape>;

export interface StoreOptions {
  journal?: Journal;
  /** Review mode: every command is refused. */
  readOnly?: boolean;
  file?: string;
  openReport?: string;
}

/** The actor of records firebreak made itself (ingested events, raised detections). */
export const SOURCE_ACTOR = 'firebreak';

const READ_ONLY_HEALTH: JournalHealth = { state: 'durable', records: 0, head: '' };

export function createIncidentStore(opts: StoreOptions = {}): IncidentStore {
  const journal = opts.journal;
  // This cockpit process: armings are its own, so a reopened journal starts disarmed.
  const sessionId = `s-${randomBytes(6).toString('hex')}`;
  const store = createStore<StoreShape>()(() => ({
    state: emptyState(),
    meta: {
      file: opts.file ?? journal?.file,
      readOnly: opts.readOnly ?? !journal,
      health: journal?.health ?? READ_ONLY_HEALTH,
      openReport: opts.openReport,
      loadedSeq: 0,
      lastWrittenSeq: 0,
      session: sessionId,
    },
    // A getter: createStore runs this initializer at once, before `commands` below exists (TDZ).
    get actions() {
      return commands;
    },
  }));

  // Acks can settle in any microtask order; the fold must see records in seq order.
  const early = new Map<number, ScannedRecord>();
  function applyPlaced(placed: readonly ScannedRecord[]): void {
    const prev = store.getState().state;
    for (const p of placed) early.set(p.record.seq, p);
    const ready: ScannedRecord[] = [];
    for (let seq = prev.seq + 1, next = early.get(seq); next; next = early.get(++seq)) {
      early.delete(seq);
      ready.push(next);
    }
    const state = ready.length ? applyAll(prev, ready) : prev;
    store.setState({ state, meta: { ...store.getState().meta, health: journal!.health } });
  }

  // The journal writes checkpoints by itself; they take seqs, so the in-order fold needs them.
  journal?.onCheckpoint((placed) => applyPlaced([placed]));

  function writable(): Journal {
    if (!journal || store.getState().meta.readOnly)
      throw new CommandError('read-only: this journal is open for review; nothing can be changed');
    const h = journal.health;
    if (h.state === 'unsafe')
      throw new CommandError(new JournalUnsafeError(journal.file, h.reason ?? 'I/O error').message);
    return journal;
  }

  /**
   * Machine-made records (ingest, detections) name their source, not the person at the keys.
   * `trusted` (Journal AppendOptions) only for data built by firebreak's code with nothing typed in.
   */
  async function append<T extends RecordType>(
    type: T,
    data: RecordData<T>,
    actor?: string,
    trusted = false,
  ): Promise<void> {
    const j = writable();
    try {
      const placed = await j.append(type, data, { ...(actor ? { actor } : {}), ...(trusted ? { trusted } : {}) });
      applyPlaced([placed]);
      store.setState({ meta: { ...store.getState().meta, lastWrittenSeq: placed.record.seq } });
    } finally {
      // An I/O failure flips the journal to unsafe: show it even though nothing was applied.
      if (j.health.state === 'unsafe') store.setState({ meta: { ...store.getState().meta, health: j.health } });
    }
  }

  /** Machine-made batches: one group commit, applied once durable. */
  async function appendGroup(j: Journal, items: Parameters<Journal['appendMany']>[0]): Promise<void> {
    try {
      const placed = await j.appendMany(items);
      applyPlaced(placed);
      const last = placed.filter((p) => p.record.type !== 'checkpoint').at(-1);
      if (last) store.setState({ meta: { ...store.getState().meta, lastWrittenSeq: last.record.seq } });
    } finally {
      if (j.health.state === 'unsafe') store.setState({ meta: { ...store.getState().meta, health: j.health } });
    }
  }

  // Keys of events appended but not yet applied: a second batch started while the first is still
  // syncing (pipelined import, live pollers) must not journal the same event again.
  const ingesting = new Set<string>();

  const commands: Commands = {
    async setSeverity(level, reason) {
      if (!isSeverityLevel(level)) throw new CommandError(`unknown severity ${String(level)}: use 0–3`);
      await append('severity.set', reason ? { level, reason } : { level });
    },
    async setPhase(phase, reason) {
      if (!isPhaseId(phase)) throw new CommandError(`unknown phase ${String(phase)}`);
      await append('phase.set', reason ? { phase, reason } : { phase });
    },
    async advancePhase(reason) {
      const next = nextPhase(phaseAsOf(store.getState().state));
      if (!next) throw new CommandError('already in the last phase (Post-incident review)');
      await commands.setPhase(next, reason);
    },
    async assignRole(role, person) {
      if (!isRoleId(role)) throw new CommandError(`unknown role ${String(role)}`);
      const who = person.trim();
      if (!who) throw new CommandError('a role needs a person');
      // The hand-off is written down, not only derived: the journal is what the post-mortem reads.
      const from = store.getState().state.roles.findLast((c) => c.value.role === role)?.value.person;
      await append('role.assigned', { role, person: who, ...(from && from !== who ? { from } : {}) });
    },
    async addNote(text) {
      const t = text.trim();
      if (!t) throw new CommandError('an empty note is not recorded');
      await append('note.added', { text: t });
    },
    async pinEvent(key, comment) {
      const s = store.getState().state;
      if (!s.eventIndex.has(key)) throw new CommandError(`no event ${key} to pin`);
      if (s.pins.has(key)) throw new CommandError('this event is already pinned to the timeline');
      await append('event.pinned', comment ? { key, comment } : { key });
    },
    async updateIncident(data) {
      await append('incident.updated', data);
    },
    async ingestEvents(events, actor = SOURCE_ACTOR) {
      const j = writable();
      const held = store.getState().state.eventIndex;
      const keys: string[] = [];
      const fresh = events.filter((e) => {
        const k = eventKey(e);
        if (held.has(k) || ingesting.has(k)) return false;
        ingesting.add(k);
        keys.push(k);
        return true;
      });
      if (fresh.length === 0) return [];
      try {
        await appendGroup(
          j,
          fresh.map((event) => ({ type: 'event.ingested' as const, data: { event }, actor })),
        );
      } finally {
        for (const k of keys) ingesting.delete(k);
      }
      return fresh;
    },
    // Detections are built by the rule engine from rules checked when they load: typed, trusted.
    // Events stay validated: they are the edge where imported and polled records come in.
    async raiseDetection(d, actor = SOURCE_ACTOR) {
      await append('detection.raised', d, actor, true);
    },
    async raiseDetections(ds, actor = SOURCE_ACTOR) {
      if (ds.length === 0) return;
      await appendGroup(
        writable(),
        ds.map((data) => ({ type: 'detection.raised' as const, data, actor, trusted: true })),
      );
    },
    async closeSession(reason) {
      await append('session.closed', reason ? { reason } : {});
    },
    async recordInject(id, text, simTime, actor = 'drill') {
      await append('drill.inject', { id, text, simTime }, actor);
    },
    async armSession(target, confirmedName, now = Date.now()) {
      if (confirmedName.trim() !== target) throw new CommandError(`type "${target}" exactly to arm the session`);
      const until = new Date(now + armMinutes() * 60_000).toISOString();
      await append('session.armed', { target, confirmedName: confirmedName.trim(), session: sessionId, until });
    },
    async disarmSession(target, now = Date.now()) {
      const ends = activeArmings(store.getState().state, sessionId, now).filter((a) => !target || a.target === target);
      for (const a of ends)
        await append('session.disarmed', { target: a.target, session: sessionId, reason: 'disarmed' });
      return ends.map((a) => a.target);
    },
    async expireArmings(now = Date.now()) {
      if (store.getState().meta.readOnly) return [];
      const ends = lapsedArmings(store.getState().state, sessionId, now);
      for (const a of ends)
        await append('session.disarmed', { target: a.target, session: sessionId, reason: 'expired' }, SOURCE_ACTOR);
      return ends.map((a) => a.target);
    },
    async recordAction(type, data) {
      await append(type, data);
    },
    async flagExfiltration(active, reason) {
      if (!reason.trim()) throw new CommandError('say why (what shows the exfiltration, or why it stopped)');
      await append('exfiltration.flagged', { active, reason: reason.trim() });
    },
    async recordEvidence(data) {
      await append('evidence.recorded', data);
    },
    async transferCustody(data) {
      if (!store.getState().state.evidence.some((e) => e.evidenceId === data.evidenceId))
        throw new CommandError(`no evidence ${data.evidenceId}`);
      await append('custody.transferred', data);
    },
    async recordEvidenceWithCustody(items, actor) {
      if (items.length === 0) return;
      const extra = actor ? { actor } : {};
      await appendGroup(
        writable(),
        items.flatMap((i) => [
          { type: 'evidence.recorded' as const, data: i.evidence, ...extra },
          { type: 'custody.transferred' as const, data: i.custody, ...extra },
        ]),
      );
    },
    async recordUpdate(data) {
      await append('update.recorded', data);
    },
    async setCadence(hours) {
      if (!(hours >= 0.5 && hours <= 24))
        throw new CommandError('cadence is 0.5–24 hours (2–4 h is usual for leadership)');
      await append('cadence.set', { hours });
    },
    async flagPersonalData(data) {
      await append('personal-data.flagged', data);
    },
    async decideNotification(data) {
      await append('notification.decided', data);
    },
    async addActionItem(data) {
      const items = store.getState().state.actionItems;
      let n = items.size + 1;
      while (items.has(`AI-${n}`)) n++;
      const itemId = data.itemId ?? `AI-${n}`;
      if (items.has(itemId)) throw new CommandError(`action item ${itemId} exists`);
      await append('action-item.added', { ...data, itemId });
      return itemId;
    },
    async updateActionItem(data) {
      if (!store.getState().state.actionItems.has(data.itemId)) throw new CommandError(`no action item ${data.itemId}`);
      await append('action-item.updated', data);
    },
    async updatePostmortem(data) {
      await append('postmortem.updated', data);
    },
    async recordRunbookStep(data) {
      await append('runbook.step', data);
    },
    async recordScore(data, actor) {
      await append('drill.scored', data, actor);
    },
    async recordHunt(data, actor) {
      await append('hunt.ran', data, actor);
    },
    async recordShareWriter(writerId) {
      const held = store.getState().state.writerId;
      if (held && held !== writerId) throw new CommandError(`this journal already writes as ${held}`);
      if (!held) await append('share.writer', { writerId });
    },
    async setApprovalPolicy(require, ttlMinutes = DEFAULT_APPROVAL_TTL_MINUTES) {
      if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > 1440)
        throw new CommandError('an approval lasts 1–1440 minutes');
      await append('approval.policy', { require, ttlMinutes });
    },
    async requestApproval(data) {
      await append('approval.requested', data);
    },
    async decideApproval(requestId, decision, reason) {
      const p = approvalsOf(store);
      if (!p)
        throw new CommandError('approvals need a shared incident: start the cockpit with --share s3://bucket/prefix');
      const why = whyNotDecide(await p.book(), requestId, p.writerId);
      if (why) throw new CommandError(why);
      if (decision === 'rejected' && !reason?.trim()) throw new CommandError('say why the plan is rejected');
      const req = (await p.book()).requests.find((r) => r.requestId === requestId)!;
      await append('approval.decided', {
        requestId,
        decision,
        planHash: req.planHash,
        ...(reason?.trim() ? { reason: reason.trim() } : {}),
      });
    },
  };

  return store;
}

/**
 * Folds records without notifying subscribers per record (opening a 1M-record journal must not
 * render 1M times); call `finish` once to publish the result.
 */
export function createLoader(store: IncidentStore): {
  onRecord: (r: ScannedRecord) => void;
  finish: (meta?: Partial<StoreMeta>) => void;
} {
  // One draft for the whole fold (applyAll's contract): nobody sees it before finish().
  const fold = new Fold(store.getState().state);
  return {
    onRecord: (r) => fold.add(r),
    finish: (meta) =>
      store.setState({ state: fold.state, meta: { ...store.getState().meta, loadedSeq: fold.state.seq, ...meta } }),
  };
}
