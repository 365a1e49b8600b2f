// Inline policies on one IAM principal (a role or a user), the same way for both: read one (absent
// is not an error), write the documents that are not already in place, read them back, put back
// what was there before. Roles and users differ only in the commands, so the deny-all, key and
// restore actions share this.

import { keepPrevious } from '../../call-context.js';
import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { z } from 'zod';
import { awsRequestId } from '../../errors.js';
import type { VerifyResult } from '../../types.js';
import { decodePolicy, samePolicy } from './policies.js';

export interface InlinePolicies {
  kind: 'role' | 'user';
  name: string;
  /** The decoded document, or undefined when there is no policy of that name. */
  get(policy: string): Promise<{ doc: string | undefined; requestIds: string[] }>;
  put(policy: string, doc: string): Promise<string[]>;
  /** Deletes; a policy already gone is fine (undo after someone else removed it). */
  remove(policy: string): Promise<string[]>;
}

function isMissing(e: unknown): boolean {
  return e instanceof NoSuchEntityException || (e as { name?: string })?.name === 'NoSuchEntityException';
}

export function rolePolicies(iam: IAMClient, roleName: string): InlinePolicies {
  return {
    kind: 'role',
    name: roleName,
    async get(policy) {
      try {
        const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policy }));
        return {
          doc: out.PolicyDocument === undefined ? undefined : decodePolicy(out.PolicyDocument),
          requestIds: awsRequestId(out),
        };
      } catch (e) {
        if (isMissing(e)) return { doc: undefined, requestIds: [] };
        throw e;
      }
    },
    async put(policy, doc) {
      return awsRequestId(
        await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policy, PolicyDocument: doc })),
      );
    },
    async remove(policy) {
      try {
        return awsRequestId(await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policy })));
      } catch (e) {
        if (isMissing(e)) return [];
        throw e;
      }
    },
  };
}

export function userPolicies(iam: IAMClient, userName: string): InlinePolicies {
  return {
    kind: 'user',
    name: userName,
    async get(policy) {
      try {
        const out = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policy }));
        return {
          doc: out.PolicyDocument === undefined ? undefined : decodePolicy(out.PolicyDocument),
          requestIds: awsRequestId(out),
        };
      } catch (e) {
        if (isMissing(e)) return { doc: undefined, requestIds: [] };
        throw e;
      }
    },
    async put(policy, doc) {
      return awsRequestId(
        await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policy, PolicyDocument: doc })),
      );
    },
    async remove(policy) {
      try {
        return awsRequestId(await iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policy })));
      } catch (e) {
        if (isMissing(e)) return [];
        throw e;
      }
    },
  };
}

/** Desired state: policy name → document, or null for "no such policy". */
export const policyState = z.record(z.string().min(1), z.string().nullable());
export type PolicyState = z.infer<typeof policyState>;

export interface Applied {
  /** What each policy was before (null: absent): what undo puts back. */
  previous: PolicyState;
  changed: string[];
  unchanged: string[];
  requestIds: string[];
}

/**
 * Brings the principal's policies to `wanted`, calling only for those that differ. Every policy is
 * read first and what it was is kept for undo (journaled) before the first write; a completion of
 * a partial run gets the first attempt's `previous` back, not the half-written state it reads.
 */
export async function applyPolicies(p: InlinePolicies, wanted: PolicyState): Promise<Applied> {
  const out: Applied = { previous: {}, changed: [], unchanged: [], requestIds: [] };
  const now = new Map<string, string | undefined>();
  const read: PolicyState = {};
  for (const name of Object.keys(wanted)) {
    const cur = await p.get(name);
    out.requestIds.push(...cur.requestIds);
    now.set(name, cur.doc);
    read[name] = cur.doc ?? null;
  }
  out.previous = (await keepPrevious({ previous: read })).previous;
  for (const [name, doc] of Object.entries(wanted)) {
    const cur = { doc: now.get(name) };
    if (doc === null ? cur.doc === undefined : samePolicy(cur.doc, doc)) {
      out.unchanged.push(name);
      continue;
    }
    out.requestIds.push(...(doc === null ? await p.remove(name) : await p.put(name, doc)));
    out.changed.push(name);
  }
  return out;
}

/**
 * Reads every policy back, each as a part (in place or not); the detail names the first that is
 * not exactly as wanted (compared as JSON).
 */
export async function readBack(
  p: InlinePolicies,
  wanted: PolicyState,
): Promise<VerifyResult & { parts: NonNullable<VerifyResult['parts']> }> {
  const lines: string[] = [];
  const parts: NonNullable<VerifyResult['parts']> = [];
  let bad: string | undefined;
  for (const [name, doc] of Object.entries(wanted)) {
    const cur = (await p.get(name)).doc;
    const what = doc === null ? `${name} absent from ${p.kind} ${p.name}` : `${name} on ${p.kind} ${p.name}`;
    let why: string | undefined;
    if (doc === null) {
      if (cur !== undefined) why = `${p.kind} ${p.name} still has inline policy ${name}`;
      else lines.push(`${name} absent`);
    } else if (cur === undefined) why = `${p.kind} ${p.name} has no inline policy ${name}`;
    else if (!samePolicy(cur, doc))
      why = `${p.kind} ${p.name}'s inline policy ${name} is not the document written (changed since?): ${cur.slice(0, 300)}`;
    else lines.push(`${name} in place`);
    parts.push({ what, inPlace: !why });
    bad ??= why;
  }
  if (bad) return { ok: false, detail: bad, parts };
  return {
    ok: true,
    detail: `${p.kind} ${p.name}: ${lines.join(', ')} (read back; IAM may take a few minutes to make it effective everywhere)`,
    parts,
  };
}

/** What applying `wanted` would do, read-only (IAM has no dry run). */
export async function simulatePolicies(
  p: InlinePolicies,
  wanted: PolicyState,
): Promise<{ lines: string[]; requestIds: string[] }> {
  const lines: string[] = [];
  const requestIds: string[] = [];
  for (const [name, doc] of Object.entries(wanted)) {
    const cur = await p.get(name);
    requestIds.push(...cur.requestIds);
    if (doc === null) lines.push(cur.doc === undefined ? `${name}: already absent` : `${name}: would be deleted`);
    else if (cur.doc === undefined) lines.push(`${name}: would be created`);
    else if (samePolicy(cur.doc, doc)) lines.push(`${name}: already in place`);
    else lines.push(`${name}: would overwrite the existing document (kept for undo)`);
  }
  return { lines, requestIds };
}

export function describeChange(a: Applied, p: InlinePolicies): string {
  if (!a.changed.length) return `already applied: ${a.unchanged.join(' and ')} already in place on ${p.kind} ${p.name}`;
  const kept = a.unchanged.length ? `; ${a.unchanged.join(', ')} already in place` : '';
  return `${p.kind} ${p.name}: wrote ${a.changed.join(' and ')}${kept}`;
}
