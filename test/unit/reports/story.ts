// INC-2026-042 as a journal, built with the store commands the cockpit and the action runner use:
// CloudTrail reads by the CI role's credentials from an unknown IP, a detection, severity, roles,
// evidence first on the role, a deny-all, an instance isolated under a guardrail override, a failed
// snapshot, custody, personal data, resolution, then the post-mortem fields and action items.
// Every record's time comes from a scripted clock, so the reports written from it are golden.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_META } from '../../../src/actions/meta.js';
import type { PlannedCall } from '../../../src/actions/types.js';
import type { RecordData } from '../../../src/journal/records.js';
import type { ActionCatalog } from '../../../store/report-facts.js';
import { newIncident } from '../../../store/open.js';
import type { IncidentStore } from '../../../store/store.js';
import { CI_ROLE, cloudTrailEvent, keyOf } from '../store/fixtures.js';

export const ROLE = { kind: 'iam-role', id: 'arn:aws:iam::123456789012:role/ci-deployer', label: 'ci-deployer' };
export const INSTANCE = {
  kind: 'instance',
  id: 'i-0abc123def4567890',
  label: 'i-0abc123def4567890 (build-runner-7)',
  scope: 'us-east-1',
};

/** The real catalog (src/actions/meta.ts: no SDK loads), so the goldens carry the titles users see. */
export const STORY_CATALOG: ActionCatalog = (id) => {
  const m = ACTION_META.find((x) => x.id === id);
  return m && { title: m.title, destructive: m.destructive, evidence: m.evidence };
};

export const REPORT_NOW = new Date('2026-04-24T09:00:00Z');

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Story {
  file: string;
  store: IncidentStore;
  close(): Promise<void>;
  /** Evidence files as written (relative to the journal's folder). */
  evidence: { path: string; content: string }[];
}

