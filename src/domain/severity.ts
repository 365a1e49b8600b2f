// Severity scale from the seed ("Triage"): Sev0–3 ≙ Critical / High / Medium / Low, each with the
// criteria that put an incident there and the time within which the response must start.

export const SEVERITY_LEVELS = [0, 1, 2, 3] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

export interface SeverityInfo {
  level: SeverityLevel;
  /** "Sev0" … "Sev3" — what responders say on the call. */
  code: string;
  name: 'Critical' | 'High' | 'Medium' | 'Low';
  criteria: string;
  response: string;
  /**
   * Response SLA in minutes from detection; `null` for "next business day", which is not a fixed
   * duration and is computed by `responseDeadline`.
   */
  slaMinutes: number | null;
}

export const SEVERITIES: readonly SeverityInfo[] = [
  {
    level: 0,
    code: 'Sev0',
    name: 'Critical',
    criteria: 'Active data exfiltration, production database access',
    response: 'Immediate, all hands',
    slaMinutes: 0,
  },
  {
    level: 1,
    code: 'Sev1',
    name: 'High',
    criteria: 'Compromised credentials, lateral movement detected',
    response: 'Within 1 hour',
    slaMinutes: 60,
  },
  {
    level: 2,
    code: 'Sev2',
    name: 'Medium',
    criteria: 'Malware in non-production, suspicious access patterns',
    response: 'Within 4 hours',
    slaMinutes: 240,
  },
  {
    level: 3,
    code: 'Sev3',
    name: 'Low',
    criteria: 'Policy violations, failed attack attempts',
    response: 'Next business day',
    slaMinutes: null,
  },
];

export function isSeverityLevel(x: unknown): x is SeverityLevel {
  return x === 0 || x === 1 || x === 2 || x === 3;
}

export function severityInfo(level: SeverityLevel): SeverityInfo {
  return SEVERITIES[level]!;
}

/** Parses "0", "sev1", "Sev 2", "high", "critical" … as a responder would type them. */
export function parseSeverity(text: string): SeverityLevel | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  const byName = SEVERITIES.find((s) => s.name.toLowerCase() === t);
  if (byName) return byName.level;
  const m = /^(?:sev)?([0-3])$/.exec(t);
  return m ? (Number(m[1]) as SeverityLevel) : undefined;
}

/**
 * When the response must have started, in epoch ms (UTC). "Next business day" means 09:00 UTC on
 * the next Monday–Friday after the detection day: the seed gives no office hours, so UTC morning
 * is the conservative reading for a team spread over time zones.
 */
export function responseDeadline(level: SeverityLevel, detectedAtMs: number): number {
  const sla = severityInfo(level).slaMinutes;
  if (sla !== null) return detectedAtMs + sla * 60_000;
  const d = new Date(detectedAtMs);
  let day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + 86_400_000;
  while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
  return day + 9 * 3_600_000;
}
