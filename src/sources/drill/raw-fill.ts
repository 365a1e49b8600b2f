// Fills the time and id fields of a scripted `raw` record from the entry's `at` and `id`, so a
// facilitator who moves an event in time edits one line, not three. Where the file does give a
// field, it must agree: a raw record saying 14:20 on an event scripted at 14:35 would show the
// responder two different truths in the timeline and the detail view.

import type { EventSource } from '../../domain/event.js';

export interface RawConflict {
  /** Path below `raw`. */
  path: string[];
  message: string;
}

type Obj = Record<string, unknown>;

/** Each source writes times its own way; these match what the real producer emits. */
const FORMATS = {
  /** CloudTrail: whole seconds, "2026-04-20T14:32:05Z". */
  seconds: (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  /** GuardDuty: milliseconds, "2026-04-20T14:32:05.000Z". */
  millis: (ms: number) => new Date(ms).toISOString(),
  /** Kubernetes MicroTime: "2026-04-20T14:32:05.000000Z". */
  micros: (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z'),
  /** Falco: nanoseconds, "2026-04-20T14:32:05.000000000Z". */
  nanos: (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000000Z'),
} as const;

interface Field {
  path: string[];
  format: keyof typeof FORMATS;
  /** The field that carries the event's own time: checked against `at` when present. */
  checked: boolean;
}

const TIME_FIELDS: Record<EventSource, Field[]> = {
  cloudtrail: [{ path: ['eventTime'], format: 'seconds', checked: true }],
  'k8s-audit': [
    { path: ['requestReceivedTimestamp'], format: 'micros', checked: true },
    { path: ['stageTimestamp'], format: 'micros', checked: false },
  ],
  // A core/v1 Event's newest occurrence is lastTimestamp; firstTimestamp may be older (count > 1).
  kubernetes: [
    { path: ['lastTimestamp'], format: 'seconds', checked: true },
    { path: ['firstTimestamp'], format: 'seconds', checked: false },
    { path: ['metadata', 'creationTimestamp'], format: 'seconds', checked: false },
  ],
  falco: [{ path: ['time'], format: 'nanos', checked: true }],
  guardduty: [
    { path: ['updatedAt'], format: 'millis', checked: true },
    { path: ['createdAt'], format: 'millis', checked: false },
  ],
};

const ID_FIELD: Record<EventSource, string[] | undefined> = {
  cloudtrail: ['eventID'],
  'k8s-audit': ['auditID'],
  kubernetes: ['metadata', 'uid'],
  // Falco's JSON output has no stable event id of its own; the scenario id stands in.
  falco: undefined,
  guardduty: ['id'],
};

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The object holding the last path segment, created on the way down when `create`. */
function parentOf(raw: Obj, path: string[], create: boolean): Obj | undefined {
  let o = raw;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    if (isObj(next)) o = next;
    else if (next === undefined && create) o = o[k] = {};
    else return undefined;
  }
  return o;
}

/** Returns a filled copy of `raw` (the parsed YAML is not mutated) and any disagreements. */
export function fillRaw(
  source: EventSource,
  raw: Obj,
  atMs: number,
  id: string,
): { raw: Obj; conflicts: RawConflict[] } {
  const out = structuredClone(raw);
  const conflicts: RawConflict[] = [];
  for (const f of TIME_FIELDS[source]) {
    const parent = parentOf(out, f.path, true);
    const key = f.path[f.path.length - 1]!;
    if (!parent) continue;
    const given = parent[key];
    if (given === undefined) {
      parent[key] = FORMATS[f.format](atMs);
    } else if (f.checked && (typeof given !== 'string' || Date.parse(given) !== atMs)) {
      conflicts.push({
        path: f.path,
        message: `${JSON.stringify(given)} disagrees with the entry's at (${FORMATS.seconds(atMs)}); leave it out and it is filled in`,
      });
    }
  }
  const idPath = ID_FIELD[source];
  if (idPath) {
    const parent = parentOf(out, idPath, true);
    const key = idPath[idPath.length - 1]!;
    if (parent && parent[key] === undefined) parent[key] = id;
    else if (parent && parent[key] !== id) {
      conflicts.push({
        path: idPath,
        message: `${JSON.stringify(parent[key])} disagrees with the entry's id ${JSON.stringify(id)}`,
      });
    }
  }
  return { raw: out, conflicts };
}
