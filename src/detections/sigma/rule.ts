// A parsed Sigma rule as an engine Rule, so it runs beside the built-in rules on the same events.
// The detection carries what the rule's author wrote: the title (with its ATT&CK technique ids),
// the level mapped to firebreak's scale, every tag, and a link to the rule.
//
// Level → Sev follows the names src/domain/severity.ts gives the levels (Sev0 Critical … Sev3 Low):
// critical → Sev0, high → Sev1, medium → Sev2, low and informational → Sev3; a rule without a level
// is Sev3. The level is the rule author's judgement; the incident's severity stays the team's call.

import type { IncidentEvent } from '../../domain/event.js';
import type { SeverityLevel } from '../../domain/severity.js';
import { at, clip, str } from '../read.js';
import type { Rule, RuleHit } from '../types.js';
import type { SigmaLevel, SigmaRule } from './parse.js';

export const LEVEL_SEVERITY: Record<SigmaLevel, SeverityLevel> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  informational: 3,
};

const SOURCE: Record<SigmaRule['target'], IncidentEvent['source']> = {
  cloudtrail: 'cloudtrail',
  'k8s-audit': 'k8s-audit',
};

/** "attack.t1562.008" → "T1562.008"; undefined for tactics and other tags. */
export function attackTechnique(tag: string): string | undefined {
  const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag);
  return m ? m[1]!.toUpperCase() : undefined;
}

/**
 * Where the rule can be read: a SigmaHQ rule (UUID id) is found by its id in the repository's
 * search; a rule of one's own by its first reference, else by nothing more than its id.
 */
export function sigmaLink(r: Pick<SigmaRule, 'id' | 'references'>): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r.id))
    return `https://github.com/SigmaHQ/sigma/search?q=${r.id}`;
  return r.references.find((x) => /^https?:\/\//.test(x)) ?? `sigma rule ${r.id}`;
}

export function sigmaToRule(r: SigmaRule): Rule {
  const severity = r.level ? LEVEL_SEVERITY[r.level] : 3;
  const techniques = [...new Set(r.tags.map(attackTechnique).filter((t): t is string => !!t))];
  const title = clip(`${r.title}${techniques.length ? ` (ATT&CK ${techniques.join(', ')})` : ''}`, 200);
  const link = sigmaLink(r);
  const why = [
    clip((r.description ?? r.title).replace(/\s+/g, ' ').trim(), 600),
    `Sigma rule ${r.id}, level ${r.level ?? 'none'} → Sev${severity}${r.author ? `, by ${clip(r.author, 120)}` : ''}.`,
    r.tags.length ? `Tags: ${clip(r.tags.join(', '), 300)}.` : '',
    `Rule: ${link}`,
  ]
    .filter(Boolean)
    .join(' ');
  const source = SOURCE[r.target];
  return {
    id: `sigma.${r.id}`,
    title,
    severity,
    why,
    runbook: `see the Sigma rule: ${link}`,
    match(e): RuleHit | false {
      if (e.source !== source || !r.matches(e.raw)) return false;
      // One audited request logs up to three stages: one detection per request.
      const auditID = source === 'k8s-audit' ? str(at(e.raw, 'auditID')) : undefined;
      return auditID ? { dedupeKey: `audit:${auditID}` } : {};
    },
  };
}
