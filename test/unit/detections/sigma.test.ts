// The Sigma engine: conditions, modifiers, the loader's reports, and Sigma rules raising
// detections beside the built-in rules on real-shaped CloudTrail and audit records.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, createDetector } from '../../../src/detections/index.js';
import { ConditionError, evaluate, parseCondition } from '../../../src/detections/sigma/condition.js';
import { loadSigmaDir } from '../../../src/detections/sigma/load.js';
import { fieldPredicate, searchPredicate, SigmaUnsupported, valuesAt } from '../../../src/detections/sigma/match.js';
import { auditResolver, parseSigmaRule } from '../../../src/detections/sigma/parse.js';
import { recordDataSchemas } from '../../../src/journal/records.js';
import { ct, podCreate, audit } from './fixtures.js';

const DIR = fileURLToPath(new URL('../../fixtures/sigma/rules', import.meta.url));

describe('sigma condition', () => {
  const ids = ['selection', 'selection_b', 'filter_a', 'filter_b', '_hidden'];
  const run = (c: string, truthy: string[]) => evaluate(parseCondition(c, ids), (n) => truthy.includes(n));

  it('and binds tighter than or, not tightest, parentheses group', () => {
    expect(run('selection or selection_b and filter_a', ['selection'])).toBe(true);
    expect(run('(selection or selection_b) and filter_a', ['selection'])).toBe(false);
    expect(run('selection and not filter_a', ['selection', 'filter_a'])).toBe(false);
    expect(run('not selection or selection_b', [])).toBe(true);
  });

  it('1 of / all of patterns and them (which skips _ names)', () => {
    expect(run('selection and not 1 of filter_*', ['selection', 'filter_b'])).toBe(false);
    expect(run('selection and not 1 of filter_*', ['selection'])).toBe(true);
    expect(run('all of selection*', ['selection'])).toBe(false);
    expect(run('all of selection*', ['selection', 'selection_b'])).toBe(true);
    expect(run('all of them', ['selection', 'selection_b', 'filter_a', 'filter_b'])).toBe(true);
    expect(run('1 of them', ['_hidden'])).toBe(false);
  });

  it('refuses aggregations, unknown names and dangling syntax by name', () => {
    expect(() => parseCondition('selection | count() > 5', ids)).toThrow(/aggregation/);
    expect(() => parseCondition('selection and nope', ids)).toThrow(/"nope" is not a detection identifier/);
    expect(() => parseCondition('(selection', ids)).toThrow(ConditionError);
    expect(() => parseCondition('1 of missing_*', ids)).toThrow(/names no detection identifier/);
    expect(() => parseCondition('2 of selection*', ids)).toThrow(/only "1 of" and "all of"/);
  });
});

