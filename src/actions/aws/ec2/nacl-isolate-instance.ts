// aws.naclIsolateInstance: the instance's private IPs are denied at the subnet edge — one
// CreateNetworkAclEntry per /32 and direction in the network ACL of the subnet, numbered below the
// ACL's lowest rule so it is evaluated first. Network ACLs are stateless: unlike a security-group
// change (tracked connections survive it, for up to 5 days), the deny cuts established
// connections at once. The entries added are the outputs aws.restoreNacl deletes, and only those.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html

import {
  CreateNetworkAclEntryCommand,
  DescribeInstancesCommand,
  type EC2Client,
  type Instance,
  type NetworkAcl,
} from '@aws-sdk/client-ec2';
import { ActionError, awsRequestId, describeApiError } from '../../errors.js';
import type { ActionEnv, ActionPlan, DryRunResult, ExecuteResult, Target, VerifyResult } from '../../types.js';
import { keepPrevious } from '../../call-context.js';
import { ec2Of, instanceIdOf, readInstance, rehearse } from './common.js';
import {
  aclById,
  comesFirst,
  DEFAULT_DENY_RULE,
  type DenyEntry,
  denyEntry,
  describeEntry,
  direction,
  ENTRY_LIMIT,
  entryAt,
  firstAllow,
  isOurDeny,
  readAcls,
  ruleEntries,
} from './network-acl.js';
import { actionMeta } from '../../meta.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { INSTANCE_ID } from '../../target-checks.js';

const naclParams = z.strictObject({
  instanceId: z.string().regex(INSTANCE_ID),
  vpcId: z.string().min(1),
  region: z.string(),
  subnets: z.array(
    z.strictObject({ subnetId: z.string().min(1), networkAclId: z.string().min(1), cidrs: z.array(z.string()) }),
  ),
  /** `present`: already in the ACL at plan time (made by an earlier run or by hand) — not created, never undone. */
  entries: z.array(denyEntry.extend({ present: z.boolean() })),
});
type NaclParams = z.infer<typeof naclParams>;
type SubnetAcl = NaclParams['subnets'][number];
type PlannedEntry = NaclParams['entries'][number];

function aclIdsOf(entries: DenyEntry[]): string {
  return [...new Set(entries.map((e) => e.networkAclId))].join(', ');
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Every private IPv4 address of every interface (secondary ones too), by the interface's subnet. */
function addressesBySubnet(i: Instance): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of i.NetworkInterfaces ?? []) {
    const subnet = n.SubnetId ?? i.SubnetId;
    const ips = n.PrivateIpAddresses?.length
      ? n.PrivateIpAddresses.map((a) => a.PrivateIpAddress)
      : [n.PrivateIpAddress];
    const valid = ips.filter(
      (ip): ip is string => !!ip && IPV4.test(ip) && ip.split('.').every((o) => Number(o) <= 255),
    );
    if (!subnet || valid.length === 0) continue;
    out.set(subnet, [...new Set([...(out.get(subnet) ?? []), ...valid.map((ip) => `${ip}/32`)])]);
  }
  return out;
}

/**
 * The deny entries for one ACL: an effective deny already there is reused; new ones count down from
 * the lowest existing rule number of their direction, so each is evaluated before every rule there.
 */
function entriesFor(acl: NetworkAcl, cidrs: string[]): PlannedEntry[] {
  const out: PlannedEntry[] = [];
  for (const egress of [false, true]) {
    const existing = ruleEntries(acl, egress);
    const taken = new Set(existing.map((e) => e.RuleNumber!));
    let next = Math.min(DEFAULT_DENY_RULE, ...taken) - 1;
    for (const cidrBlock of cidrs) {
      const base = { networkAclId: acl.NetworkAclId!, egress, cidrBlock };
      const there = existing.find(
        (e) =>
          isOurDeny(e, { ...base, ruleNumber: e.RuleNumber! }) &&
          comesFirst(acl, { ...base, ruleNumber: e.RuleNumber! }),
      );
      if (there) {
        out.push({ ...base, ruleNumber: there.RuleNumber!, present: true });
        continue;
      }
      while (next >= 1 && taken.has(next)) next--;
      if (next < 1) {
        throw new ActionError(
          `no free rule number below ${Math.min(...taken)} in the ${direction(egress)} rules of ${acl.NetworkAclId}: a deny for ${cidrBlock} could not come before them`,
          'NoFreeRuleNumber',
          'renumber the ACL so there is room below its first rule (rule numbers 1–32766), or add the deny by hand',
        );
      }
      out.push({ ...base, ruleNumber: next, present: false });
      taken.add(next--);
    }
  }
  return out;
}