/** Writes the journal into `dir` (incident.jsonl) and the evidence files under dir/evidence. */
export async function buildStory(dir: string): Promise<Story> {
  let clock = Date.parse('2026-04-20T14:38:00Z');
  const at = (hhmmss: string) => {
    clock = Date.parse(`2026-04-20T${hhmmss}Z`);
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'incident.jsonl');
  const { store, journal } = await newIncident(
    file,
    {
      incidentId: 'INC-2026-042',
      title: 'Anomalous reads from prod-data by the ci-deployer role',
      codename: 'EMBER QUARTZ',
      mode: 'live',
    },
    { actor: 'alice', now: () => new Date(clock) },
  );
  const c = store.getState().actions;
  await c.ingestEvents([cloudTrailEvent(1), cloudTrailEvent(2), cloudTrailEvent(3, { sourceIp: '198.51.100.23' })]);
  at('14:38:05');
  await c.raiseDetection({
    ruleId: 'cloudtrail.s3-getobject-volume',
    title: 'Unusual S3 GetObject volume',
    severity: 1,
    eventKeys: [keyOf(1), keyOf(2)],
    why: `GetObject burst by ${CI_ROLE}`,
  });
  at('14:40:00');
  await c.setSeverity(1, 'compromised CI credentials reading prod-data');
  at('14:40:30');
  await c.assignRole('ic', 'alice');
  await c.assignRole('forensics', 'bob');
  at('14:41:00');
  // The GetObject burst reached us 14:37 (CloudTrail's delay) and alice confirmed it at 14:38.
  await c.updateIncident({ detectedAt: '2026-04-20T14:38:00Z' });
  await c.setPhase('triage');
  at('14:42:00');
  await c.pinEvent(keyOf(3), 'GetObject from 198.51.100.23, not our NAT');
  at('14:45:00');
  await c.addNote('AKIAIOSFODNN7EXAMPLE used from 198.51.100.23; runner build-runner-7 in account 123456789012');

  let n = 0;
  const act = async (
    action: string,
    target: typeof ROLE | typeof INSTANCE,
    times: [string, string, string],
    o: {
      service: PlannedCall['service'];
      mutating: boolean;
      override?: RecordData<'action.confirmed'>['override'];
      fail?: boolean;
    },
  ) => {
    const actionId = `act-00000${++n}`;
    const params = { action, target: target.id };
    const paramsHash = sha(JSON.stringify(params));
    at(times[0]);
    await c.recordAction('action.planned', {
      actionId,
      action,
      target,
      params,
      paramsHash,
      calls: [{ service: o.service, op: action, summary: action, mutating: o.mutating }],
      blastRadius: [target.label],
      warnings: [],
    });
    await c.recordAction('action.confirmed', { actionId, paramsHash, ...(o.override ? { override: o.override } : {}) });
    at(times[1]);
    await c.recordAction('action.started', { actionId, paramsHash, idempotencyToken: actionId });
    at(times[2]);
    if (o.fail) {
      await c.recordAction('action.failed', {
        actionId,
        stage: 'execute',
        requestIds: ['req-9'],
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform ec2:CreateSnapshots',
        hint: 'grant ec2:CreateSnapshots to the responder role',
      });
      return actionId;
    }
    await c.recordAction('action.succeeded', { actionId, requestIds: ['req-1'], outputs: {}, message: 'done' });
    await c.recordAction('action.verified', { actionId, ok: true, detail: 'read back: in place' });
    return actionId;
  };

  const evidence = [
    { path: 'evidence/EV-001-cloudtrail.json', content: '{"Records":[{"eventName":"GetObject"}]}\n' },
    { path: 'evidence/EV-002-snapshots.json', content: '{"snapshots":["snap-0123456789abcdef0"]}\n' },
  ];
  mkdirSync(join(dir, 'evidence'), { recursive: true });
  for (const e of evidence) writeFileSync(join(dir, e.path), e.content);

  const a1 = await act('aws.preserveCloudTrail', ROLE, ['14:48:00', '14:48:10', '14:49:30'], {
    service: 'cloudtrail',
    mutating: false,
  });
  await c.recordEvidence({
    evidenceId: 'EV-001',
    path: evidence[0]!.path,
    sha256: sha(evidence[0]!.content),
    size: evidence[0]!.content.length,
    source: 'CloudTrail LookupEvents 14:00–14:49 UTC',
    description: 'CloudTrail window for the CI role',
    collector: 'alice',
    toolVersion: 'firebreak 0.1.0',
    collectedAt: '2026-04-20T14:49:30Z',
    actionId: a1,
    target: ROLE,
  });
  await act('aws.denyAllRole', ROLE, ['14:52:00', '14:53:00', '14:53:20'], { service: 'iam', mutating: true });
  await act('aws.isolateInstance', INSTANCE, ['14:56:00', '14:57:00', '14:57:40'], {
    service: 'ec2',
    mutating: true,
    override: { basis: 'commander', reason: 'the runner is pushing to an unknown host', commander: 'alice' },
  });
  await act('aws.snapshotVolumes', INSTANCE, ['15:00:00', '15:00:10', '15:00:20'], {
    service: 'ec2',
    mutating: true,
    fail: true,
  });
  at('15:05:00');
  await c.recordEvidence({
    evidenceId: 'EV-002',
    path: evidence[1]!.path,
    sha256: sha(evidence[1]!.content),
    size: evidence[1]!.content.length,
    source: 'EC2 CreateSnapshots (console, by bob)',
    description: 'EBS snapshots of build-runner-7',
    collector: 'bob',
    toolVersion: 'aws-cli/2.15.30',
    collectedAt: '2026-04-20T15:04:00Z',
    target: INSTANCE,
  });
  at('15:08:00');
  await c.updateIncident({ containedAt: '2026-04-20T15:08:00Z' });
  await c.setPhase('evidence', 'role denied, runner isolated');
  at('15:10:00');
  await c.transferCustody({
    evidenceId: 'EV-001',
    from: 'alice',
    to: 'carol (legal)',
    reason: 'legal hold',
    location: 'forensic-evidence bucket',
  });
  at('15:15:00');
  await c.flagPersonalData({
    awareAt: '2026-04-20T15:15:00Z',
    regimes: ['gdpr'],
    note: 'prod-data holds customer e-mail addresses',
  });
  at('15:20:00');
  await c.setCadence(3);
  at('17:05:00');
  await c.updateIncident({ resolvedAt: '2026-04-20T17:05:00Z' });
  await c.setPhase('review');
  at('17:30:00');
  await c.updatePostmortem({
    field: 'summary',
    text: 'A leaked CI access key was used from 198.51.100.23 to read objects from prod-data for about 38 minutes.',
  });
  await c.updatePostmortem({
    field: 'impact',
    text: 'About 1,200 objects read from prod-data, some holding customer e-mail addresses; no modification.',
  });
  await c.updatePostmortem({
    field: 'rootCause',
    text: 'A long-lived access key for ci-deployer was printed in a public build log.',
  });
  await c.updatePostmortem({ field: 'why', text: 'The attacker had a valid key for the CI role.' });
  await c.updatePostmortem({ field: 'why', text: 'The key was printed in a build log.' });
  await c.updatePostmortem({ field: 'why', text: 'The build step echoed its environment for debugging.' });
  await c.updatePostmortem({ field: 'wentWell', text: 'The GetObject-volume rule fired within minutes of delivery.' });
  await c.updatePostmortem({
    field: 'wentBadly',
    text: 'The snapshot failed: the responder role lacked ec2:CreateSnapshots.',
  });
  await c.updatePostmortem({ field: 'lessons', text: 'Workload identity for CI, not static keys.' });
  await c.addActionItem({
    itemId: 'AI-1',
    text: 'Move CI to workload identity and delete static keys',
    owner: 'bob',
    due: '2026-05-01',
  });
  await c.addActionItem({
    itemId: 'AI-2',
    text: 'Grant ec2:CreateSnapshots to the responder role',
    owner: 'dave',
    due: '2026-04-22',
  });
  await c.addActionItem({
    itemId: 'AI-3',
    text: 'Mask environment output in build logs',
    owner: 'erin',
    due: '2026-04-23',
  });
  await c.updateActionItem({ itemId: 'AI-3', status: 'done', note: 'merged' });
  return { file, store, evidence, close: async () => void (await journal?.close()) };
}