describe('sigma field matching', () => {
  const rec = {
    eventName: 'StopLogging',
    userAgent: 'aws-cli/2.15.0 Python/3.11',
    requestParameters: {
      ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '10.1.2.0/24' }, { cidrIp: '0.0.0.0/0' }] } }] },
    },
    sourceIPAddress: '203.0.113.45',
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    responseStatus: { code: 403 },
    errorCode: null,
  };
  const m = (spec: string, v: unknown) => fieldPredicate(spec, v)(rec);

  it('plain values are whole-value, case-insensitive, with * and ? wildcards', () => {
    expect(m('eventName', 'stoplogging')).toBe(true);
    expect(m('eventName', 'Stop')).toBe(false);
    expect(m('eventName', 'Stop*')).toBe(true);
    expect(m('eventName', 'St?pLogging')).toBe(true);
    expect(m('eventName', 'Stop\\*')).toBe(false);
    expect(m('eventName', ['DeleteTrail', 'StopLogging'])).toBe(true);
  });

  it('contains / startswith / endswith / all / re / cidr / exists / numbers / null', () => {
    expect(m('userAgent|contains', 'PYTHON')).toBe(true);
    expect(m('userAgent|startswith', 'aws-cli')).toBe(true);
    expect(m('userAgent|endswith', '3.11')).toBe(true);
    expect(m('userAgent|contains|all', ['aws-cli', 'Python'])).toBe(true);
    expect(m('userAgent|contains|all', ['aws-cli', 'boto3'])).toBe(false);
    expect(m('userAgent|re', '^aws-cli/2\\.')).toBe(true);
    expect(m('userAgent|re', '^AWS')).toBe(false);
    expect(m('userAgent|re|i', '^AWS')).toBe(true);
    expect(m('sourceIPAddress|cidr', '203.0.113.0/24')).toBe(true);
    expect(m('sourceIPAddress|cidr', ['10.0.0.0/8', '192.168.0.0/16'])).toBe(false);
    expect(m('requestParameters.ipPermissions.items.ipRanges.items.cidrIp', '0.0.0.0/0')).toBe(true);
    expect(m('annotations.authorization.k8s.io/decision', 'allow')).toBe(true);
    expect(m('responseStatus.code', [401, 403])).toBe(true);
    expect(m('responseStatus.code', 200)).toBe(false);
    expect(m('errorCode', null)).toBe(true);
    expect(m('missing', null)).toBe(true);
    expect(m('eventName', null)).toBe(false);
    expect(m('errorCode|exists', true)).toBe(false);
    expect(m('eventName|exists', true)).toBe(true);
    expect(m('requestParameters|cidr', '0.0.0.0/0')).toBe(false);
  });

  it('IPv6 cidr', () => {
    expect(fieldPredicate('ip|cidr', '2001:db8::/32')({ ip: '2001:db8:0:1::5' })).toBe(true);
    expect(fieldPredicate('ip|cidr', '2001:db8::/32')({ ip: '2001:db9::5' })).toBe(false);
    expect(fieldPredicate('ip|cidr', '::/0')({ ip: '10.0.0.1' })).toBe(false);
  });

  it('a list of maps is OR, a map is AND', () => {
    const p = searchPredicate([
      { eventName: 'DeleteTrail' },
      { eventName: 'StopLogging', 'userAgent|contains': 'cli' },
    ]);
    expect(p(rec)).toBe(true);
    expect(searchPredicate({ eventName: 'StopLogging', 'userAgent|contains': 'boto' })(rec)).toBe(false);
  });

  it('own properties only', () => {
    expect(valuesAt(JSON.parse('{"__proto__":{"x":"y"}}'), '__proto__.x')).toEqual(['y']);
    expect(valuesAt({}, 'constructor')).toEqual([]);
  });

  it('refuses what it cannot evaluate, naming it', () => {
    expect(() => fieldPredicate('userData|base64offset|contains', 'curl')).toThrow(/\|base64offset/);
    expect(() => fieldPredicate('|contains', 'x')).toThrow(/keyword search/);
    expect(() => searchPredicate(['kubectl'])).toThrow(SigmaUnsupported);
    expect(() => fieldPredicate('x|re', '(?<!a')).toThrow(/regular expression/);
  });

  it('audit rules find bare fields inside requestObject', () => {
    const e = podCreate({
      containers: [{ name: 'x', image: 'alpine' }],
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
    });
    expect(auditResolver(e.raw, 'hostPath')).toEqual([{ path: '/' }]);
    expect(auditResolver(e.raw, 'verb')).toEqual(['create']);
  });
});