/** The deny-all entry for one planned rule; the dry run sends the same request with DryRun. */
function denyEntryCommand(e: Omit<PlannedEntry, 'present'>, dryRun = false): CreateNetworkAclEntryCommand {
  return new CreateNetworkAclEntryCommand({
    NetworkAclId: e.networkAclId,
    RuleNumber: e.ruleNumber,
    Protocol: '-1',
    RuleAction: 'deny',
    Egress: e.egress,
    CidrBlock: e.cidrBlock,
    ...(dryRun ? { DryRun: true } : {}),
  });
}

async function othersInSubnets(ec2: EC2Client, instanceId: string, subnetIds: string[]): Promise<number> {
  const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'subnet-id', Values: subnetIds }] }));
  // The subnet is checked here too: a server that ignored the filter must not inflate the count.
  const inSubnets = (i: Instance) =>
    [i.SubnetId, ...(i.NetworkInterfaces ?? []).map((n) => n.SubnetId)].some(
      (s) => s !== undefined && subnetIds.includes(s),
    );
  const live = out.Reservations?.flatMap((r) => r.Instances ?? []).filter(
    (i) => i.InstanceId !== instanceId && i.State?.Name !== 'terminated' && inSubnets(i),
  );
  return new Set(live?.map((i) => i.InstanceId)).size;
}

