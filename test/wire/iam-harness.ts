// The IAM action tests' common ground: the IAM and STS sims on one 127.0.0.1 endpoint, the real
// SDK clients from createAwsClients pointed at it, and an ActionRunner over the IAM actions plus a
// stand-in for the CloudTrail evidence action (written elsewhere) so the evidence guardrail can be
// satisfied the way a responder would: capture first, then contain.

import { onTestFinished } from 'vitest';
import { createAwsClients, destroyAwsClients } from '../../src/actions/aws/clients.js';
import { IAM_ACTIONS } from '../../src/actions/aws/iam/index.js';
import type { ActionDef, ActionEnv, Target } from '../../src/actions/types.js';
import type { AnyRecord } from '../../src/journal/records.js';
import { listenQuery, SimRecorder, type SimCall, IamSim, type IamSeed, StsSim } from '@firebreak/cloud-sim';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';

export const ACCOUNT = '123456789012';
/** The responder's clock: the cut-off is this, rounded up to the second. */
export const NOW = new Date('2026-03-14T02:17:03.250Z');
export const CUTOFF = '2026-03-14T02:17:04Z';

export const SEED: IamSeed = {
  account: ACCOUNT,
  roles: [
    {
      name: 'prod-db-reader',
      instanceProfiles: ['prod-db-reader-profile', 'batch-workers'],
      policies: {
        'read-rds': JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'rds:Describe*', Resource: '*' }],
        }),
      },
      trust: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'],
              AWS: 'arn:aws:iam::123456789012:role/ci-deployer',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    },
    { name: 'AWSServiceRoleForECS', path: '/aws-service-role/ecs.amazonaws.com/' },
  ],
  users: [
    {
      name: 'ci-bot',
      console: true,
      policies: {
        deploy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }],
        }),
      },
      accessKeys: [
        { id: 'AKIAIOSFODNN7EXAMPLE', lastUsed: { date: '2026-03-14T01:58:00Z', service: 's3', region: 'eu-west-1' } },
        { id: 'AKIAI44QH8DHBEXAMPLE', status: 'Inactive' },
      ],
    },
  ],
};

export const role = (id: string): Target => ({ kind: 'iam-role', id, label: `role ${id}` });
export const user = (id: string): Target => ({ kind: 'iam-user', id, label: `user ${id}` });
export const key = (id: string): Target => ({ kind: 'access-key', id, label: `access key ${id}` });

/** Stand-ins for the preserve-CloudTrail evidence actions (one per target kind): succeed, call nothing. */
const EVIDENCE_IDS = {
  'iam-role': 'aws.preserveCloudTrail',
  'access-key': 'aws.preserveCloudTrailKey',
  'iam-user': 'aws.preserveCloudTrailUser',
} as const;

export const EVIDENCE_STUB: ActionDef = {
  id: 'aws.preserveCloudTrail',
  title: 'Preserve CloudTrail',
  key: 'p',
  kind: 'iam-role',
  phase: 'evidence',
  destructive: false,
  reversible: false,
  evidence: true,
  needs: 'aws',
  plan: async () => ({ params: {}, calls: [], blastRadius: [], warnings: [] }),
  dryRun: async () => ({ kind: 'simulated', ok: true, message: 'stub', requestIds: [] }),
  execute: async () => ({ requestIds: [], outputs: {}, message: 'stub' }),
  verify: async () => ({ ok: true, detail: 'stub' }),
};

export const EVIDENCE_STUBS: ActionDef[] = Object.entries(EVIDENCE_IDS).map(([kind, id]) => ({
  ...EVIDENCE_STUB,
  id,
  kind: kind as ActionDef['kind'],
}));

const MUTATING = /^(Put|Delete|Update|Create|Attach|Detach)/;

export interface IamWorld {
  iam: IamSim;
  sts: StsSim;
  rec: SimRecorder;
  env: ActionEnv;
  fx: ActionFixture;
  /** Every mutating call the sim saw. */
  mutations(): SimCall[];
  /** Evidence first (the stand-in), then plan → confirm → execute. */
  contain(defId: string, target: Target): Promise<string>;
  records(type?: string): AnyRecord[];
  /** The journal record of one type for one action. */
  recordOf(type: string, actionId: string): AnyRecord | undefined;
  /** Plans the undo of `actionId`, confirms and executes it. */
  undo(actionId: string): Promise<string>;
}

/** `deadlineMs`: the clients' per-call deadline (30 s in the product; short to test a hang). */
export async function iamWorld(seed: IamSeed = SEED, o: { deadlineMs?: number } = {}): Promise<IamWorld> {
  const dir = tempDir('fb-iam-');
  const rec = new SimRecorder();
  const iam = new IamSim(structuredClone(seed), rec);
  const sts = new StsSim({ account: seed.account }, rec);
  const sim = await listenQuery(iam, sts);
  const aws = await createAwsClients({
    region: 'eu-west-1',
    endpoint: sim.url,
    credentials: { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-secret' },
    ...(o.deadlineMs ? { deadlineMs: o.deadlineMs } : {}),
  });
  const env = baseEnv(dir, { aws, now: () => NOW });
  const fx = await actionFixture(dir, env, { defs: [...IAM_ACTIONS, ...EVIDENCE_STUBS], backends: ['aws'] });
  rec.calls.length = 0; // the GetCallerIdentity of createAwsClients is not part of any action
  onTestFinished(async () => {
    await fx.close();
    destroyAwsClients(aws);
    await sim.close();
  });
  const records = (type?: string) => fx.records().filter((r) => !type || r.type === type);
  return {
    iam,
    sts,
    rec,
    env,
    fx,
    mutations: () => rec.calls.filter((c) => MUTATING.test(c.op)),
    contain: async (defId, target) => {
      await fx.run(EVIDENCE_IDS[target.kind as keyof typeof EVIDENCE_IDS], target);
      return fx.run(defId, target);
    },
    records,
    recordOf: (type, actionId) => records(type).find((r) => (r.data as { actionId?: string }).actionId === actionId),
    undo: async (actionId) => {
      const id = await fx.runner.planUndo(actionId);
      const hash = fx.store.getState().state.actions.get(id)!.planned.paramsHash;
      await fx.runner.confirm(id, hash);
      await fx.runner.execute(id);
      return id;
    },
  };
}

/** The decoded PolicyDocument a Put*Policy call sent (the SDK form-encodes it). */
export function sentDocument(c: SimCall): unknown {
  return JSON.parse(String(c.params['PolicyDocument']));
}

export function revokeDoc(cutoff = CUTOFF) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } },
    ],
  };
}
