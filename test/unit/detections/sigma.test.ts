// The Sigma engine: conditions, modifiers, the loader's reports, and Sigma rules raising
// detections beside the built-in rules on real-shaped CloudTrail and audit records.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, createDetector } from '../../../src/detections/index.js';
import { ConditionError, evaluate, parseCondition } from '../../../src/detections/sigma/condition.js';
import { loadSigmaDir, sigmaReportLines, sigmaSummary } from '../../../src/detections/sigma/load.js';
import { fieldPredicate, searchPredicate, SigmaUnsupported, valuesAt } from '../../../src/detections/sigma/match.js';
import { auditResolver, parseSigmaRule } from '../../../src/detections/sigma/parse.js';
import { recordDataSchemas } from '../../../src/journal/records.js';
import { loadScenario } from '../../../src/sources/drill/scenario.js';
import { ct, podCreate, audit } from './fixtures.js';

const DIR = fileURLToPath(new URL('../../fixtures/sigma/rules', import.meta.url));
const DRILL_RULES = fileURLToPath(new URL('../../fixtures/sigma/drill', import.meta.url));

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

// The modifiers appendix defines |fieldref as "compare with the value of another field of the
// same event"; the rules here are this file's own, written from that text.
// https://github.com/SigmaHQ/sigma-specification/blob/main/appendix/sigma-modifiers-appendix.md
describe('sigma fieldref and object-valued fields', () => {
  const key = {
    eventName: 'CreateAccessKey',
    userIdentity: { type: 'IAMUser', userName: 'Alice', arn: 'arn:aws:iam::123456789012:user/alice' },
    requestParameters: { userName: 'alice' },
  };
  const other = { ...key, requestParameters: { userName: 'dba-breakglass' } };

  it('|fieldref compares two fields of one record, case-insensitively unless |cased', () => {
    expect(fieldPredicate('userIdentity.userName|fieldref', 'requestParameters.userName')(key)).toBe(true);
    expect(fieldPredicate('userIdentity.userName|fieldref', 'requestParameters.userName')(other)).toBe(false);
    expect(fieldPredicate('userIdentity.userName|fieldref|cased', 'requestParameters.userName')(key)).toBe(false);
    expect(fieldPredicate('userIdentity.arn|fieldref|endswith', 'requestParameters.userName')(key)).toBe(true);
    expect(fieldPredicate('userIdentity.arn|fieldref|contains', 'requestParameters.userName')(other)).toBe(false);
    expect(fieldPredicate('userIdentity.arn|fieldref', 'requestParameters.userName')(key)).toBe(false);
    // A missing field on either side is no match, so "not filter" keeps the event.
    expect(fieldPredicate('userIdentity.userName|fieldref', 'requestParameters.nope')(key)).toBe(false);
    expect(fieldPredicate('nope|fieldref', 'requestParameters.userName')(key)).toBe(false);
  });

  it('|fieldref with a modifier it cannot combine with, or no field name, is refused', () => {
    expect(() => fieldPredicate('a|fieldref|re', 'b')).toThrow(/\|fieldref with \|re/);
    expect(() => fieldPredicate('a|fieldref', 5)).toThrow(/not a field name/);
  });

  it('a field holding an object matches when a value inside it does', () => {
    const rec = {
      eventName: 'PutBucketVersioning',
      requestParameters: { bucketName: 'b', VersioningConfiguration: { Status: 'Suspended', MfaDelete: 'Disabled' } },
      responseElements: null,
    };
    expect(fieldPredicate('requestParameters|contains', 'suspend')(rec)).toBe(true);
    expect(fieldPredicate('requestParameters|contains', 'Enabled')(rec)).toBe(false);
    expect(fieldPredicate('requestParameters|contains|all', ['Suspended', 'Disabled'])(rec)).toBe(true);
    expect(fieldPredicate('requestParameters', 'b')(rec)).toBe(true);
    expect(fieldPredicate('requestParameters|re', '^Sus')(rec)).toBe(true);
    expect(fieldPredicate('responseElements|contains', 'x')(rec)).toBe(false);
    expect(fieldPredicate('requestParameters', '*')(rec)).toBe(true);
  });

  it('a bare audit name that is an objectRef key is read from objectRef', () => {
    const r = { verb: 'patch', objectRef: { resource: 'deployments', apiGroup: 'apps' }, requestObject: {} };
    expect(auditResolver(r, 'apiGroup')).toEqual(['apps']);
    expect(auditResolver(r, 'resource')).toEqual(['deployments']);
  });
});

