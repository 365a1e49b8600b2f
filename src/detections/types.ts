// What a detection rule is. A rule is data a responder can read (id, title, severity, why,
// runbook — the help table is generated from it) plus a matcher. Stateless rules give `match`;
// rules that count or remember give `createMatcher`, so each detector owns its own state.

import type { IncidentEvent } from '../domain/event.js';
import type { SeverityLevel } from '../domain/severity.js';
import type { RecordData } from '../journal/records.js';

/** What a matcher may say beyond "yes": a sharper severity, title or why, more events. */
export interface RuleHit {
  severity?: SeverityLevel;
  title?: string;
  why?: string;
  /** The events behind the detection; defaults to the observed event alone. */
  eventKeys?: string[];
  /**
   * What makes two hits the same detection; defaults to the observed event's key. Windowed rules
   * use principal + window, audit rules the auditID (one request logs up to three stages).
   */
  dedupeKey?: string;
}

/** `false`, `null` and `undefined` all mean "no match". */
export type RuleResult = boolean | RuleHit | null | undefined;
export type Matcher = (e: IncidentEvent) => RuleResult;

export interface RuleInfo {
  /** `source.what`, stable: journals and drill scenarios name it. */
  id: string;
  title: string;
  /** The severity of the plain case; a hit may raise or lower it (a denied attempt is lower). */
  severity: SeverityLevel;
  /** One or two sentences for the responder at 03:00: what it means and why it matters. */
  why: string;
  /** The runbook and first move it points to. */
  runbook: string;
}

export type Rule = RuleInfo &
  ({ match: Matcher; createMatcher?: never } | { createMatcher: () => Matcher; match?: never });

/** A raised detection: exactly the journal's 'detection.raised' data. */
export type Detection = RecordData<'detection.raised'>;

/** One level less severe (Sev0 → Sev1 … Sev3 stays Sev3): a refused attempt is still an attempt. */
export function lower(s: SeverityLevel): SeverityLevel {
  return s === 3 ? 3 : ((s + 1) as SeverityLevel);
}
