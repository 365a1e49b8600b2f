// The detector: every observed event goes through every rule; hits become 'detection.raised'
// data. It never throws — a rule that trips over attacker-shaped input simply did not match —
// and it remembers only bounded sets: the last `maxRemembered` event keys (so an event observed
// twice, from an overlapping look-back or a relist, is neither counted nor raised again) and the
// last `maxRemembered` (rule, dedupe key) pairs raised.

import { BoundedSet } from '../domain/bounded-set.js';
import { eventKey, type IncidentEvent } from '../domain/event.js';
import { isSeverityLevel } from '../domain/severity.js';
import { ALL_RULES } from './rules.js';
import type { Detection, Matcher, Rule, RuleHit } from './types.js';

export interface Detector {
  /** The detections this event raises now (usually none). */
  observe(e: IncidentEvent): Detection[];
}

export interface DetectorOptions {
  /** Event keys and raised (rule, key) pairs remembered for dedupe (default 200,000 each). */
  maxRemembered?: number;
}

export function createDetector(rules: readonly Rule[] = ALL_RULES, opts: DetectorOptions = {}): Detector {
  const max = Math.max(1, opts.maxRemembered ?? 200_000);
  const matchers: { rule: Rule; match: Matcher }[] = rules.map((rule) => ({
    rule,
    match: rule.createMatcher ? rule.createMatcher() : rule.match,
  }));
  const seen = new BoundedSet<string>(max);
  const raised = new BoundedSet<string>(max);

  return {
    observe(e) {
      let key: string;
      try {
        key = eventKey(e);
      } catch {
        return [];
      }
      if (seen.has(key)) return [];
      seen.add(key);
      const out: Detection[] = [];
      for (const { rule, match } of matchers) {
        let hit: RuleHit;
        try {
          const r = match(e);
          if (!r) continue;
          hit = r === true ? {} : r;
        } catch {
          continue; // a rule that cannot read the record does not match it
        }
        const dedupe = `${rule.id}\u0000${hit.dedupeKey ?? key}`;
        if (raised.has(dedupe)) continue;
        raised.add(dedupe);
        out.push({
          ruleId: rule.id,
          title: hit.title || rule.title,
          severity: hit.severity !== undefined && isSeverityLevel(hit.severity) ? hit.severity : rule.severity,
          eventKeys: hit.eventKeys?.length ? hit.eventKeys : [key],
          why: hit.why || rule.why,
          runbook: rule.runbook,
        });
      }
      return out;
    },
  };
}
