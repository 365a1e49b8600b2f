// The closed, versioned union of journal record types. Every record is validated against this on
// append and again on open, so a journal that parses is a journal every later reader understands.
// A new record type is added here (and to the store's `apply`); an incompatible change to an
// existing one bumps RECORD_VERSION and keeps the old schema readable.

import { z } from 'zod';
import { incidentEventSchema } from '../domain/event.js';
import { PHASE_IDS } from '../domain/phases.js';
import { ROLE_IDS } from '../domain/roles.js';

export const RECORD_VERSION = 1;

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'UTC ISO-8601 time');
const severity = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
const text = z.string().min(1).max(100_000);

export const recordDataSchemas = {
  'incident.opened': z.object({
    incidentId: z.string().regex(/^INC-\d{4}-\d{3,6}$/),
    title: text,
    codename: z.string().optional(),
    mode: z.enum(['live', 'drill']),
    scenario: z.string().optional(),
    detectedAt: isoTime.optional(),
  }),
  'incident.updated': z.object({
    title: text.optional(),
    codename: z.string().optional(),
    detectedAt: isoTime.optional(),
    containedAt: isoTime.optional(),
    resolvedAt: isoTime.optional(),
  }),
  'severity.set': z.object({ level: severity, reason: z.string().optional() }),
  'phase.set': z.object({ phase: z.enum(PHASE_IDS), reason: z.string().optional() }),
  'role.assigned': z.object({ role: z.enum(ROLE_IDS), person: z.string().min(1).max(200) }),
  'note.added': z.object({ text }),
  'event.ingested': z.object({ event: incidentEventSchema }),
  'event.pinned': z.object({ key: z.string().min(1), comment: z.string().optional() }),
  'detection.raised': z.object({
    ruleId: z.string().min(1),
    title: z.string().min(1),
    severity,
    eventKeys: z.array(z.string()),
    why: z.string(),
    runbook: z.string().optional(),
  }),
  'session.armed': z.object({ target: z.string().min(1), confirmedName: z.string() }),
  'session.closed': z.object({ reason: z.string().optional() }),
  checkpoint: z.object({ records: z.number().int().nonnegative(), head: z.string() }),
  /** A tabletop facilitator's inject ("Legal asks whether customer PII was read"), drills only. */
  'drill.inject': z.object({ id: z.string().min(1), text, simTime: isoTime }),
} as const;

export type RecordType = keyof typeof recordDataSchemas;
export type RecordData<T extends RecordType> = z.infer<(typeof recordDataSchemas)[T]>;
export const RECORD_TYPES = Object.keys(recordDataSchemas) as RecordType[];

export function isRecordType(x: unknown): x is RecordType {
  return typeof x === 'string' && Object.hasOwn(recordDataSchemas, x);
}

/** A record as it sits on one line of the journal. */
export interface JournalRecord<T extends RecordType = RecordType> {
  v: number;
  seq: number;
  ts: string;
  type: T;
  actor: string;
  data: RecordData<T>;
  prev: string;
  hash: string;
}

/** Any record, narrowed by `type` (switch on it to get typed `data`). */
export type AnyRecord = { [T in RecordType]: JournalRecord<T> }[RecordType];

/** Checks `data` for `type`; returns the parsed data or a one-line reason. */
export function validateData(
  type: RecordType,
  data: unknown,
): { ok: true; data: unknown } | { ok: false; reason: string } {
  const r = recordDataSchemas[type].safeParse(data);
  if (r.success) return { ok: true, data: r.data };
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? `data.${issue.path.join('.')}` : 'data';
  return { ok: false, reason: `${type}: ${where}: ${issue.message}` };
}
