// Label selectors as https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
// defines them: the three shapes (Service selector, LabelSelector, the labelSelector query) and the
// cases where a plausible implementation goes wrong — a missing key under != and notin, commas
// inside a set, the empty value, keys that exist on every object's prototype.

import { describe, expect, it } from 'vitest';
import {
  isValidLabelKey,
  labelSelectorMatches,
  parseSelector,
  selectorMatcher,
  SelectorSyntaxError,
  serviceSelects,
} from '../src/kubernetes/model/labels.js';

const web = { app: 'shop', tier: 'web', env: 'prod' };
const api = { app: 'shop', tier: 'api' };
const bare = {};
const empty = { app: '' };

/** Which of the named label sets the query selects. */
function selects(q: string): string[] {
  const m = selectorMatcher(q);
  return Object.entries({ web, api, bare, empty })
    .filter(([, l]) => m(l))
    .map(([n]) => n);
}

describe('labelSelector query: equality-based', () => {
  it('= and == are the same, and need the key', () => {
    expect(selects('tier=web')).toEqual(['web']);
    expect(selects('tier==web')).toEqual(['web']);
  });

  it('!= also selects objects without the key', () => {
    expect(selects('tier!=web')).toEqual(['api', 'bare', 'empty']);
    expect(selects('env!=prod')).toEqual(['api', 'bare', 'empty']);
  });

  it('an empty value matches the empty label only, not a missing one', () => {
    expect(selects('app=')).toEqual(['empty']);
    expect(selects('app!=')).toEqual(['web', 'api', 'bare']);
  });

  it('requirements are ANDed; whitespace around tokens is ignored', () => {
    expect(selects(' app = shop , tier != web ')).toEqual(['api']);
  });

  it('the empty query selects everything, including an object with no labels', () => {
    expect(selects('')).toEqual(['web', 'api', 'bare', 'empty']);
    expect(selectorMatcher('')(undefined)).toBe(true);
    expect(selectorMatcher('app=shop')(undefined)).toBe(false);
  });

  it('keys may carry a DNS prefix', () => {
    expect(selectorMatcher('app.kubernetes.io/name=web')({ 'app.kubernetes.io/name': 'web' })).toBe(true);
    expect(selectorMatcher('kubernetes.io/service-name=shop')({ 'kubernetes.io/service-name': 'shop-admin' })).toBe(
      false,
    );
  });
});

describe('labelSelector query: set-based', () => {
  it('in needs the key and one of the values; commas inside the set do not split requirements', () => {
    expect(selects('tier in (web, api)')).toEqual(['web', 'api']);
    expect(selects('tier in (web,api),env in (prod)')).toEqual(['web']);
    expect(parseSelector('tier in (web,api),env')).toEqual([
      { key: 'tier', op: 'in', values: ['web', 'api'] },
      { key: 'env', op: 'exists', values: [] },
    ]);
  });

  it('notin also selects objects without the key', () => {
    expect(selects('tier notin (web)')).toEqual(['api', 'bare', 'empty']);
    expect(selects('env notin (prod,staging)')).toEqual(['api', 'bare', 'empty']);
  });

  it('exists and !exists look at the key only (an empty value still exists)', () => {
    expect(selects('app')).toEqual(['web', 'api', 'empty']);
    expect(selects('!app')).toEqual(['bare']);
    expect(selects('app,!env')).toEqual(['api', 'empty']);
  });

  it('no set parenthesis needs a space: x in(a) and x notin(a)', () => {
    expect(selects('tier in(api)')).toEqual(['api']);
    expect(selects('tier notin(api),app')).toEqual(['web', 'empty']);
  });

  it('in and notin are only operators after a key: a key named "in" is a key', () => {
    expect(selectorMatcher('in')({ in: 'x' })).toBe(true);
    expect(selectorMatcher('in=x')({ in: 'x' })).toBe(true);
  });

  it('keys on Object.prototype exist on no object unless it has them', () => {
    expect(selectorMatcher('constructor')({})).toBe(false);
    expect(selectorMatcher('!toString')({})).toBe(true);
    expect(selectorMatcher('hasOwnProperty notin (x)')({})).toBe(true);
  });
});

describe('labelSelector query: what the API server refuses', () => {
  it.each([
    ['tier in ()', "values set can't be empty"],
    ['tier in (web', "expected: ',' or ')'"],
    ['a=b=c', "expected: ','"],
    ['a=b,', 'expected: identifier'],
    [',a=b', 'expected: !, identifier'],
    ['a b', "expected: '=', '!=', '==', 'in', notin'"],
    ['tier in (web api)', "expected: ',' or ')'"],
    ['!a=b', "expected: ','"],
    ['-a=b', 'invalid label key'],
    ['a/=b', 'invalid label key'],
    ['Example.com/a=b', 'invalid label key'],
    [`a=${'x'.repeat(64)}`, 'invalid label value'],
    ['a=-b', 'invalid label value'],
  ])('%s', (q, why) => {
    expect(() => parseSelector(q)).toThrow(SelectorSyntaxError);
    expect(() => parseSelector(q)).toThrow(why);
  });

  it('label keys: a name of at most 63 after an optional lower-case DNS prefix', () => {
    expect(isValidLabelKey('a'.repeat(63))).toBe(true);
    expect(isValidLabelKey('a'.repeat(64))).toBe(false);
    expect(isValidLabelKey('example.com/My_Name.1')).toBe(true);
    expect(isValidLabelKey('/a')).toBe(false);
  });
});

describe('Service selector (spec.selector: equality only)', () => {
  it('every key must be present and equal', () => {
    expect(serviceSelects({ app: 'shop', tier: 'web' }, web)).toBe(true);
    expect(serviceSelects({ app: 'shop', tier: 'web' }, api)).toBe(false);
  });

  it('a Service without a selector, or with {}, selects no pods (its endpoints are managed by hand)', () => {
    expect(serviceSelects(undefined, web)).toBe(false);
    expect(serviceSelects({}, web)).toBe(false);
  });

  it('an empty selector value needs the label present and empty', () => {
    expect(serviceSelects({ app: '' }, empty)).toBe(true);
    expect(serviceSelects({ app: '' }, bare)).toBe(false);
  });

  it('a removed label takes the pod out (the quarantine technique)', () => {
    const { tier: _gone, ...relabelled } = web;
    expect(serviceSelects({ app: 'shop', tier: 'web' }, relabelled)).toBe(false);
  });
});

describe('LabelSelector (matchLabels AND matchExpressions)', () => {
  it('{} and no selector select every pod', () => {
    expect(labelSelectorMatches({}, web)).toBe(true);
    expect(labelSelectorMatches(undefined, bare)).toBe(true);
  });

  it('matchLabels and matchExpressions must all hold', () => {
    const sel = {
      matchLabels: { app: 'shop' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'env', operator: 'DoesNotExist' },
      ],
    };
    expect(labelSelectorMatches(sel, web)).toBe(false);
    expect(labelSelectorMatches(sel, api)).toBe(true);
    expect(labelSelectorMatches(sel, bare)).toBe(false);
  });

  it('NotIn selects pods without the key; In with no values selects nothing', () => {
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, api)).toBe(
      true,
    );
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, web)).toBe(false);
  });

  it('an unknown operator selects nothing rather than everything', () => {
    expect(
      labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['web'] }] }, web),
    ).toBe(false);
  });

  it('matchLabels keys on Object.prototype are not satisfied by an object without them', () => {
    expect(labelSelectorMatches({ matchLabels: { constructor: 'x' } }, {})).toBe(false);
  });
});
