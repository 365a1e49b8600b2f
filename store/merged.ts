// The merged incident: every writer's verified chain folded into one read-only store, in the
// merge order (src/journal/share/merge.ts). Merged seqs number the folded records 1..N; `origins`
// maps each back to its writer, its own seq and the object it came from, and each record's actor
// names its writer. Only the first writer's incident.opened is folded: the others open the same
// incident id in their own journals (the chain's genesis), and their share.writer record says
// they joined.

import { findConflicts, mergeOrder, type Conflict } from '../src/journal/share/merge.js';
import type { ApprovalBook, Written } from '../src/journal/share/approval.js';
import { describeRefusal, type Refusal, type SharedRecord, type VerifiedWriter } from '../src/journal/share/verify.js';
import type { AnyRecord, RecordData } from '../src/journal/records.js';
import { createIncidentStore, createLoader, type IncidentStore } from './store.js';

export interface MergedIncident {
  store: IncidentStore;
  /** The record behind merged seq N is origins[N-1]. */
  origins: SharedRecord[];
  conflicts: Conflict[];
  refusals: Refusal[];
  writers: string[];
  book: ApprovalBook;
  /** One line: writers, records, conflicts and refusals. */
  report: string;
}

/** The actor as the merged view shows it: the writer id when it already names the person. */
export function mergedActor(actor: string, writerId: string): string {
  return writerId.startsWith(`${actor}-`) ? writerId : `${actor}@${writerId}`;
}

export function foldMerged(writers: readonly VerifiedWriter[], refusals: readonly Refusal[] = []): MergedIncident {
  const order = mergeOrder(writers);
  let opened = false;
  const origins: SharedRecord[] = [];
  const store = createIncidentStore({ readOnly: true });
  const loader = createLoader(store);
  const requests: Written<RecordData<'approval.requested'>>[] = [];
  const decisions: Written<RecordData<'approval.decided'>>[] = [];
  let policy: ApprovalBook['policy'];
  for (const o of order) {
    const r = o.record;
    if (r.type === 'incident.opened') {
      if (opened) continue;
      opened = true;
    }
    const by = { writerId: o.writerId, ts: r.ts, actor: r.actor };
    if (r.type === 'approval.policy') policy = r.data;
    if (r.type === 'approval.requested') requests.push({ ...r.data, ...by });
    if (r.type === 'approval.decided') decisions.push({ ...r.data, ...by });
    origins.push(o);
    const record: AnyRecord = { ...r, seq: origins.length, actor: mergedActor(r.actor, o.writerId) };
    // Merged records have no offset in one file: the event detail reads `raw` from the record.
    loader.onRecord({ record, offset: -1, length: 0 });
  }
  const conflicts = findConflicts(order);
  const open = conflicts.filter((c) => c.open);
  const parts = [`merged ${origins.length} records from ${writers.length} writer(s)`];
  for (const c of open)
    parts.push(
      `CONFLICT ${c.field}: ${c.sides.map((s) => `${s.value} by ${mergedActor(s.actor, s.writerId)}`).join(' vs ')}`,
    );
  for (const r of refusals) parts.push(describeRefusal(r));
  const report = parts.join('; ');
  loader.finish({ health: { state: 'durable', records: origins.length, head: '' }, openReport: report });
  return {
    store,
    origins,
    conflicts,
    refusals: [...refusals],
    writers: writers.map((w) => w.writerId),
    book: { policy, requests, decisions },
    report,
  };
}