async function plan(target: Target, env: ActionEnv): Promise<ActionPlan<NaclParams>> {
  const ec2 = ec2Of(env);
  const instanceId = instanceIdOf(target);
  const { instance } = await readInstance(ec2, instanceId);
  const vpcId = instance.VpcId;
  if (!vpcId)
    throw new ActionError(`instance ${instanceId} is not in a VPC`, 'NoVpc', 'network ACLs exist only in a VPC');
  const bySubnet = addressesBySubnet(instance);
  if (bySubnet.size === 0)
    throw new ActionError(
      `instance ${instanceId} has no private IPv4 address`,
      'NoPrivateIp',
      'nothing to deny by address: use the security-group isolation (i)',
    );
  const subnetIds = [...bySubnet.keys()];
  const { acls } = await readAcls(ec2, { subnetIds });
  const subnets: SubnetAcl[] = subnetIds.map((subnetId) => {
    const acl = acls.find((a) => a.Associations?.some((x) => x.SubnetId === subnetId));
    if (!acl)
      throw new ActionError(
        `no network ACL is associated with ${subnetId}`,
        'NoNetworkAcl',
        'every subnet has one on AWS: check that these credentials may call DescribeNetworkAcls in this region',
      );
    return { subnetId, networkAclId: acl.NetworkAclId!, cidrs: bySubnet.get(subnetId)! };
  });
  const aclIds = [...new Set(subnets.map((s) => s.networkAclId))];
  const entries = aclIds.flatMap((id) =>
    entriesFor(
      aclById(acls, id)!,
      subnets.filter((s) => s.networkAclId === id).flatMap((s) => s.cidrs),
    ),
  );
  const others = await othersInSubnets(ec2, instanceId, subnetIds);
  const cidrs = subnets.flatMap((s) => s.cidrs);
  const fresh = entries.filter((e) => !e.present);
  const params: NaclParams = { instanceId, vpcId, region: env.aws?.region ?? '', subnets, entries };

  const blastRadius: string[] = [
    `${instanceId}: every packet to or from ${cidrs.join(', ')} that crosses the subnet edge is dropped at once — established connections too`,
  ];
  const warnings: string[] = [];
  for (const id of aclIds) {
    const acl = aclById(acls, id)!;
    const mine = subnets.filter((s) => s.networkAclId === id).map((s) => s.subnetId);
    const elsewhere = (acl.Associations ?? []).map((x) => x.SubnetId!).filter((s) => !mine.includes(s));
    const added = (egress: boolean) => fresh.filter((e) => e.networkAclId === id && e.egress === egress).length;
    const count = (egress: boolean) =>
      `${direction(egress)} ${ruleEntries(acl, egress).length} → ${ruleEntries(acl, egress).length + added(egress)}`;
    blastRadius.push(
      `${id}${acl.IsDefault ? " (the VPC's default ACL)" : ''} is shared by the whole of ${mine.join(', ')}${elsewhere.length ? ` and ${elsewhere.length} other subnet${elsewhere.length === 1 ? '' : 's'} (${elsewhere.join(', ')})` : ''}: only the /32s above are denied, every other address keeps the ACL's rules`,
      `entries in ${id}: ${count(false)}, ${count(true)} (default quota ${ENTRY_LIMIT} per direction)`,
    );
    for (const egress of [false, true]) {
      if (ruleEntries(acl, egress).length + added(egress) > ENTRY_LIMIT)
        warnings.push(
          `${id} would hold more than ${ENTRY_LIMIT} ${direction(egress)} rules: CreateNetworkAclEntry fails with NetworkAclEntryLimitExceeded unless the quota was raised`,
        );
    }
  }
  blastRadius.push(
    others > 0
      ? `${others} other instance${others === 1 ? '' : 's'} in ${subnetIds.join(', ')} keep${others === 1 ? 's' : ''} their traffic (their addresses match no deny entry)`
      : `no other instance in ${subnetIds.join(', ')}`,
  );

  warnings.push(
    "network ACLs are stateless: the deny cuts ESTABLISHED connections at once in both directions — the attacker's sessions, and your own SSM Session Manager or SSH sessions to the instance, its EDR and log agents too: collect through them first",
    'a /32 deny does not stop traffic within the instance itself, and network ACLs are evaluated where traffic enters or leaves the subnet, not between instances inside it: lateral movement to neighbours in the same subnet stays open — the security-group isolation (i) covers that',
    'network ACLs cannot block DNS queries to the Route 53 Resolver (VPC+2) nor the instance metadata service: DNS tunnelling stays possible (Route 53 Resolver DNS Firewall can block it)',
  );
  if ((instance.NetworkInterfaces ?? []).some((n) => n.Ipv6Addresses?.length))
    warnings.push('the instance has IPv6 addresses: they are NOT denied (only IPv4 /32 entries are added)');
  return {
    params,
    calls: [
      {
        service: 'ec2',
        op: 'DescribeNetworkAcls',
        summary: `read ${aclIds.join(', ')}: the planned rule numbers are still free (or already hold these denies)`,
        mutating: false,
      },
      ...fresh.map((e) => ({
        service: 'ec2' as const,
        op: 'CreateNetworkAclEntry',
        summary: `${describeEntry(e)} (Protocol -1, RuleAction deny, Egress ${e.egress})`,
        mutating: true,
      })),
      {
        service: 'ec2',
        op: 'DescribeNetworkAcls',
        summary: 'read back: every deny entry in place, before every allow rule of its direction',
        mutating: false,
      },
    ],
    blastRadius,
    warnings: [
      ...warnings,
      ...entries
        .filter((e) => e.present)
        .map((e) => `already in place, not created (and not removed by the undo): ${describeEntry(e)}`),
    ],
    guidance: [
      'use both: the security-group isolation (i) stops new connections and traffic inside the subnet; this step cuts what is already established',
      'evidence first: snapshot the volumes (s) — and take memory through SSM or your EDR before this cuts the agents off',
    ],
  };
}

async function dryRun(target: Target, plan: ActionPlan<NaclParams>, env: ActionEnv): Promise<DryRunResult> {
  const ec2 = ec2Of(env);
  const fresh = plan.params.entries.filter((e) => !e.present);
  if (fresh.length === 0)
    return {
      kind: 'simulated',
      ok: true,
      message: 'nothing to create: every deny entry was already in place when planned',
      requestIds: [],
    };
  return rehearse(
    fresh.map((e) => ({
      label: `CreateNetworkAclEntry ${e.networkAclId} ${direction(e.egress)} ${e.ruleNumber}`,
      run: () => ec2.send(denyEntryCommand(e, true)),
    })),
  );
}

