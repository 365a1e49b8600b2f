// Turns a validated scenario file into what the runner plays: normalised IncidentEvents with real
// times, detections naming event keys, injects — one list sorted by delivery time. The checks
// here are the ones a schema cannot express (references, uniqueness, causality), each reported
// with the path of the offending field so the loader can point at the YAML line.

import { incidentEventSchema, type IncidentEvent } from '../../domain/event.js';
import { fillRaw } from './raw-fill.js';
import { compareItems, detectionItemId, eventItemId, injectItemId, type DrillItem } from './items.js';
import { formatOffset, offsetMs, type ScenarioFile } from './scenario-schema.js';

export interface ScenarioIssue {
  path: (string | number)[];
  message: string;
}

export interface Scenario {
  /** The file's base name without .yaml; what `firebreak drill <name>` takes. */
  name: string;
  file: string;
  title: string;
  description: string;
  incident: ScenarioFile['incident'];
  /** Epoch ms of offset +00:00:00. */
  startMs: number;
  /** Epoch ms of the last delivery. */
  endMs: number;
  /** Every delivery, sorted by `compareItems`. */
  items: DrillItem[];
  /** The scorecard's targets, in minutes from the first detection. */
  targets: ScenarioFile['targets'];
  /** The simulated estate for the drill's actions (a CloudSeed; packages/cloud-sim/src/cloud.ts). */
  cloud: ScenarioFile['cloud'];
}

