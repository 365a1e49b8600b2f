// What the network-ACL isolation and its undo share: the deny entries (one per private IP and
// direction, identified by ACL, direction and rule number — the three things DeleteNetworkAclEntry
// takes), reading ACLs back, and the rules of evaluation (Amazon VPC User Guide, "Network ACL
// rules": lowest rule number first, the first match decides; rule numbers 1–32766; the `*` rule is
// reported as 32767 and cannot be changed).

import { DescribeNetworkAclsCommand, type EC2Client, type NetworkAcl, type NetworkAclEntry } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { awsRequestId } from '../../errors.js';

export const DEFAULT_DENY_RULE = 32767;
/** The default quota "rules per network ACL", per direction (Amazon VPC quotas; adjustable). */
export const ENTRY_LIMIT = 20;

/** A deny entry: identified by ACL, direction and rule number (what DeleteNetworkAclEntry takes). */
export const denyEntry = z.strictObject({
  networkAclId: z.string().min(1),
  egress: z.boolean(),
  ruleNumber: z.number().int().min(1).max(32766),
  cidrBlock: z.string().min(1),
});
export type DenyEntry = z.infer<typeof denyEntry>;

export function direction(egress: boolean): 'outbound' | 'inbound' {
  return egress ? 'outbound' : 'inbound';
}

export function describeEntry(e: DenyEntry): string {
  return `${e.networkAclId} ${direction(e.egress)} rule ${e.ruleNumber}: deny all ${e.egress ? 'to' : 'from'} ${e.cidrBlock}`;
}

/** The entries of one direction that can be changed (the `*` rule cannot). */
export function ruleEntries(acl: NetworkAcl, egress: boolean): NetworkAclEntry[] {
  return (acl.Entries ?? []).filter((e) => e.Egress === egress && e.RuleNumber !== DEFAULT_DENY_RULE);
}

export function entryAt(acl: NetworkAcl | undefined, egress: boolean, ruleNumber: number): NetworkAclEntry | undefined {
  return acl?.Entries?.find((e) => e.Egress === egress && e.RuleNumber === ruleNumber);
}

/** The entry at that number is exactly our deny: all protocols, this /32. */
export function isOurDeny(e: NetworkAclEntry | undefined, d: DenyEntry): boolean {
  return !!e && e.RuleAction === 'deny' && e.Protocol === '-1' && e.CidrBlock === d.cidrBlock;
}

/** The lowest-numbered allow rule of a direction (the first one our deny must come before). */
export function firstAllow(acl: NetworkAcl, egress: boolean): number | undefined {
  const allows = ruleEntries(acl, egress)
    .filter((e) => e.RuleAction === 'allow')
    .map((e) => e.RuleNumber!);
  return allows.length ? Math.min(...allows) : undefined;
}

/** Our deny is evaluated before every allow rule of its direction (so nothing lets the /32 through). */
export function comesFirst(acl: NetworkAcl, d: DenyEntry): boolean {
  const first = firstAllow(acl, d.egress);
  return first === undefined || d.ruleNumber < first;
}

export async function readAcls(
  ec2: EC2Client,
  query: { ids?: string[]; subnetIds?: string[] },
): Promise<{ acls: NetworkAcl[]; requestIds: string[] }> {
  const out = await ec2.send(
    new DescribeNetworkAclsCommand(
      query.ids
        ? { NetworkAclIds: query.ids }
        : { Filters: [{ Name: 'association.subnet-id', Values: query.subnetIds ?? [] }] },
    ),
  );
  return { acls: out.NetworkAcls ?? [], requestIds: awsRequestId(out) };
}

export function aclById(acls: readonly NetworkAcl[], id: string): NetworkAcl | undefined {
  return acls.find((a) => a.NetworkAclId === id);
}
