// The customer draft carries no indicators, keys, ARNs, account ids, IPs or internal names. A
// journal is filled with such strings everywhere a customer draft draws from (title, summary,
// impact, notes, action targets, event actors and targets, evidence, people, the codename), and
// not one of them may survive into the draft — checked for hand-picked cases and for generated ones.

import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerScrubber } from '../../../src/reports/scrub.js';
import { updateMarkdown } from '../../../src/reports/update.js';
import { newIncident } from '../../../store/open.js';
import { reportFacts } from '../../../store/report-facts.js';
import { cloudTrailEvent, keyOf } from '../store/fixtures.js';
import { buildStory, REPORT_NOW, STORY_CATALOG } from './story.js';

let dir = '';
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'fb-scrub-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('customer scrubber', () => {
  const clean = customerScrubber([
    { name: 'EMBER QUARTZ', kind: 'codename' },
    { name: 'webapp', kind: 'pod' },
    { name: 'alice', kind: 'person' },
  ]);
  const cases: [string, string][] = [
    ['role arn:aws:iam::123456789012:role/ci-deployer was used', 'role an internal role was used'],
    ['read arn:aws:s3:::prod-data/customers.csv', 'read a storage bucket'],
    ['key AKIAIOSFODNN7EXAMPLE leaked', 'key a credential leaked'],
    ['from 198.51.100.23 and 2001:db8::7', 'from an IP address and an IP address'],
    ['in account 123456789012', 'in account an account'],
    ['pod webapp in payments-prod', 'pod a workload in an internal system'],
    ['EMBER QUARTZ update by alice', 'the incident update by a member of our team'],
    ['host c2.evil-example.net and s3://forensic-evidence/x', 'host an internet host and a storage bucket'],
    ['instance i-0abc123def4567890 isolated', 'instance a server isolated'],
    ['token [REDACTED:aws-session-token:1a2b3c4d]', 'token a credential'],
    ['At 2026-04-20 14:32 UTC we took a follow-up step', 'At 2026-04-20 14:32 UTC we took a follow-up step'],
  ];
  for (const [input, want] of cases) it(`"${input}"`, () => expect(clean(input)).toBe(want));
});

/** Strings a customer must never see, and where the story hides them. */
const ident = fc
  .tuple(
    fc.constantFrom('pay', 'ledger', 'hydra', 'vault', 'ingest', 'orion', 'kestrel'),
    fc.constantFrom('-', '_', ''),
    fc.stringMatching(/^[a-z0-9]{2,6}$/),
  )
  .map(([a, sep, b]) => `${a}${sep}${b}${sep ? '' : '7'}`);
