// What the EC2 actions share: the client (or why there is none), reading one instance, and the
// server-side rehearsal — EC2 answers a `DryRun: true` call it would have accepted with the
// DryRunOperation error, and anything else (UnauthorizedOperation, NotFound) with the real error.

import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import { neutraliseLine } from '../../../safety/neutralise.js';
import { ActionError, awsRequestId, describeApiError } from '../../errors.js';
import type { ActionEnv, DryRunResult, Target } from '../../types.js';

/** The tag every resource firebreak creates carries, naming the action that created it (idempotency). */
export const ACTION_TAG = 'firebreak-action-id';
export const INCIDENT_TAG = 'incident-id';
export const ASG_TAG = 'aws:autoscaling:groupName';

export function ec2Of(env: ActionEnv): EC2Client {
  if (!env.aws)
    throw new ActionError('no AWS session', 'NoSession', 'start with firebreak live --profile P --region R');
  return env.aws.ec2;
}

import { INSTANCE_ID } from '../../target-checks.js';

/** Instance ids come from events (attacker-influenced): only a well-formed one reaches an API or a path. */
export function instanceIdOf(target: Target): string {
  if (!INSTANCE_ID.test(target.id))
    throw new ActionError(
      `not an EC2 instance id: ${neutraliseLine(target.id).slice(0, 80)}`,
      'InvalidInstanceID.Malformed',
      'select an event naming an instance (i-…)',
    );
  return target.id;
}

export interface InstanceRead {
  instance: Instance;
  requestIds: string[];
}

/** DescribeInstances for one instance; a terminated one cannot be acted on. */
export async function readInstance(ec2: EC2Client, instanceId: string): Promise<InstanceRead> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  if (!instance)
    throw new ActionError(
      `instance ${instanceId} was not returned by DescribeInstances`,
      'InvalidInstanceID.NotFound',
      undefined,
      awsRequestId(out),
    );
  if (instance.State?.Name === 'terminated')
    throw new ActionError(
      `instance ${instanceId} is terminated`,
      'IncorrectInstanceState',
      'nothing left to act on: its EBS snapshots (if any) and the journal are the evidence',
    );
  return { instance, requestIds: awsRequestId(out) };
}

export async function readTerminationProtection(
  ec2: EC2Client,
  instanceId: string,
): Promise<{ on: boolean; requestIds: string[] }> {
  const out = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
  );
  return { on: out.DisableApiTermination?.Value === true, requestIds: awsRequestId(out) };
}

export function tagValue(i: { Tags?: { Key?: string; Value?: string }[] }, key: string): string | undefined {
  return i.Tags?.find((t) => t.Key === key)?.Value;
}

/** A tag value or name shown in a plan line: attacker-settable, so one line, no escapes. */
export function shown(s: string | undefined): string {
  return neutraliseLine(s ?? '').slice(0, 120);
}

/** One rehearsed call: a label for the message and the DryRun call itself. */
export interface Rehearsal {
  label: string;
  run(): Promise<unknown>;
}

/** Runs each DryRun call; ok only if every one answered DryRunOperation. Stops at the first refusal. */
export async function rehearse(steps: Rehearsal[]): Promise<DryRunResult> {
  const requestIds: string[] = [];
  const passed: string[] = [];
  for (const s of steps) {
    try {
      await s.run();
      // A DryRun call that succeeds outright did not rehearse anything: say so rather than pass.
      return {
        kind: 'server',
        ok: false,
        message: `${s.label}: the API did not treat the call as a dry run`,
        requestIds,
      };
    } catch (e) {
      const f = describeApiError(e);
      requestIds.push(...f.requestIds);
      if (f.code !== 'DryRunOperation') {
        return {
          kind: 'server',
          ok: false,
          message: `${s.label} would fail: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`,
          requestIds,
        };
      }
      passed.push(s.label);
    }
  }
  return {
    kind: 'server',
    ok: true,
    message: `EC2 DryRun: every call would succeed (${passed.join('; ')})`,
    requestIds,
  };
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
