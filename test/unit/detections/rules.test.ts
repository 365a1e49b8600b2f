// Every bundled rule against its positive and negative fixtures (cases.ts), each through a fresh
// detector holding only that rule, plus the rule set's own shape.

import { describe, expect, it } from 'vitest';
import { ALL_RULES, createDetector, describeRules, type Detection } from '../../../src/detections/index.js';
import { recordDataSchemas } from '../../../src/journal/records.js';
import { CASES } from './cases.js';

function run(ruleId: string, events: ReturnType<(typeof CASES)[string]['pos'][number][1]>): Detection[] {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;
  const d = createDetector([rule]);
  return (Array.isArray(events) ? events : [events]).flatMap((e) => d.observe(e));
}

describe('rule set', () => {
  it('has at least 20 rules with unique ids and readable metadata', () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^(cloudtrail|guardduty|k8s|falco)\.[a-z0-9-]+$/);
      expect(r.why.length, r.id).toBeGreaterThan(40);
      expect(r.runbook, r.id).toMatch(/^[a-z-]+: /);
    }
  });

  it('describeRules gives the help table and nothing executable', () => {
    const rows = describeRules();
    expect(rows.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['id', 'runbook', 'severity', 'title', 'why']);
  });

  it('every rule has positive and negative fixtures', () => {
    for (const r of ALL_RULES) {
      expect(CASES[r.id]?.pos.length ?? 0, r.id).toBeGreaterThan(0);
      expect(CASES[r.id]?.neg.length ?? 0, r.id).toBeGreaterThan(0);
    }
  });
});

for (const [ruleId, c] of Object.entries(CASES)) {
  describe(ruleId, () => {
    for (const [name, make, severity] of c.pos) {
      it(`raises: ${name} (Sev${severity})`, () => {
        const hits = run(ruleId, make());
        expect(hits.map((h) => h.ruleId)).toEqual([ruleId]);
        const h = hits[0]!;
        expect(h.severity).toBe(severity);
        expect(recordDataSchemas['detection.raised'].safeParse(h).success).toBe(true);
        expect(h.eventKeys.length).toBeGreaterThan(0);
        expect(h.runbook).toBeTruthy();
      });
    }
    for (const [name, make] of c.neg) {
      it(`does not raise: ${name}`, () => {
        expect(run(ruleId, make())).toEqual([]);
      });
    }
  });
}