const account = fc.stringMatching(/^[1-9][0-9]{11}$/);
const ipv4 = fc
  .tuple(
    fc.integer({ min: 1, max: 223 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
  )
  .map((p) => p.join('.'));
const ipv6 = fc.array(fc.stringMatching(/^[0-9a-f]{1,4}$/), { minLength: 8, maxLength: 8 }).map((g) => g.join(':'));
const akid = fc.tuple(fc.constantFrom('AKIA', 'ASIA'), fc.stringMatching(/^[A-Z2-7]{16}$/)).map(([p, s]) => p + s);
const codename = fc
  .tuple(
    fc.constantFrom('EMBER', 'COBALT', 'WILLOW', 'GRANITE'),
    fc.constantFrom('QUARTZ', 'HERON', 'TUNDRA', 'LANTERN'),
  )
  .map(([a, b]) => `${a} ${b}`);

describe('customer scrubber (generated)', () => {
  it('no indicator, key, ARN, account or known name survives in prose', () => {
    fc.assert(
      fc.property(
        fc.record({ role: ident, bucket: ident, pod: ident, account, ip: ipv4, ip6: ipv6, key: akid, codename }),
        fc.constantFrom('Yesterday', 'We saw', 'Then'),
        (x, lead) => {
          const clean = customerScrubber(
            [
              { name: x.pod, kind: 'pod' },
              { name: x.codename, kind: 'codename' },
            ],
            [`arn:aws:iam::${x.account}:role/${x.role}`],
          );
          const text = `${lead} ${x.codename} saw ${x.key} (arn:aws:iam::${x.account}:role/${x.role}) read s3://${x.bucket}/a from ${x.ip}, ${x.ip6}; ${x.role} and ${x.pod} in ${x.account}.`;
          const out = clean(text).toLowerCase();
          for (const [what, v] of Object.entries(x)) expect(out, `${what}: ${out}`).not.toContain(v.toLowerCase());
          expect(out).toContain(lead.toLowerCase());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('customer draft from a journal full of identifiers', () => {
  it('keeps none of them (generated)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          role: ident,
          bucket: ident,
          pod: ident,
          ns: ident,
          account,
          ip: ipv4,
          ip6: ipv6,
          key: akid,
          codename,
          person: ident,
        }),
        async (x) => {
          const file = join(dir, `j${run++}.jsonl`);
          const roleArn = `arn:aws:iam::${x.account}:role/${x.role}`;
          const { store, journal } = await newIncident(
            file,
            {
              incidentId: 'INC-2026-042',
              title: `Reads from ${x.bucket} by ${x.role} from ${x.ip}`,
              codename: x.codename,
              mode: 'live',
            },
            { actor: x.person },
          );
          try {
            const c = store.getState().actions;
            await c.ingestEvents([
              cloudTrailEvent(1, {
                actor: `arn:aws:sts::${x.account}:assumed-role/${x.role}/s1`,
                targets: [`arn:aws:s3:::${x.bucket}/k`],
                sourceIp: x.ip,
              }),
            ]);
            await c.raiseDetection({
              ruleId: 'r',
              title: `GetObject burst on ${x.bucket}`,
              severity: 1,
              eventKeys: [keyOf(1)],
              why: 'w',
            });
            await c.updatePostmortem({
              field: 'summary',
              text: `${x.codename}: key ${x.key} for ${roleArn} read ${x.bucket} from ${x.ip} and ${x.ip6} (account ${x.account}); pod ${x.ns}/${x.pod}.`,
            });
            await c.updatePostmortem({
              field: 'impact',
              text: `Objects in s3://${x.bucket}/exports read by ${x.role}; ${x.pod} exec'd.`,
            });
            await c.assignRole('ic', x.person);
            await c.updateIncident({ detectedAt: '2026-04-20T14:32:00Z', containedAt: '2026-04-20T15:08:00Z' });
            const target = { kind: 'pod', id: `${x.ns}/${x.pod}`, label: x.pod, scope: x.ns };
            const h = 'a'.repeat(64);
            await c.recordAction('action.planned', {
              actionId: 'act-000001',
              action: 'kubernetes.quarantine-pod',
              target,
              params: {},
              paramsHash: h,
              calls: [],
              blastRadius: [],
              warnings: [],
            });
            await c.recordAction('action.started', { actionId: 'act-000001', paramsHash: h, idempotencyToken: 't' });
            await c.recordAction('action.succeeded', {
              actionId: 'act-000001',
              requestIds: [],
              outputs: {},
              message: `relabelled ${x.pod}`,
            });
            const md = updateMarkdown(reportFacts(store.getState().state, { now: REPORT_NOW }), 'customers');
            for (const [what, s] of Object.entries({ ...x, roleArn, arnPrefix: 'arn:aws' })) {
              expect(md.toLowerCase(), `${what} "${s}" leaked into:\n${md}`).not.toContain(s.toLowerCase());
            }
          } finally {
            await journal?.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the INC-2026-042 story: no ARN, key, IP, account, codename or internal name', async () => {
    const story = await buildStory(join(dir, 'story'));
    try {
      const md = updateMarkdown(
        reportFacts(story.store.getState().state, { now: REPORT_NOW, catalog: STORY_CATALOG }),
        'customers',
      );
      for (const s of [
        'arn:',
        'AKIA',
        '198.51.100.23',
        '203.0.113.7',
        '123456789012',
        'EMBER',
        'QUARTZ',
        'ci-deployer',
        'prod-data',
        'build-runner',
        'i-0abc',
        'alice',
        'bob',
        'carol',
        'INC-2026-042',
        'sha256',
        'EV-00',
      ]) {
        expect(md, s).not.toContain(s);
      }
      // The other audiences are internal and keep the identifiers investigators pivot on.
      expect(
        updateMarkdown(
          reportFacts(story.store.getState().state, { now: REPORT_NOW, catalog: STORY_CATALOG }),
          'internal',
        ),
      ).toContain('ci-deployer');
    } finally {
      await story.close();
    }
  });
});