describe('sigma loader and rules', () => {
  it('loads what it can evaluate and reports every other file with its construct', async () => {
    const l = await loadSigmaDir(DIR);
    expect(l.files).toBe(9);
    expect(l.rules.map((r) => r.id).sort()).toEqual([
      'sigma.0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
      'sigma.1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      'sigma.2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f60',
      'sigma.3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6071',
    ]);
    const by = Object.fromEntries(l.reports.map((r) => [r.file.split('/').pop(), `${r.kind}: ${r.construct}`]));
    expect(by).toEqual({
      'base64.yml': expect.stringMatching(/^unsupported: the \|base64offset modifier in "selection"/),
      'broken.yml': expect.stringMatching(/^invalid: detection/),
      'count.yml': expect.stringMatching(/^unsupported: condition: an aggregation/),
      'keywords.yml': expect.stringMatching(/^unsupported: a keyword search/),
      'windows.yml': 'other-logsource: logsource category process_creation, product windows',
    });
  });

  it('a rule collection and timeframe are reported, not run', () => {
    expect(parseSigmaRule('title: a\n---\ntitle: b\n', 'x')).toMatchObject({ ok: false, construct: /collection/ });
    const tf =
      'title: t\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: X}, timeframe: 5m, condition: s}\n';
    expect(parseSigmaRule(tf, 'x')).toMatchObject({ ok: false, kind: 'unsupported', construct: /timeframe/ });
  });

  it('Sigma rules raise journal-valid detections beside the built-in rules', async () => {
    const { rules } = await loadSigmaDir(DIR);
    const d = createDetector([...ALL_RULES, ...rules]);
    const out = d.observe(
      ct('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: 'prod-audit-trail' } }),
    );
    expect(out.map((x) => x.ruleId)).toEqual([
      'cloudtrail.trail-tampering',
      'sigma.0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
    ]);
    const s = out[1]!;
    expect(recordDataSchemas['detection.raised'].parse(s)).toEqual(s);
    expect(s.title).toBe('CloudTrail Logging Stopped (ATT&CK T1562.008)');
    expect(s.severity).toBe(1);
    expect(s.why).toContain('attack.defense-evasion, attack.t1562.008');
    expect(s.runbook).toBe(
      'see the Sigma rule: https://github.com/SigmaHQ/sigma/search?q=0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
    );
  });

  it('filters and negatives do not fire', async () => {
    const { rules } = await loadSigmaDir(DIR);
    const d = createDetector(rules);
    const failed = ct('cloudtrail.amazonaws.com', 'StopLogging', { errorCode: 'AccessDenied', errorMessage: 'denied' });
    expect(d.observe(failed)).toEqual([]);
    expect(d.observe(ct('cloudtrail.amazonaws.com', 'DescribeTrails'))).toEqual([]);
    const sg = (cidrIp: string) =>
      ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
        requestParameters: {
          groupId: 'sg-0123456789abcdef0',
          ipPermissions: {
            items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp }] } }],
          },
        },
      });
    expect(d.observe(sg('10.0.0.0/8'))).toEqual([]);
    expect(d.observe(sg('0.0.0.0/0')).map((x) => x.severity)).toEqual([2]);
  });

  it('audit rules fire on the API server record, once per request, and honour filters', async () => {
    const { rules } = await loadSigmaDir(DIR);
    const d = createDetector(rules);
    const host = podCreate({
      containers: [{ name: 'x', image: 'alpine' }],
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
    });
    expect(d.observe(host).map((x) => x.title)).toEqual(['Pod With hostPath Created (ATT&CK T1611)']);
    const again = structuredClone(host);
    (again as { id: string }).id = `${host.id}-stage2`;
    expect(d.observe(again)).toEqual([]);
    expect(d.observe(podCreate({ containers: [{ name: 'x', image: 'alpine' }] }))).toEqual([]);
    const ds = podCreate(
      { containers: [{ name: 'x', image: 'a' }], volumes: [{ name: 'h', hostPath: { path: '/var/log' } }] },
      { username: 'system:serviceaccount:kube-system:daemon-set-controller', groups: [] },
    );
    (ds.raw as { objectRef: { namespace: string } }).objectRef.namespace = 'kube-system';
    expect(d.observe(ds)).toEqual([]);
    const exec = audit({
      verb: 'create',
      objectRef: { resource: 'pods', subresource: 'exec', namespace: 'payments', name: 'api' },
    });
    expect(d.observe(exec).map((x) => x.severity)).toEqual([2]);
  });
});
