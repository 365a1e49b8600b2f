// The product's selector logic (src/domain/kube-selectors.ts, what the quarantine blast radius and
// its read-back use) checked against the simulated cloud's own implementation, written separately
// from the Kubernetes docs: on any labels and selectors, both must agree. A bug in either shows up
// here instead of passing every wire test, where the sim would answer with the same mistake.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelSelectorMatches, serviceSelects as oracleServiceSelects, type LabelSelector } from '@firebreak/cloud-sim';
import { selectorMatches, serviceSelects } from '../../../src/domain/kube-selectors.js';

// A small alphabet, so generated selectors and labels actually meet; `constructor` is a key every
// object "has" through its prototype, '' a value that is not the same as a missing label.
const key = fc.constantFrom('app', 'tier', 'env', 'app.kubernetes.io/name', 'constructor');
const value = fc.constantFrom('', 'shop', 'web', 'api', 'prod');
const labels = fc.dictionary(key, value, { maxKeys: 4 });
const requirement = fc.record({
  key,
  operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Equals'),
  values: fc.array(value, { maxLength: 3 }),
});
const labelSelector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: labels, matchExpressions: fc.array(requirement, { maxLength: 3 }) },
  { requiredKeys: [] },
);

describe('src/domain/kube-selectors agrees with the simulated cloud', () => {
  it('Service selectors (equality map; none or {} selects nothing)', () => {
    fc.assert(
      fc.property(fc.option(labels, { nil: undefined }), fc.option(labels, { nil: undefined }), (sel, l) => {
        expect(serviceSelects(sel, l)).toBe(oracleServiceSelects(sel, l));
      }),
      { numRuns: 2000 },
    );
  });

  it('LabelSelectors (matchLabels AND matchExpressions; {} selects everything)', () => {
    fc.assert(
      fc.property(fc.option(labelSelector, { nil: undefined }), fc.option(labels, { nil: undefined }), (sel, l) => {
        expect(selectorMatches(sel, l)).toBe(labelSelectorMatches(sel, l));
      }),
      { numRuns: 2000 },
    );
  });

  it('the cases the generators must reach: an empty value, a removed label, a prototype key', () => {
    for (const [sel, l, want] of [
      [{ app: '' }, { app: '' }, true],
      [{ app: '' }, {}, false],
      [{ app: 'shop', tier: 'web' }, { app: 'shop' }, false],
      [{ constructor: 'x' }, {}, false],
    ] as const) {
      expect(serviceSelects(sel, l)).toBe(want);
      expect(oracleServiceSelects(sel, l)).toBe(want);
    }
  });
});
