// The shape of a drill scenario file, as a facilitator writes it in YAML. Strict objects: a typo
// ("evnets", "severty") must be an error naming the field, not a silently empty drill.

import { z } from 'zod';
import { EVENT_SOURCES } from '../../domain/event.js';
import { INCIDENT_ID_PATTERN } from '../../domain/incident.js';
import { parseSeverity, type SeverityLevel } from '../../domain/severity.js';

/**
 * "+HH:MM:SS" (optionally with a fraction of a second) from the scenario's `start`. Hours are
 * required: "+01:30" would be ambiguous between 1 h 30 min and 1 min 30 s.
 */
const OFFSET_RE = /^\+?(\d{1,3}):([0-5]\d):([0-5]\d(?:\.\d{1,6})?)$/;

export function offsetMs(text: string): number {
  const m = OFFSET_RE.exec(text);
  if (!m) throw new RangeError(`not an offset: ${text}`);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
}

/** Formats ms from the scenario start the way the file writes it, for error messages. */
export function formatOffset(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `+${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

const offset = z.string().regex(OFFSET_RE, 'expected an offset like "+00:12:30" (hours:minutes:seconds after start)');
const utcTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected a UTC time like "2026-04-20T14:10:00Z"');
const text = z.string().trim().min(1, 'must not be empty');
/** Short labels other entries refer to; kept to a safe alphabet so they read well in errors. */
const label = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected lower-case letters, digits, ".", "_" or "-"');

/** 0–3, or what a responder would type: "Sev1", "critical", "high" … */
const severity = z.union([z.number(), z.string()]).transform((v, ctx): SeverityLevel => {
  const level = parseSeverity(String(v));
  if (level === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a severity 0-3, Sev0-Sev3 or critical/high/medium/low, got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return level;
});

export const scenarioEventSchema = z.strictObject({
  /** When it happened (the source's eventTime). */
  at: offset,
  /** Delivery lag (CloudTrail: typically ~5 min, up to ~15): the cockpit sees it at `at + delay`. */
  delay: offset.optional(),
  /** A readable name detections can refer to instead of the (realistic, unreadable) id. */
  ref: label.optional(),
  source: z.enum(EVENT_SOURCES),
  id: text,
  actor: text,
  action: text,
  targets: z.array(z.string()).default([]),
  region: z.string().optional(),
  namespace: z.string().optional(),
  sourceIp: z.string().optional(),
  userAgent: z.string().optional(),
  /** Defaults to "failure" when `errorCode` is set, else "success". */
  outcome: z.enum(['success', 'failure', 'unknown']).optional(),
  errorCode: z.string().optional(),
  /** The record as the real source emits it; its time and id fields are filled from `at`/`id`. */
  raw: z.record(z.string(), z.unknown()),
  /**
   * A branch of the attacker's story: delivered only if the event named (a ref) was stopped by
   * the team's containment (`blocked`: refused or never reaching the service) — or only if it
   * was not (`allowed`). The named event must be delivered before this one.
   */
  when: z.union([z.strictObject({ blocked: label }), z.strictObject({ allowed: label })]).optional(),
});

export const scenarioDetectionSchema = z.strictObject({
  at: offset,
  ruleId: text,
  title: text,
  severity,
  /** The events that triggered it: each an event's `ref` or `id`. */
  events: z.array(text).min(1, 'a detection names at least one triggering event'),
  why: text,
  runbook: z.string().optional(),
});

export const scenarioInjectSchema = z.strictObject({
  at: offset,
  id: label,
  text,
});

/**
 * What the drill's scorecard measures against, in minutes from the first detection. Defaults: the
 * seed's "first 15 minutes" for triage; first evidence within 30 and containment within 60 (a
 * High incident's one-hour response, with evidence before destruction); a first update within 30.
 */
export const DEFAULT_TARGETS = {
  triageMinutes: 15,
  evidenceMinutes: 30,
  containMinutes: 60,
  updateMinutes: 30,
} as const;
const minutes = (d: number) =>
  z
    .number()
    .positive('minutes must be more than 0')
    .max(7 * 24 * 60)
    .default(d);
export const scenarioTargetsSchema = z.strictObject({
  triageMinutes: minutes(DEFAULT_TARGETS.triageMinutes),
  evidenceMinutes: minutes(DEFAULT_TARGETS.evidenceMinutes),
  containMinutes: minutes(DEFAULT_TARGETS.containMinutes),
  updateMinutes: minutes(DEFAULT_TARGETS.updateMinutes),
});
export type ScenarioTargets = z.infer<typeof scenarioTargetsSchema>;

export const scenarioFileSchema = z.strictObject({
  title: text,
  description: text,
  incident: z.strictObject({
    id: z.string().regex(INCIDENT_ID_PATTERN, 'expected an incident id like INC-2026-042'),
    title: text,
    codename: z.string().optional(),
    /** When the incident counts as detected (the first alert), for the header and reports. */
    detectedAt: utcTime.optional(),
  }),
  /** UTC time of offset +00:00:00. */
  start: utcTime,
  /** Free space for YAML anchors (&identity) shared by entries; ignored by the loader. */
  defs: z.unknown().optional(),
  events: z.array(scenarioEventSchema).min(1, 'a scenario needs at least one event'),
  detections: z.array(scenarioDetectionSchema).default([]),
  injects: z.array(scenarioInjectSchema).default([]),
  /** The scorecard's targets (minutes from the first detection); missing ones take the defaults. */
  targets: scenarioTargetsSchema.prefault({}),
  /**
   * The simulated estate the drill's actions act on (packages/cloud-sim/src/cloud.ts CloudSeed). Only the outline
   * is checked here; each sim validates its own part when the drill's first action starts it.
   */
  cloud: z
    .strictObject({
      aws: z
        .strictObject({
          account: z.string().regex(/^\d{12}$/, 'a 12-digit account id'),
          region: z.string().min(1),
          ec2: z.record(z.string(), z.unknown()).optional(),
          iam: z.record(z.string(), z.unknown()).optional(),
          s3: z.record(z.string(), z.unknown()).optional(),
          cloudtrail: z.record(z.string(), z.unknown()).optional(),
          /** EKS clusters and their Pod Identity associations (the cross-plane bundle reads them). */
          eks: z.record(z.string(), z.unknown()).optional(),
          evidenceBucket: z
            .strictObject({
              bucket: z.string().min(1),
              retentionDays: z.number().int().positive(),
              mode: z.enum(['COMPLIANCE', 'GOVERNANCE']).optional(),
            })
            .optional(),
        })
        .optional(),
      kubernetes: z.strictObject({ cluster: z.string().min(1), seed: z.record(z.string(), z.unknown()) }).optional(),
      vault: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type ScenarioEventEntry = ScenarioFile['events'][number];
