// "Did you mean": one likely candidate or none — never a coin toss between two.

import { expect, it } from 'vitest';
import { didYouMean } from '../../../src/domain/suggest.js';
import { REGIMES } from '../../../src/domain/deadlines.js';

it('a unique prefix or a near spelling, case-insensitive; exact words and far ones get nothing', () => {
  expect(didYouMean('nis', REGIMES)).toBe('nis2');
  expect(didYouMean('hippa', REGIMES)).toBe('hipaa');
  expect(didYouMean('GDRP', REGIMES)).toBe('gdpr');
  expect(didYouMean('gdpr', REGIMES)).toBeUndefined();
  expect(didYouMean('data', REGIMES)).toBeUndefined(); // a note's first word, not "dora"
  expect(didYouMean('', REGIMES)).toBeUndefined();
  expect(didYouMean('aws.deactivatekey', ['aws.deactivateKey', 'aws.reactivateKey'])).toBeUndefined(); // exact, any case
  expect(didYouMean('aws.deactivteKey', ['aws.deactivateKey', 'aws.reactivateKey'])).toBe('aws.deactivateKey');
});

it('a tie suggests nothing', () => {
  expect(didYouMean('cat', ['bat', 'hat'])).toBeUndefined();
  expect(didYouMean('aws.', ['aws.a', 'aws.b'])).toBeUndefined(); // an ambiguous prefix
});
