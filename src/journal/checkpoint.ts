// Checkpoint records: the writer's own record of "the chain stood here". Each one carries the seq
// and the full hash of the record before it. Unsigned, a checkpoint is a head hash worth copying at
// the moments people copy one (a severity call, a phase change, a containment applied, an update
// sent); signed (signing.ts), it anchors the chain without anything copied at all.

import type { AnyRecord, RecordType } from './records.js';

/**
 * At most this many records go by without a checkpoint. It bounds how much of a journal (e.g. a
 * large import) a signed checkpoint leaves uncovered, at the cost of one ~200-byte line per 500
 * records (0.2 % more lines); smaller buys little, since milestones already add their own.
 */
export const CHECKPOINT_EVERY = 500;

/** The records after which a checkpoint is written at once: the decisions a review hangs on. */
const MILESTONES: ReadonlySet<RecordType> = new Set<RecordType>([
  'severity.set',
  'phase.set',
  // A containment action applied, or undone (an undo is its own action with `undoOf`).
  'action.succeeded',
  // An incident update recorded as sent: what left the machine.
  'update.recorded',
]);

export function isMilestone(type: RecordType): boolean {
  return MILESTONES.has(type);
}

/** Whether a checkpoint is due after a record of `type`, with `since` records since the last one. */
export function checkpointDue(type: RecordType, since: number): boolean {
  return type !== 'checkpoint' && (isMilestone(type) || since >= CHECKPOINT_EVERY);
}

/**
 * Why a checkpoint at `seq` with link `prev` does not match the chain, or undefined when it does.
 * The chain alone would accept any `data`; this makes a checkpoint say only what is true.
 */
export function checkpointMismatch(r: AnyRecord): string | undefined {
  if (r.type !== 'checkpoint') return undefined;
  if (r.data.records !== r.seq - 1)
    return `checkpoint claims ${r.data.records} records, but it follows seq ${r.seq - 1}`;
  if (r.data.head !== r.prev) return 'checkpoint head does not match the hash of the record before it';
  return undefined;
}
