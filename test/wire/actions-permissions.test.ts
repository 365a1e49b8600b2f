// The permissions each action declares (src/actions/meta.ts) cover what it really calls: every
// action and undo runs through the runner against the drill's simulated cloud, and each call its
// plan lists, and each mutating call the cloud then logs (the follow-up CloudTrail and audit events),
// must be allowed by its declaration — so the generated responder role (`firebreak permissions`)
// lacks nothing an action needs at 03:00.

import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { drillCloud, type DrillCloud } from '../../app/commands/drill-cloud.js';
import { actionMeta } from '../../src/actions/meta.js';
import type { ActionPermissions, PlannedCall, Target } from '../../src/actions/types.js';
import type { IncidentEvent } from '../../src/domain/event.js';
import { loadScenario } from '../../src/sources/drill/scenario.js';
import { ActionRunner } from '../../store/action-runner.js';
import { actionStatus } from '../../store/action-selectors.js';
import { newIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';

const NOW = new Date('2026-04-20T14:40:00Z');
let cloud: DrillCloud | undefined;
let closeJournal: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cloud?.close();
  await closeJournal?.();
});

/** S3 API operations whose IAM action has another name (Amazon S3 API reference, "Permissions"). */
const S3_ACTION: Record<string, string> = {
  HeadObject: 'GetObject',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeletePublicAccessBlock.html needs the Put permission.
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  // CloudTrail's names for the same calls.
  DeleteBucketPublicAccessBlock: 'PutBucketPublicAccessBlock',
};
const KUBE_VERB: Record<string, string> = {
  GET: 'get',
  LIST: 'list',
  POST: 'create',
  PATCH: 'patch',
  PUT: 'update',
  DELETE: 'delete',
};

/** What each planned call needs, as `iam:Action`, `k8s:resource:verb` or `vault:path:capability`. */
function needed(c: PlannedCall): string[] {
  if (c.service === 'kubernetes') {
    const [method = '', path = ''] = c.op.split(' ');
    const [resource = '', , sub] = path.split('/');
    return [`k8s:${sub ? `${resource}/${sub}` : resource}:${KUBE_VERB[method]}`];
  }
  if (c.service === 'vault') {
    const [method = '', path = ''] = c.op.split(' ');
    return [`vault:${path.replace(/^\/v1\//, '')}:${method === 'LIST' ? 'list' : 'update'}`];
  }
  return c.op
    .split(/[/+]/)
    .map((op) => op.trim())
    .map((op) => `${c.service}:${c.service === 's3' ? (S3_ACTION[op] ?? op) : op}`);
}

/** What a logged mutating call needed. */
function neededByEvent(e: IncidentEvent): string {
  const raw = e.raw as { eventSource?: string; eventName?: string; verb?: string; objectRef?: { resource?: string } };
  if (e.source === 'k8s-audit') return `k8s:${raw.objectRef?.resource}:${raw.verb}`;
  const service = String(raw.eventSource).split('.')[0];
  const name = String(raw.eventName);
  return `${service}:${service === 's3' ? (S3_ACTION[name] ?? name) : name}`;
}

function allows(p: ActionPermissions, need: string): boolean {
  if (need.startsWith('k8s:')) {
    const [, resource, verb] = need.split(':');
    return (p.kubernetes ?? []).some((r) => r.resource === resource && (r.verbs as readonly string[]).includes(verb!));
  }
  if (need.startsWith('vault:')) {
    const [, path = '', cap] = need.split(':');
    return (p.vault ?? []).some(
      (v) => path.startsWith(v.path.replace(/\*$/, '')) && (v.capabilities as readonly string[]).includes(cap!),
    );
  }
  return (p.aws ?? []).includes(need);
}

