// GuardDuty findings, whichever way they arrive: the finding itself (source 'guardduty', as
// GetFindings returns it), wrapped in an EventBridge event (`detail`), or inside a CloudTrail
// record of guardduty.amazonaws.com (`responseElements.findings`). Severity follows the finding's
// number — GuardDuty's High band (7.0–8.9 and above) is Sev1, Medium (4.0–6.9) Sev2, Low Sev3.

import type { IncidentEvent } from '../domain/event.js';
import type { SeverityLevel } from '../domain/severity.js';
import { arr, at, clip, num, str } from './read.js';
import type { Rule, RuleHit } from './types.js';

interface Finding {
  type: string;
  severity: number;
  title?: string;
  description?: string;
}

function asFinding(x: unknown): Finding | undefined {
  const type = str(at(x, 'type')) ?? str(at(x, 'Type'));
  const severity = num(at(x, 'severity')) ?? num(at(x, 'Severity'));
  if (!type || severity === undefined) return undefined;
  // Archived (suppressed) and sample findings are not about this account's activity.
  if (at(x, 'service', 'archived') === true || at(x, 'service', 'additionalInfo', 'sample') === true) return undefined;
  const title = str(at(x, 'title')) ?? str(at(x, 'Title'));
  const description = str(at(x, 'description')) ?? str(at(x, 'Description'));
  return { type, severity, ...(title ? { title } : {}), ...(description ? { description } : {}) };
}

function findingOf(e: IncidentEvent): Finding | undefined {
  const raw = e.raw;
  if (e.source === 'guardduty')
    return asFinding(raw) ?? asFinding(at(raw, 'detail')) ?? asFinding(arr(at(raw, 'responseElements', 'findings'))[0]);
  if (e.source === 'cloudtrail' && at(raw, 'eventSource') === 'guardduty.amazonaws.com')
    return asFinding(arr(at(raw, 'responseElements', 'findings'))[0]);
  return undefined;
}

export function guardDutySeverity(n: number): SeverityLevel {
  return n >= 7 ? 1 : n >= 4 ? 2 : 3;
}

const BAND = ['Critical', 'High', 'Medium', 'Low'] as const;

export const guardDutyFinding: Rule = {
  id: 'guardduty.finding',
  title: 'GuardDuty finding',
  severity: 1,
  why: 'GuardDuty correlated the account’s own telemetry into a finding; its severity number sets ours (≥7 Sev1, ≥4 Sev2, else Sev3). Read the finding’s action and remote IP first.',
  runbook:
    'credentials-leak: follow the finding type’s GuardDuty remediation; for credential findings revoke the sessions and deactivate the source key after preserving CloudTrail',
  match(e): RuleHit | false {
    const f = findingOf(e);
    if (!f) return false;
    const sev = guardDutySeverity(f.severity);
    const on = e.targets[0] ? ` on ${clip(e.targets[0], 100)}` : '';
    return {
      severity: sev,
      title: `GuardDuty ${BAND[sev]}: ${clip(f.type, 100)}${on}`,
      why: `GuardDuty severity ${f.severity.toFixed(1)}: ${clip(f.title ?? f.description ?? f.type, 400)}`,
    };
  },
};

export const GUARDDUTY_RULES: readonly Rule[] = [guardDutyFinding];
