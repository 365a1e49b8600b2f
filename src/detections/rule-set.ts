// A detector whose rules can grow while it runs: `:rules DIR` in a live cockpit adds Sigma rules
// to the detector every source already feeds. Rules added later see the events that arrive after.

import { createDetector, type Detector } from './engine.js';
import type { Rule } from './types.js';

export interface GrowingDetector extends Detector {
  add(rules: readonly Rule[]): void;
  /** Every rule added after the first set, for other detectors (an :import) to run too. */
  readonly added: readonly Rule[];
}

export function createGrowingDetector(rules: readonly Rule[]): GrowingDetector {
  const detectors: Detector[] = [createDetector(rules)];
  const added: Rule[] = [];
  return {
    observe: (e) => detectors.flatMap((d) => d.observe(e)),
    add(more) {
      if (!more.length) return;
      detectors.push(createDetector(more));
      added.push(...more);
    },
    added,
  };
}