describe('sigma field warnings', () => {
  const rule = (product: string, service: string, detection: string) =>
    parseSigmaRule(`title: t\nlogsource: {product: ${product}, service: ${service}}\ndetection:\n${detection}`, 'x');
  const warnings = (r: ReturnType<typeof parseSigmaRule>) => (r.ok ? r.rule.warnings : [`not loaded: ${r.construct}`]);

  it('CloudTrail: unknown names, objects, and errorCode values a record never has', () => {
    const r = rule(
      'aws',
      'cloudtrail',
      [
        '  sel: {eventName: DeleteBucket, status: success}',
        "  ok: {userIdentity.sessionContext.sessionIssuer.type: Role, requestParameters.bucketName: b, 'resources.ARN|startswith': 'arn:'}",
        '  f_type: {type: AssumedRole}',
        "  f_obj: {'requestParameters|contains': Suspended}",
        "  f_err: {errorCode: ['Success', null]}",
        '  condition: sel and ok and not 1 of f_*',
      ].join('\n'),
    );
    expect(warnings(r)).toEqual([
      '"status" in "sel" is not a field of CloudTrail records: that part never matches',
      '"type" in "f_type" is not a field of CloudTrail records (userIdentity.type is): that part never matches',
      '"requestParameters" in "f_obj" is an object in CloudTrail records: each value inside it is tested',
      '"errorCode" in "f_err": "Success" never matches (a successful call has no errorCode; null matches that)',
    ]);
  });

  it('Kubernetes audit: numeric fields, objectRef names and bare names looked up in the body', () => {
    const r = rule(
      'kubernetes',
      'audit',
      [
        "  sel: {verb: create, apiGroup: apps, hostPath: '*', 'responseStatus.code': [ALLOW, 201]}",
        "  ok: {'user.username|startswith': 'system:', 'annotations.authorization.k8s.io/decision': allow, 'sourceIPs|cidr': 10.0.0.0/8}",
        '  condition: sel and not ok',
      ].join('\n'),
    );
    expect(warnings(r)).toEqual([
      '"apiGroup" in "sel" is not an audit event field: read as objectRef.apiGroup',
      '"hostPath" in "sel" is not an audit event field: looked up by name inside requestObject',
      '"responseStatus.code" in "sel" holds a number in audit events: "ALLOW" never matches',
    ]);
  });

  it('a |fieldref target is checked as a field too; a clean rule has no warnings', () => {
    const r = rule(
      'aws',
      'cloudtrail',
      "  s: {'userIdentity.arn|fieldref': requestParameter.userName}\n  condition: s",
    );
    expect(warnings(r)).toEqual([
      '"requestParameter.userName" in "s" is not a field of CloudTrail records: that part never matches',
    ]);
    const clean = rule(
      'aws',
      'cloudtrail',
      "  s: {eventSource: iam.amazonaws.com, 'errorCode|exists': false}\n  condition: s",
    );
    expect(warnings(clean)).toEqual([]);
  });

  it('the loader lists warnings after the files it did not load, and counts them', async () => {
    const l = await loadSigmaDir(DIR);
    expect(l.warnings).toEqual([
      {
        file: expect.stringMatching(/nested\/k8s-hostpath\.yml$/),
        message: '"hostPath" in "selection" is not an audit event field: looked up by name inside requestObject',
      },
    ]);
    const lines = sigmaReportLines(l);
    expect(lines).toHaveLength(l.reports.length + 1);
    expect(lines.at(-1)).toMatch(/k8s-hostpath\.yml: loaded, warning — "hostPath" in "selection"/);
    expect(sigmaSummary('/r', l)).toMatch(/; 5 not loaded; 1 with warnings$/);
  });
});

describe('Sigma rules over the bundled drills', () => {
  const events = async (name: string) =>
    (await loadScenario(name)).items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

  it('own rules fire on the drill events they describe, and on nothing else', async () => {
    const { rules, reports, warnings } = await loadSigmaDir(DRILL_RULES);
    expect(reports).toEqual([]);
    expect(warnings).toEqual([]);
    const d = createDetector(rules);
    const fired = [...(await events('inc-2026-042')), ...(await events('k8s-compromised-pod'))].flatMap((e) =>
      d.observe(e).map((x) => `${x.ruleId.slice(6, 10)} ${(e.raw as { eventName?: string }).eventName ?? e.id}`),
    );
    expect(fired).toEqual([
      '8a4b CreateAccessKey',
      '7f3a StopLogging',
      '9b5c 6282e7cb-c1aa-491f-b065-02f0973dc3ac',
      '9b5c d853090b-b36b-42fb-9695-fbef5ea32e29',
      '9b5c 59836890-fe59-4921-a3f9-a5879630f706',
    ]);
  });
});
