// Golden reports for both bundled drills, from a journal built by playing the scenario with a
// team's moves in between (drill-story.ts): every update audience and the post-mortem, compared
// byte for byte with test/fixtures/reports/drill-*/, and every golden file in the folder run
// through the prose checker. After a deliberate change: UPDATE_GOLDEN=1 npx vitest run
// test/unit/reports and read the diff as the reader of each file would.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIENCES, type ReportFacts } from '../../../src/reports/facts.js';
import { postmortemMarkdown } from '../../../src/reports/postmortem.js';
import { updateMarkdown } from '../../../src/reports/update.js';
import { reportFacts } from '../../../store/report-facts.js';
import { playDrill, type Move } from './drill-story.js';
import { prose, proseGlitches } from './glitches.js';
import { STORY_CATALOG } from './story.js';

const GOLDEN = resolve(__dirname, '../../fixtures/reports');
const dir = mkdtempSync(join(tmpdir(), 'fb-drill-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  mkdirSync(resolve(file, '..'), { recursive: true });
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  expect(actual, `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept a deliberate change)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

const ROLE = { kind: 'iam-role' as const, id: 'orders-api-prod', label: 'role orders-api-prod', scope: 'eu-west-1' };
const KEY = {
  kind: 'access-key' as const,
  id: 'AKIA5REPORTEXAMPLE01',
  label: 'access key AKIA5REPORTEXAMPLE01',
  scope: 'eu-west-1',
};

/** INC-2026-042 as a team would play it: evidence first, deny-all, then the leaked key itself. */
const AWS_MOVES: Move[] = [
  {
    at: '+17:40',
    run: async ({ c }) => {
      await c.setSeverity(1, 'GuardDuty: the orders-api-prod role used from an unknown network');
      await c.assignRole('ic', 'alex');
      await c.setPhase('triage');
    },
  },
  { at: '+20:10', run: async ({ c }) => c.setSeverity(0, 'production database credentials read from outside') },
  { at: '+21:00', run: async ({ c }) => c.assignRole('forensics', 'priya') },
  {
    at: '+22:00',
    run: async ({ act }) =>
      void (await act('aws.preserveCloudTrail', ROLE, {
        service: 'cloudtrail',
        evidence: {
          id: 'EV-001',
          file: 'drill.jsonl.evidence/EV-001-cloudtrail-orders-api-prod.jsonl',
          source: 'CloudTrail LookupEvents for orders-api-prod, 14:00–14:37 UTC',
          description: 'CloudTrail events of the orders-api-prod role',
        },
      })),
  },
  {
    at: '+24:00',
    run: async ({ c, act }) => {
      await c.setPhase('containment');
      await act('aws.denyAllRole', ROLE, { service: 'iam' });
    },
  },
  {
    at: '+26:00',
    run: async ({ act }) =>
      void (await act('aws.preserveCloudTrailKey', KEY, {
        service: 'cloudtrail',
        evidence: {
          id: 'EV-002',
          file: 'drill.jsonl.evidence/EV-002-cloudtrail-akia5report.jsonl',
          source: 'CloudTrail LookupEvents for the leaked access key, 14:00–14:41 UTC',
          description: 'CloudTrail events signed with the leaked access key',
        },
      })),
  },
  { at: '+27:30', run: async ({ act }) => void (await act('aws.deactivateKey', KEY, { service: 'iam' })) },
  {
    at: '+31:30',
    run: async ({ c }) => {
      await c.flagPersonalData({
        awareAt: '2026-04-20T14:46:00Z',
        regimes: ['gdpr'],
        note: 'orders-prod-data holds EU customers’ names, addresses and order history',
      });
      await c.flagExfiltration(true, 'GuardDuty: S3 exfiltration from orders-prod-data');
    },
  },
  {
    at: '+42:00',
    run: async ({ c }) => {
      await c.flagExfiltration(false, 'the role is denied and the key inactive; no GetObject since 14:48');
      await c.setPhase('evidence', 'role denied, leaked key deactivated');
    },
  },
  {
    at: '+44:00',
    run: async ({ c }) => c.recordUpdate({ audience: 'leadership', markdown: 'First leadership summary, as sent.' }),
  },
];

const POD = {
  kind: 'pod' as const,
  id: 'payments/api-7d9f8b6c5-x2kqp',
  label: 'pod payments/api-7d9f8b6c5-x2kqp',
  scope: 'payments',
};
const NAMESPACE = { kind: 'namespace' as const, id: 'payments', label: 'namespace payments' };
const NODE = {
  kind: 'node' as const,
  id: 'ip-10-30-12-84.eu-west-1.compute.internal',
  label: 'node ip-10-30-12-84.eu-west-1.compute.internal',
};

/** INC-2026-057: capture before the probe restarts the pod, quarantine, a namespace isolation that fails. */
const K8S_MOVES: Move[] = [
  {
    at: '+05:30',
    run: async ({ c }) => {
      await c.setSeverity(1, 'an interactive shell in a production payments pod');
      await c.assignRole('ic', 'jordan');
      await c.setPhase('triage');
    },
  },
  {
    at: '+07:00',
    run: async ({ act }) =>
      void (await act('k8s.capturePod', POD, {
        service: 'kubernetes',
        evidence: {
          id: 'EV-001',
          file: 'drill.jsonl.evidence/EV-001-pod-api-7d9f8b6c5-x2kqp.json',
          source: 'pod payments/api-7d9f8b6c5-x2kqp: spec, logs (current and previous), events',
          description: 'Spec, logs and events of the payments API pod',
        },
      })),
  },
  {
    at: '+12:30',
    run: async ({ c, act }) => {
      await c.setSeverity(0, 'a reverse shell from the payments API to an external host');
      await c.setPhase('containment');
      await act('k8s.quarantinePod', POD, { service: 'kubernetes' });
    },
  },
  {
    at: '+14:00',
    run: async ({ act }) =>
      void (await act('k8s.isolateNamespace', NAMESPACE, {
        service: 'kubernetes',
        fail: {
          code: 'Forbidden',
          message: 'networkpolicies.networking.k8s.io is forbidden for the responder in namespace payments',
        },
      })),
  },
  { at: '+15:30', run: async ({ act }) => void (await act('k8s.cordonNode', NODE, { service: 'kubernetes' })) },
  {
    at: '+27:30',
    run: async ({ c }) => {
      await c.flagPersonalData({
        awareAt: '2026-05-12T03:17:00Z',
        regimes: ['gdpr', 'nis2'],
        note: 'the stolen token could read the payments database',
      });
      await c.addNote('The service-account token was replayed from outside the cluster: rotate it.');
    },
  },
  {
    at: '+34:00',
    run: async ({ c }) =>
      c.decideNotification({
        regime: 'nis2',
        decision: 'notify',
        rationale: 'payment service affected; early warning filed with the CSIRT',
      }),
  },
];

const DRILLS: [name: string, actor: string, moves: Move[]][] = [
  ['inc-2026-042', 'alex', AWS_MOVES],
  ['k8s-compromised-pod', 'jordan', K8S_MOVES],
];

for (const [name, actor, moves] of DRILLS) {
  describe(`golden reports for the ${name} drill`, () => {
    let facts: ReportFacts;
    it('plays the scenario into a journal', async () => {
      const played = await playDrill(name, dir, actor, moves);
      const s = played.store.getState().state;
      // Drill reports are dated on the drill clock (app/commands/export.ts factsFromState).
      facts = reportFacts(s, { now: new Date(s.lastTs!), catalog: STORY_CATALOG });
      await played.close();
      // A scripted detection whose events the containment stopped is not raised (runner.ts).
      const scripted = played.scenario.items.filter((i) => i.kind === 'detection').length;
      expect(facts.detections.length).toBeGreaterThan(0);
      expect(facts.detections.length).toBeLessThanOrEqual(scripted);
    }, 20_000);
    for (const audience of AUDIENCES)
      it(`the ${audience} update`, () =>
        golden(`drill-${name}/update-${audience}.md`, updateMarkdown(facts, audience)));
    it('the post-mortem', () => golden(`drill-${name}/postmortem.md`, postmortemMarkdown(facts)));
    it('the detected time is not flagged as before every signal', () => {
      // The earliest event (CloudTrail, 10 min late) is not what raised the alarm; GuardDuty was.
      expect(postmortemMarkdown(facts)).not.toContain('before any signal reached us');
    });
    it('containment counts only where it held, as on the scorecard', () => {
      if (name === 'inc-2026-042') {
        // The key and the role cut off; the attacker's GetCallerIdentity after it is no breach.
        expect(facts.containedAt).toBeDefined();
        expect(facts.containmentFailed).toBeUndefined();
      } else {
        // The quarantine did not stop what was already running in the pod, nor the stolen token.
        expect(facts.containedAt).toBeUndefined();
        expect(facts.containmentFailed).toMatchObject({ claimedAt: '2026-05-12T03:03:00.000Z' });
        for (const audience of AUDIENCES) expect(updateMarkdown(facts, audience)).not.toMatch(/Status:\*\* Contained/);
      }
    });
    it('every audience names the same next update', () => {
      if (!facts.nextUpdate) return;
      const hm = facts.nextUpdate.dueAt.slice(11, 16);
      for (const audience of AUDIENCES) expect(updateMarkdown(facts, audience), audience).toContain(`${hm} UTC`);
    });
  });
}

/** Every golden file under the folder, the story's and the drills'. */
function goldenFiles(d = GOLDEN): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? goldenFiles(join(d, e.name)) : e.name.endsWith('.md') ? [join(d, e.name)] : [],
  );
}

describe('every golden file reads as a person wrote it', () => {
  it('finds the story and both drills', () => {
    const names = goldenFiles().map((f) => f.slice(GOLDEN.length + 1));
    for (const n of ['postmortem.md', 'drill-inc-2026-042/postmortem.md', 'drill-k8s-compromised-pod/postmortem.md'])
      expect(names).toContain(n);
  });
  for (const file of goldenFiles()) {
    const name = file.slice(GOLDEN.length + 1);
    it(name, () => {
      const md = readFileSync(file, 'utf8');
      expect(proseGlitches(prose(md))).toEqual([]);
      if (/update-leadership\.md$/.test(name)) expect(md).not.toMatch(/[0-9a-f]{16,}|\w\/\w+\.\w+/);
      if (/update-customers\.md$/.test(name)) {
        expect(md).not.toMatch(/lift|restor|reactivat|arn:|AKIA|\b\d+\.\d+\.\d+\.\d+\b/i);
        if (/exfiltration/i.test(md)) expect(md).not.toMatch(/\*\*Status:\*\* (Resolved|Contained)/);
      }
    });
  }
});
