// The simulated EC2 API, network half: instances, their attributes and interfaces, security groups
// and their rules. Each handler validates (the errors AWS gives, with AWS's codes), then calls
// `ctx.commit()` — which answers a DryRun request with DryRunOperation — and only then changes state.

import type { Ec2RuleSeed, Ec2World, Instance, Rule, SecurityGroup } from '../model/world.js';
import { matches } from '../model/filters.js';
import { filters, list, structs, tagsFor, type Form } from './query.js';
import { el, reservationXml, ruleXml, securityGroupXml, set, tagSet } from './xml.js';

export class Ec2ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OpContext {
  /** Throws DryRunOperation for a DryRun request; call after validating, before changing anything. */
  commit(): void;
}

export type Op = (w: Ec2World, p: Form, ctx: OpContext) => string;

export function required(p: Form, name: string): string {
  const v = p[name];
  if (v === undefined || v === '')
    throw new Ec2ApiError(400, 'MissingParameter', `The request must contain the parameter ${name}`);
  return v;
}

/** Applies filters, turning an unknown filter name into AWS's InvalidParameterValue. */
export function filterBy<T>(
  w: Pick<Ec2World, 'ignoreFilters'>,
  items: T[],
  p: Form,
  fields: (x: T, name: string) => string[] | undefined,
  tagsOf: (x: T) => { key: string; value: string }[],
): T[] {
  if (w.ignoreFilters) return items;
  const fs = filters(p);
  return items.filter((x) => {
    const m = matches(fs, (n) => fields(x, n), tagsOf(x));
    if (typeof m === 'object')
      throw new Ec2ApiError(400, 'InvalidParameterValue', `The filter '${m.invalid}' is invalid`);
    return m;
  });
}

