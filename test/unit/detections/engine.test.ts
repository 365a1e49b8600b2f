// The engine's promises: dedupe, rule isolation, and never throwing on attacker-shaped input.

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ALL_RULES, createDetector, type Rule } from '../../../src/detections/index.js';
import { EVENT_SOURCES, type IncidentEvent } from '../../../src/domain/event.js';
import { recordDataSchemas } from '../../../src/journal/records.js';
import { CASES } from './cases.js';
import { ct, DENIED } from './fixtures.js';

const stop = () => ct('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: 'prod-audit-trail' } });

describe('createDetector', () => {
  it('raises a journal-valid detection naming the event', () => {
    const e = stop();
    const [d, ...rest] = createDetector().observe(e);
    expect(rest).toEqual([]);
    expect(recordDataSchemas['detection.raised'].parse(d)).toEqual(d);
    expect(d).toMatchObject({ ruleId: 'cloudtrail.trail-tampering', severity: 0, eventKeys: [`cloudtrail:${e.id}`] });
    expect(d!.title).toBe('CloudTrail StopLogging on prod-audit-trail by orders-api-prod/orders-debug');
  });

  it('the same event observed twice raises nothing new', () => {
    const d = createDetector();
    const e = stop();
    expect(d.observe(e)).toHaveLength(1);
    expect(d.observe(e)).toEqual([]);
    expect(d.observe(structuredClone(e))).toEqual([]);
  });

  it('dedupes by (rule, key) even after the event key was forgotten', () => {
    const d = createDetector(ALL_RULES, { maxRemembered: 1 });
    const e = stop();
    expect(d.observe(e)).toHaveLength(1);
    d.observe(ct('iam.amazonaws.com', 'ListUsers'));
    // `e` left the seen-events set but its detection is still remembered… until that too is full.
    expect(d.observe(e)).toEqual([]);
  });

  it('each detector has its own state', () => {
    const e = stop();
    expect(createDetector().observe(e)).toHaveLength(1);
    expect(createDetector().observe(e)).toHaveLength(1);
  });

  it('a throwing rule is a non-match and does not stop the others', () => {
    const boom: Rule = {
      id: 'test.boom',
      title: 'x',
      severity: 0,
      why: 'x',
      runbook: 'x: x',
      match: () => {
        throw new Error('boom');
      },
    };
    const yes: Rule = { id: 'test.yes', title: 'Yes', severity: 3, why: 'because', runbook: 'r: r', match: () => true };
    const out = createDetector([boom, yes]).observe(stop());
    expect(out).toEqual([
      {
        ruleId: 'test.yes',
        title: 'Yes',
        severity: 3,
        eventKeys: [expect.stringMatching(/^cloudtrail:/)],
        why: 'because',
        runbook: 'r: r',
      },
    ]);
  });

  it('an out-of-range severity from a rule falls back to the rule’s own', () => {
    const odd: Rule = {
      id: 'test.odd',
      title: 'x',
      severity: 2,
      why: 'x',
      runbook: 'x: x',
      match: () => ({ severity: 7 as 0 }),
    };
    expect(createDetector([odd]).observe(stop())[0]!.severity).toBe(2);
  });

  it('one audit request logged at two stages is one detection', () => {
    const make = CASES['k8s.exec-into-pod']!.pos[0]![1];
    const complete = make() as IncidentEvent;
    const started = {
      ...complete,
      id: `${complete.id}-started`,
      raw: { ...(complete.raw as object), stage: 'ResponseStarted' },
    };
    const d = createDetector();
    expect(d.observe(started)).toHaveLength(1);
    expect(d.observe(complete)).toEqual([]);
  });

  it('titles neutralise control and bidi characters from the record', () => {
    const e = ct('iam.amazonaws.com', 'CreateAccessKey', {
      requestParameters: { userName: 'evil\u001b[2J\u202Euser' },
      ...DENIED,
    });
    const [d] = createDetector().observe(e);
    expect(d!.title).not.toMatch(/[\u001b\u202E]/);
  });
});

// Attacker-shaped input: arbitrary JSON in raw (including __proto__ keys and rule-looking
// fragments), random strings in every field. observe must never throw and every detection it
// does raise must still be journal-valid.
const fragment = fc.oneof(
  fc.jsonValue(),
  fc.record({
    eventSource: fc.constantFrom(
      'cloudtrail.amazonaws.com',
      's3.amazonaws.com',
      'iam.amazonaws.com',
      'guardduty.amazonaws.com',
    ),
    eventName: fc.constantFrom(
      'StopLogging',
      'GetObject',
      'CreateAccessKey',
      'PutBucketPolicy',
      'AttachUserPolicy',
      'PutUserPolicy',
    ),
    requestParameters: fc.jsonValue(),
    userIdentity: fc.jsonValue(),
    errorCode: fc.jsonValue(),
  }),
  fc.record({
    verb: fc.constantFrom('create', 'get', 'list', 'delete'),
    user: fc.jsonValue(),
    objectRef: fc.record({
      resource: fc.constantFrom('pods', 'secrets', 'clusterrolebindings'),
      subresource: fc.jsonValue(),
      namespace: fc.jsonValue(),
    }),
    requestObject: fc.jsonValue(),
    responseStatus: fc.jsonValue(),
    requestURI: fc.string(),
  }),
  fc.record({
    priority: fc.oneof(fc.string(), fc.constantFrom('Critical', 'Notice')),
    rule: fc.jsonValue(),
    output_fields: fc.jsonValue(),
  }),
  fc.record({ type: fc.string(), severity: fc.oneof(fc.double(), fc.string()), service: fc.jsonValue() }),
);
const garbageEvent = fc.record({
  source: fc.constantFrom(...EVENT_SOURCES),
  id: fc.string({ minLength: 1 }),
  eventTime: fc.oneof(
    fc.string(),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  discoveredAt: fc.string(),
  actor: fc.string(),
  action: fc.string(),
  targets: fc.array(fc.string()),
  outcome: fc.constantFrom('success', 'failure', 'unknown'),
  errorCode: fc.option(fc.string(), { nil: undefined }),
  raw: fc.oneof(fragment, fc.constant(JSON.parse('{"__proto__": {"eventName": "StopLogging"}}'))),
}) as fc.Arbitrary<IncidentEvent>;

describe('attacker-shaped input', () => {
  it('observe never throws and raises only valid detections', () => {
    const schema = recordDataSchemas['detection.raised'];
    fc.assert(
      fc.property(fc.array(garbageEvent, { maxLength: 30 }), (events) => {
        const d = createDetector();
        for (const e of events) for (const det of d.observe(e)) expect(schema.safeParse(det).success).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('no rule matches a record whose fields are only reachable through the prototype', () => {
    const e = {
      ...stop(),
      raw: JSON.parse('{"__proto__": {"eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging"}}'),
    };
    expect(createDetector().observe(e)).toEqual([]);
  });
});

describe('createDetector at its memory cap', () => {
  it('forgets old keys without walking its sets (the 1M-record cliff)', () => {
    const any: Rule = { id: 'test.any', title: 't', severity: 3, why: 'w', runbook: 'r: r', match: () => true };
    const d = createDetector([any], { maxRemembered: 50 });
    for (let i = 0; i < 50; i++) d.observe(ct('iam.amazonaws.com', 'ListUsers'));
    const walks = [vi.spyOn(Set.prototype, 'values'), vi.spyOn(Set.prototype, 'keys')];
    let raised = 0;
    for (let i = 0; i < 500; i++) raised += d.observe(ct('iam.amazonaws.com', 'ListUsers')).length;
    expect(raised).toBe(500);
    expect(walks.map((w) => w.mock.calls.length)).toEqual([0, 0]);
    vi.restoreAllMocks();
  });
});
