// `:rules DIR` parses in live mode only, and rules added to a running detector take effect for
// the events after, beside the rules it started with.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../src/detections/index.js';
import { createGrowingDetector } from '../../../src/detections/rule-set.js';
import { loadSigmaDir } from '../../../src/detections/sigma/load.js';
import { parseCommand } from '../../../views/palette.js';
import { ct } from './fixtures.js';

const DIR = fileURLToPath(new URL('../../fixtures/sigma/rules', import.meta.url));

describe(':rules and the growing detector', () => {
  it(':rules DIR is a live command taking one path', () => {
    expect(parseCommand('rules "/tmp/my rules"', 'live', 0)).toEqual({ kind: 'rules', dir: '/tmp/my rules' });
    expect(parseCommand('rules', 'live', 0)).toEqual({ error: 'usage: rules <dir>' });
    expect(parseCommand('rules /x', 'review', 0)).toMatchObject({ error: /not available in review mode/ });
  });

  it('rules added later run on later events, beside the first set', async () => {
    const d = createGrowingDetector(ALL_RULES);
    const stop = () => ct('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: 'audit' } });
    expect(d.observe(stop()).map((x) => x.ruleId)).toEqual(['cloudtrail.trail-tampering']);
    d.add((await loadSigmaDir(DIR)).rules);
    expect(d.added).toHaveLength(4);
    expect(d.observe(stop()).map((x) => x.ruleId)).toEqual([
      'cloudtrail.trail-tampering',
      'sigma.0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
    ]);
  });
});