/** UTC ISO; whole seconds drop the ".000" so scripted times read like the sources' own. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

export function compileScenario(
  f: ScenarioFile,
  name: string,
  file: string,
): { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] } {
  const issues: ScenarioIssue[] = [];
  const startMs = Date.parse(f.start);
  const items: DrillItem[] = [];
  let order = 0;

  // Events: fill raw, normalise, index by key and by ref.
  const byKey = new Map<string, number>();
  const byRef = new Map<string, number>();
  const byId = new Map<string, number[]>();
  const deliverAt: number[] = [];
  f.events.forEach((e, i) => {
    const atMs = startMs + offsetMs(e.at);
    const at = atMs + (e.delay ? offsetMs(e.delay) : 0);
    deliverAt.push(at);
    const key = eventItemId(e);
    const dup = byKey.get(key);
    if (dup !== undefined)
      issues.push({ path: ['events', i, 'id'], message: `duplicate event ${key} (also events[${dup}])` });
    byKey.set(key, i);
    byId.set(e.id, [...(byId.get(e.id) ?? []), i]);
    if (e.ref !== undefined) {
      const other = byRef.get(e.ref);
      if (other !== undefined)
        issues.push({ path: ['events', i, 'ref'], message: `duplicate ref "${e.ref}" (also events[${other}])` });
      byRef.set(e.ref, i);
    }
    const filled = fillRaw(e.source, e.raw, atMs, e.id);
    // The key that signed the call, as the live CloudTrail source reads it (userIdentity.accessKeyId):
    // without it the leaked key is never offered as a target.
    const identity = (filled.raw as { userIdentity?: { accessKeyId?: unknown } } | undefined)?.userIdentity;
    const accessKeyId =
      e.source === 'cloudtrail' && typeof identity?.accessKeyId === 'string' ? identity.accessKeyId : undefined;
    for (const c of filled.conflicts) issues.push({ path: ['events', i, 'raw', ...c.path], message: c.message });
    const event: IncidentEvent = incidentEventSchema.parse({
      source: e.source,
      id: e.id,
      eventTime: isoUtc(atMs),
      discoveredAt: isoUtc(at),
      actor: e.actor,
      action: e.action,
      targets: e.targets,
      region: e.region,
      namespace: e.namespace,
      sourceIp: e.sourceIp,
      userAgent: e.userAgent,
      outcome: e.outcome ?? (e.errorCode ? 'failure' : 'success'),
      errorCode: e.errorCode,
      accessKeyId,
      raw: filled.raw,
    });
    // zod keeps explicit `undefined` keys; drop them so the journal's canonical JSON stays lean.
    for (const k of Object.keys(event) as (keyof IncidentEvent)[]) if (event[k] === undefined) delete event[k];
    items.push({ kind: 'event', id: key, deliverAt: at, order: order++, event });
  });

  // Branches: resolve the ref each one hangs on; its event must arrive first to decide it.
  f.events.forEach((e, i) => {
    if (!e.when) return;
    const ref = 'blocked' in e.when ? e.when.blocked : e.when.allowed;
    const idx = byRef.get(ref);
    const path = ['events', i, 'when', 'blocked' in e.when ? 'blocked' : 'allowed'];
    if (idx === undefined) return issues.push({ path, message: `no event with ref "${ref}"` });
    // Events were pushed first, one per entry: items[i] is events[i].
    const item = items[i];
    const on = items[idx];
    if (item?.kind !== 'event' || !on) return;
    if (on.deliverAt >= item.deliverAt)
      return issues.push({ path, message: `"${ref}" is delivered at or after this event, so it cannot decide it` });
    item.when = 'blocked' in e.when ? { blocked: on.id } : { allowed: on.id };
  });

  // Detections: resolve references; a rule cannot fire before the cockpit has its events.
  const detectionIds = new Map<string, number>();
  f.detections.forEach((d, i) => {
    const atMs = startMs + offsetMs(d.at);
    const eventKeys: string[] = [];
    d.events.forEach((ref, k) => {
      // A ref, a full key ("cloudtrail:<id>"), or a bare id when only one source uses it.
      const ids = byId.get(ref) ?? [];
      const idx = byRef.get(ref) ?? byKey.get(ref) ?? (ids.length === 1 ? ids[0] : undefined);
      if (idx === undefined) {
        const why =
          ids.length > 1
            ? `ambiguous: several sources use id "${ref}"; write it as <source>:${ref}`
            : `no event with ref or id "${ref}"`;
        issues.push({ path: ['detections', i, 'events', k], message: why });
        return;
      }
      eventKeys.push(eventItemId(f.events[idx]!));
      if (deliverAt[idx]! > atMs) {
        issues.push({
          path: ['detections', i, 'at'],
          message: `fires at ${d.at} but its event "${ref}" is only delivered at ${formatOffset(deliverAt[idx]! - startMs)} (at + delay)`,
        });
      }
    });
    const detection = {
      ruleId: d.ruleId,
      title: d.title,
      severity: d.severity,
      eventKeys,
      why: d.why,
      ...(d.runbook ? { runbook: d.runbook } : {}),
    };
    const id = detectionItemId(detection);
    const dup = detectionIds.get(id);
    if (dup !== undefined)
      issues.push({ path: ['detections', i], message: `same rule and events as detections[${dup}]` });
    detectionIds.set(id, i);
    items.push({ kind: 'detection', id, deliverAt: atMs, order: order++, detection });
  });

  const injectIds = new Map<string, number>();
  f.injects.forEach((inj, i) => {
    const atMs = startMs + offsetMs(inj.at);
    const dup = injectIds.get(inj.id);
    if (dup !== undefined)
      issues.push({ path: ['injects', i, 'id'], message: `duplicate inject id "${inj.id}" (also injects[${dup}])` });
    injectIds.set(inj.id, i);
    items.push({
      kind: 'inject',
      id: injectItemId(inj.id),
      deliverAt: atMs,
      order: order++,
      injectId: inj.id,
      text: inj.text,
      simTime: isoUtc(atMs),
    });
  });

  if (issues.length) return { ok: false, issues };
  items.sort(compareItems);
  const scenario: Scenario = {
    name,
    file,
    title: f.title,
    description: f.description,
    incident: f.incident,
    startMs,
    endMs: items.length ? items[items.length - 1]!.deliverAt : startMs,
    items,
    targets: f.targets,
    cloud: f.cloud,
  };
  return { ok: true, scenario };
}