async function execute(
  target: Target,
  plan: ActionPlan<NaclParams>,
  env: ActionEnv,
  token: string,
): Promise<ExecuteResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const aclIds = [...new Set(p.entries.map((e) => e.networkAclId))];
  const read = await readAcls(ec2, { ids: aclIds });
  const requestIds = [...read.requestIds];
  const create: DenyEntry[] = [];
  const problems: string[] = [];
  for (const e of p.entries) {
    const now = entryAt(aclById(read.acls, e.networkAclId), e.egress, e.ruleNumber);
    if (isOurDeny(now, e)) continue;
    if (now)
      problems.push(
        `${direction(e.egress)} rule ${e.ruleNumber} of ${e.networkAclId} now holds ${now.RuleAction} ${now.Protocol} ${now.CidrBlock ?? now.Ipv6CidrBlock}`,
      );
    else if (e.present) problems.push(`${describeEntry(e)} was in place at plan time and is gone`);
    else
      create.push({ networkAclId: e.networkAclId, egress: e.egress, ruleNumber: e.ruleNumber, cidrBlock: e.cidrBlock });
  }
  // Checked before the first change: a half-applied deny (inbound cut, outbound open) helps nobody.
  if (problems.length)
    throw new ActionError(
      `the network ACL changed since the plan: ${problems.join('; ')}`,
      'NetworkAclChanged',
      're-plan: the new plan picks free rule numbers',
      requestIds,
    );
  // Journaled before the first create (src/actions/call-context.ts): the entries this isolation
  // adds, so the undo of a half-applied run knows them (it skips any that never went in). A
  // completion keeps the first attempt's list, so its undo removes every entry, not only the rest.
  const ours = (await keepPrevious({ added: create })).added;
  const added: DenyEntry[] = [];
  for (const e of create) {
    try {
      requestIds.push(...awsRequestId(await ec2.send(denyEntryCommand(e))));
    } catch (err) {
      if (added.length === 0) throw err;
      const f = describeApiError(err);
      throw new ActionError(
        `${f.message} — after ${added.length} of ${create.length} entries were created (${added.map((a) => `${direction(a.egress)} ${a.ruleNumber}`).join(', ')} in ${aclIdsOf(added)}): C completes the isolation, u removes the entries that went in`,
        f.code,
        f.hint,
        [...requestIds, ...f.requestIds],
        err,
      );
    }
    added.push(e);
  }
  const cidrs = p.subnets.flatMap((s) => s.cidrs).join(', ');
  const alreadyApplied = added.length === 0;
  return {
    requestIds,
    outputs: {
      actionId: token,
      networkAclIds: aclIds,
      ruleNumbers: ours.map((e) => e.ruleNumber),
      added: ours,
      alreadyApplied,
    },
    message: alreadyApplied
      ? `already applied: ${cidrs} already denied in ${aclIds.join(', ')} (rules ${p.entries.map((e) => `${direction(e.egress)} ${e.ruleNumber}`).join(', ')})`
      : `denied ${cidrs} of ${p.instanceId} at the subnet edge: ${added.map((e) => `${e.networkAclId} ${direction(e.egress)} rule ${e.ruleNumber}`).join(', ')} — established connections are cut`,
  };
}

async function verify(target: Target, plan: ActionPlan<NaclParams>, env: ActionEnv): Promise<VerifyResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  // Read by subnet, not by ACL id: a subnet moved to another ACL escapes entries that are still there.
  const { acls } = await readAcls(ec2, { subnetIds: p.subnets.map((s) => s.subnetId) });
  const problems: string[] = [];
  for (const s of p.subnets) {
    const now = acls.find((a) => a.Associations?.some((x) => x.SubnetId === s.subnetId))?.NetworkAclId;
    if (now !== s.networkAclId)
      problems.push(`${s.subnetId} is associated with ${now ?? 'no ACL'}, not ${s.networkAclId}`);
  }
  for (const e of p.entries) {
    const acl = aclById(acls, e.networkAclId);
    if (!acl) continue;
    const now = entryAt(acl, e.egress, e.ruleNumber);
    if (!isOurDeny(now, e))
      problems.push(
        `${direction(e.egress)} rule ${e.ruleNumber} of ${e.networkAclId} ${now ? `holds ${now.RuleAction} ${now.Protocol} ${now.CidrBlock ?? now.Ipv6CidrBlock}` : 'is missing'}, expected deny all ${e.cidrBlock}`,
      );
    else if (!comesFirst(acl, e))
      problems.push(
        `${direction(e.egress)} rule ${e.ruleNumber} of ${e.networkAclId} comes after allow rule ${firstAllow(acl, e.egress)}`,
      );
  }
  if (problems.length) return { ok: false, detail: `read-back disagrees: ${problems.join('; ')}` };
  return {
    ok: true,
    detail: `${p.entries.length} deny entries in place before every allow rule: ${p.entries.map((e) => `${e.networkAclId} ${direction(e.egress)} ${e.ruleNumber} ${e.cidrBlock}`).join(', ')}`,
  };
}

export const naclIsolateInstance = defineAction<NaclParams>({
  ...actionMeta('aws.naclIsolateInstance'),
  params: naclParams,
  plan,
  dryRun,
  execute,
  verify,
});
