// A scripted detection names a rule the engine has, so a trainee who looks the rule up finds it.
// The list stays as the place to pin a rule a scenario scripts before the engine has it.

import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../src/detections/index.js';
import { loadScenario } from '../../../src/sources/drill/scenario.js';

const NOT_YET_RULES: Record<string, string[]> = {
  'inc-2026-042': [],
  'k8s-compromised-pod': [],
};

describe('scripted detections', () => {
  for (const [name, pending] of Object.entries(NOT_YET_RULES))
    it(`${name} names only real rules (besides the pinned ones)`, async () => {
      const real = new Set(ALL_RULES.map((r) => r.id));
      const s = await loadScenario(name);
      const ids = s.items.flatMap((i) => (i.kind === 'detection' ? [i.detection.ruleId] : []));
      expect([...new Set(ids.filter((id) => !real.has(id)))].sort()).toEqual(pending);
    });
});