async function session(name: string) {
  const scenario = await loadScenario(name);
  const dir = tempDir();
  cloud = drillCloud(scenario, {
    incidentId: scenario.incident.id,
    evidenceDir: join(dir, 'evidence'),
    now: () => NOW,
    toolVersion: 'firebreak test',
  });
  const { store, journal } = await newIncident(join(dir, 'drill.jsonl'), {
    incidentId: scenario.incident.id,
    title: scenario.incident.title,
    mode: 'drill',
    scenario: scenario.name,
  });
  closeJournal = () => journal!.close();
  const runner = new ActionRunner({ store, mode: 'drill', env: cloud.env, backends: cloud.backends });
  const c = cloud;
  const missing: string[] = [];
  const ran: string[] = [];
  const check = async (actionId: string) => {
    const a = store.getState().state.actions.get(actionId)!;
    await runner.confirm(actionId, a.planned.paramsHash);
    await runner.execute(actionId);
    expect(
      actionStatus(store.getState().state.actions.get(actionId)!, store.getState().meta.loadedSeq),
      a.planned.action,
    ).toBe('verified');
    const p = actionMeta(a.planned.action).permissions;
    const needs = [...a.planned.calls.flatMap((x) => needed(x as PlannedCall)), ...c.drain().map(neededByEvent)];
    for (const n of new Set(needs)) if (!allows(p, n)) missing.push(`${a.planned.action} needs ${n}`);
    ran.push(a.planned.action);
    return actionId;
  };
  const run = async (defId: string, target: Target) => check(await runner.plan(defId, target));
  const undo = async (actionId: string) => check(await runner.planUndo(actionId));
  return { store, run, undo, missing, ran, env: () => c.env() };
}

it('every action and undo in the drill estates calls only what it declares', async () => {
  const aws = await session('inc-2026-042');
  await aws.store.getState().actions.armSession((await aws.env()).aws!.account, '123456789012');
  const key: Target = { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01', label: 'key' };
  await aws.run('aws.preserveCloudTrailKey', key);
  await aws.undo(await aws.run('aws.deactivateKey', key));
  const role: Target = { kind: 'iam-role', id: 'orders-api-prod', label: 'role' };
  await aws.run('aws.preserveCloudTrail', role);
  await aws.undo(await aws.run('aws.denyAllRole', role));
  const user: Target = { kind: 'iam-user', id: 'dba-breakglass', label: 'user' };
  await aws.run('aws.preserveCloudTrailUser', user);
  await aws.undo(await aws.run('aws.denyAllUser', user));
  const inst: Target = { kind: 'instance', id: 'i-0f9e8d7c6b5a43210', label: 'instance', scope: 'eu-west-1' };
  await aws.run('aws.snapshotVolumes', inst);
  await aws.undo(await aws.run('aws.isolateInstance', inst));
  await aws.undo(await aws.run('aws.naclIsolateInstance', inst));
  await aws.run('vault.revokeLeases', { kind: 'vault-prefix', id: 'database/creds/orders-prod', label: 'leases' });
  const bucket: Target = { kind: 'bucket', id: 'orders-prod-data', label: 'bucket', scope: 'eu-west-1' };
  await aws.undo(await aws.run('aws.blockPublicAccess', bucket));
  const ev = aws.store.getState().state.evidence[0]!;
  await aws.run('aws.uploadEvidence', { kind: 'evidence', id: ev.evidenceId, label: ev.path });
  const ranAws = aws.ran;
  const missing = [...aws.missing];
  await cloud!.close();
  await closeJournal!();
  cloud = undefined;
  closeJournal = undefined;

  const k8s = await session('k8s-compromised-pod');
  await k8s.store.getState().actions.armSession((await k8s.env()).kube!.cluster, 'prod-eu-west-1');
  const pod: Target = { kind: 'pod', id: 'payments/api-7d9f8b6c5-x2kqp', label: 'pod', scope: 'payments' };
  await k8s.run('k8s.capturePod', pod);
  await k8s.undo(await k8s.run('k8s.quarantinePod', pod));
  await k8s.undo(await k8s.run('k8s.isolateNamespace', { kind: 'namespace', id: 'payments', label: 'namespace' }));
  await k8s.undo(
    await k8s.run('k8s.cordonNode', { kind: 'node', id: 'ip-10-30-12-84.eu-west-1.compute.internal', label: 'node' }),
  );
  missing.push(...k8s.missing);

  const { ACTION_META } = await import('../../src/actions/meta.js');
  expect([...ranAws, ...k8s.ran].sort()).toEqual(ACTION_META.map((m) => m.id).sort());
  expect(missing).toEqual([]);
}, 60_000);