export function instanceOf(w: Ec2World, id: string): Instance {
  const i = w.instances.get(id);
  if (!i) throw new Ec2ApiError(400, 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  return i;
}

function groupOf(w: Ec2World, id: string): SecurityGroup {
  const g = w.groups.get(id);
  if (!g) throw new Ec2ApiError(400, 'InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  return g;
}

function describeInstances(w: Ec2World, p: Form): string {
  const ids = list(p, 'InstanceId');
  const missing = ids.filter((id) => !w.instances.has(id));
  if (missing.length === 1)
    throw new Ec2ApiError(400, 'InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1)
    throw new Ec2ApiError(400, 'InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  const pool = ids.length ? ids.map((id) => w.instances.get(id)!) : [...w.instances.values()];
  const found = filterBy(
    w,
    pool,
    p,
    (i, n) =>
      ({
        'instance-id': [i.instanceId],
        'vpc-id': [i.vpcId],
        'subnet-id': [i.subnetId],
        'instance-state-name': [i.state],
        'network-interface.network-interface-id': i.interfaceIds,
        'instance.group-id': w.instanceGroupIds(i),
      })[n],
    (i) => i.tags,
  );
  return reservationXml(w, found);
}

function describeInstanceAttribute(w: Ec2World, p: Form): string {
  const i = instanceOf(w, required(p, 'InstanceId'));
  const attr = required(p, 'Attribute');
  const head = el('instanceId', i.instanceId);
  if (attr === 'disableApiTermination')
    return head + `<disableApiTermination>${el('value', i.disableApiTermination)}</disableApiTermination>`;
  if (attr === 'groupSet')
    return (
      head +
      set(
        'groupSet',
        w.instanceGroupIds(i),
        (id) => el('groupId', id) + el('groupName', w.groups.get(id)?.groupName ?? id),
      )
    );
  if (attr === 'instanceType') return head + `<instanceType>${el('value', i.instanceType)}</instanceType>`;
  throw new Ec2ApiError(
    400,
    'InvalidParameterValue',
    `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`,
  );
}

function checkGroupsForVpc(w: Ec2World, ids: string[], vpcId: string): void {
  if (ids.length === 0) throw new Ec2ApiError(400, 'MissingParameter', 'You must specify at least one security group');
  for (const id of ids) {
    if (groupOf(w, id).vpcId !== vpcId)
      throw new Ec2ApiError(
        400,
        'InvalidParameter',
        'You have specified two resources that belong to different networks.',
      );
  }
}

function modifyInstanceAttribute(w: Ec2World, p: Form, ctx: OpContext): string {
  const i = instanceOf(w, required(p, 'InstanceId'));
  const groups = list(p, 'GroupId');
  const dat = p['DisableApiTermination.Value'] ?? (p.Attribute === 'disableApiTermination' ? p.Value : undefined);
  if (groups.length) {
    // With several interfaces AWS refuses and asks for the interface instead.
    if (i.interfaceIds.length > 1) {
      throw new Ec2ApiError(
        400,
        'InvalidInstanceID',
        `There are multiple interfaces attached to instance '${i.instanceId}'. Please specify an interface ID for the operation instead.`,
      );
    }
    checkGroupsForVpc(w, groups, i.vpcId);
    ctx.commit();
    w.interfaces.get(i.interfaceIds[0]!)!.groupIds = groups;
  } else if (dat !== undefined) {
    ctx.commit();
    i.disableApiTermination = dat === 'true';
  } else {
    throw new Ec2ApiError(400, 'InvalidParameterCombination', 'No attributes specified.');
  }
  return el('return', true);
}

function modifyNetworkInterfaceAttribute(w: Ec2World, p: Form, ctx: OpContext): string {
  const id = required(p, 'NetworkInterfaceId');
  const n = w.interfaces.get(id);
  if (!n)
    throw new Ec2ApiError(400, 'InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
  const groups = list(p, 'SecurityGroupId');
  checkGroupsForVpc(w, groups, n.vpcId);
  ctx.commit();
  n.groupIds = groups;
  return el('return', true);
}

function createSecurityGroup(w: Ec2World, p: Form, ctx: OpContext): string {
  const name = required(p, 'GroupName');
  const description = required(p, 'GroupDescription');
  const vpcId = p.VpcId;
  if (!vpcId) throw new Ec2ApiError(400, 'VPCIdNotSpecified', 'No default VPC for this user');
  if (name.startsWith('sg-'))
    throw new Ec2ApiError(400, 'InvalidParameterValue', 'Group names may not be in the format sg-*.');
  if ([...w.groups.values()].some((g) => g.vpcId === vpcId && g.groupName === name)) {
    throw new Ec2ApiError(
      400,
      'InvalidGroup.Duplicate',
      `The security group '${name}' already exists for VPC '${vpcId}'`,
    );
  }
  ctx.commit();
  const g: SecurityGroup = {
    groupId: w.newId('sg'),
    groupName: name,
    description,
    vpcId,
    tags: tagsFor(p, 'security-group'),
    rules: [],
  };
  w.groups.set(g.groupId, g);
  // A new group is not empty: AWS adds the allow-all egress rule.
  w.addRule(g.groupId, true, { protocol: '-1', cidrIpv4: '0.0.0.0/0' });
  return (
    el('return', true) +
    el('groupId', g.groupId) +
    el('securityGroupArn', `arn:aws:ec2:${w.region}:${w.account}:security-group/${g.groupId}`) +
    (g.tags.length ? tagSet(g.tags) : '')
  );
}

function describeSecurityGroups(w: Ec2World, p: Form): string {
  const ids = list(p, 'GroupId');
  const names = list(p, 'GroupName');
  for (const id of ids) groupOf(w, id);
  let pool = ids.length ? ids.map((id) => w.groups.get(id)!) : [...w.groups.values()];
  if (names.length) {
    pool = pool.filter((g) => names.includes(g.groupName));
    const missing = names.find((n) => !pool.some((g) => g.groupName === n));
    if (missing) throw new Ec2ApiError(400, 'InvalidGroup.NotFound', `The security group '${missing}' does not exist`);
  }
  const found = filterBy(
    w,
    pool,
    p,
    (g, n) =>
      ({
        'group-name': [g.groupName],
        'group-id': [g.groupId],
        'vpc-id': [g.vpcId],
        description: [g.description],
        'owner-id': [w.account],
      })[n],
    (g) => g.tags,
  );
  return set('securityGroupInfo', found, (g) => securityGroupXml(w, g));
}

function describeSecurityGroupRules(w: Ec2World, p: Form): string {
  const all = [...w.groups.values()].flatMap((g) => g.rules.map((r) => ({ r, g })));
  const ids = list(p, 'SecurityGroupRuleId');
  for (const id of ids) {
    if (!all.some((x) => x.r.ruleId === id))
      throw new Ec2ApiError(
        400,
        'InvalidSecurityGroupRuleId.NotFound',
        `The security group rule ID '${id}' does not exist`,
      );
  }
  const pool = ids.length ? all.filter((x) => ids.includes(x.r.ruleId)) : all;
  const found = filterBy(
    w,
    pool,
    p,
    (x, n) => ({ 'group-id': [x.g.groupId], 'security-group-rule-id': [x.r.ruleId] })[n],
    () => [],
  );
  return set('securityGroupRuleSet', found, (x) => ruleXml(w, x.r, x.g.groupId));
}

const PROTOCOLS: Record<string, string> = { all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp' };

/** The rules an `IpPermissions.N` list (or the legacy flat CidrIp form) describes: one per range. */
function permissionsOf(p: Form): Ec2RuleSeed[] {
  const perms = structs(p, 'IpPermissions');
  if (perms.length === 0 && p.IpProtocol)
    perms.push({
      IpProtocol: p.IpProtocol,
      ...(p.FromPort ? { FromPort: p.FromPort } : {}),
      ...(p.ToPort ? { ToPort: p.ToPort } : {}),
      ...(p.CidrIp ? { 'IpRanges.1.CidrIp': p.CidrIp } : {}),
    });
  return perms.flatMap((q) => {
    const protocol = PROTOCOLS[q.IpProtocol?.toLowerCase() ?? ''] ?? q.IpProtocol?.toLowerCase() ?? '-1';
    const ports = protocol === '-1' ? {} : { fromPort: Number(q.FromPort ?? -1), toPort: Number(q.ToPort ?? -1) };
    return [
      ...structs(q, 'IpRanges').map((r) => ({
        protocol,
        ...ports,
        cidrIpv4: r.CidrIp,
        ...(r.Description ? { description: r.Description } : {}),
      })),
      ...structs(q, 'Ipv6Ranges').map((r) => ({
        protocol,
        ...ports,
        cidrIpv6: r.CidrIpv6,
        ...(r.Description ? { description: r.Description } : {}),
      })),
      ...structs(q, 'Groups').map((r) => ({
        protocol,
        ...ports,
        groupId: r.GroupId,
        ...(r.Description ? { description: r.Description } : {}),
      })),
    ];
  });
}

function sameRule(r: Rule, s: Ec2RuleSeed): boolean {
  const portsMatter = r.protocol !== '-1';
  return (
    r.protocol === s.protocol &&
    (!portsMatter || (r.fromPort === s.fromPort && r.toPort === s.toPort)) &&
    r.cidrIpv4 === s.cidrIpv4 &&
    r.cidrIpv6 === s.cidrIpv6 &&
    r.groupId === s.groupId
  );
}

function authorize(isEgress: boolean): Op {
  return (w, p, ctx) => {
    const g = groupOf(w, required(p, 'GroupId'));
    const wanted = permissionsOf(p);
    if (wanted.length === 0)
      throw new Ec2ApiError(400, 'MissingParameter', 'The request must contain the parameter ipPermissions');
    for (const s of wanted) {
      if (g.rules.some((r) => r.isEgress === isEgress && sameRule(r, s))) {
        throw new Ec2ApiError(
          400,
          'InvalidPermission.Duplicate',
          `the specified rule "peer: ${s.cidrIpv4 ?? s.cidrIpv6 ?? s.groupId}, ${s.protocol === '-1' ? 'ALL' : s.protocol.toUpperCase()}, ALLOW" already exists`,
        );
      }
    }
    ctx.commit();
    const added = wanted.map((s) => w.addRule(g.groupId, isEgress, s));
    return el('return', true) + set('securityGroupRuleSet', added, (r) => ruleXml(w, r, g.groupId));
  };
}

function revoke(isEgress: boolean): Op {
  return (w, p, ctx) => {
    const g = groupOf(w, required(p, 'GroupId'));
    const ruleIds = list(p, 'SecurityGroupRuleId');
    let doomed: Rule[];
    if (ruleIds.length) {
      doomed = ruleIds.map((id) => {
        const r = g.rules.find((x) => x.ruleId === id && x.isEgress === isEgress);
        if (!r)
          throw new Ec2ApiError(
            400,
            'InvalidSecurityGroupRuleId.NotFound',
            `The security group rule ID '${id}' does not exist`,
          );
        return r;
      });
    } else {
      const wanted = permissionsOf(p);
      doomed = g.rules.filter((r) => r.isEgress === isEgress && wanted.some((s) => sameRule(r, s)));
      if (doomed.length < wanted.length)
        throw new Ec2ApiError(
          400,
          'InvalidPermission.NotFound',
          'The specified rule does not exist in this security group.',
        );
    }
    ctx.commit();
    g.rules = g.rules.filter((r) => !doomed.includes(r));
    return (
      el('return', true) +
      set(
        'revokedSecurityGroupRuleSet',
        doomed,
        (r) =>
          el('securityGroupRuleId', r.ruleId) +
          el('groupId', g.groupId) +
          el('isEgress', r.isEgress) +
          el('ipProtocol', r.protocol) +
          el('cidrIpv4', r.cidrIpv4),
      )
    );
  };
}

export const NETWORK_OPS: Record<string, Op> = {
  DescribeInstances: describeInstances,
  DescribeInstanceAttribute: describeInstanceAttribute,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  CreateSecurityGroup: createSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  AuthorizeSecurityGroupIngress: authorize(false),
  AuthorizeSecurityGroupEgress: authorize(true),
  RevokeSecurityGroupIngress: revoke(false),
  RevokeSecurityGroupEgress: revoke(true),
};
