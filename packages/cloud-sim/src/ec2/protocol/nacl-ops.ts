// The simulated EC2 API, network-ACL part: DescribeNetworkAcls and the two entry calls the
// network-ACL isolation makes. Errors as AWS gives them (EC2 API reference, "Error codes"):
// InvalidNetworkAclID.NotFound, NetworkAclEntryAlreadyExists for a rule number taken in that
// direction, InvalidNetworkAclEntry.NotFound, NetworkAclEntryLimitExceeded at the quota.

import type { Ec2World, NetworkAcl, NetworkAclEntry } from '../model/world.js';
import { canonicalCidr, DEFAULT_DENY_RULE, MAX_RULE_NUMBER } from '../model/network-acls.js';
import { list, type Form } from './query.js';
import { Ec2ApiError, filterBy, required, type Op } from './network-ops.js';
import { el, networkAclXml, set } from './xml.js';

function aclOf(w: Ec2World, id: string): NetworkAcl {
  const a = w.networkAcls.get(id);
  if (!a) throw new Ec2ApiError(400, 'InvalidNetworkAclID.NotFound', `The network ACL '${id}' does not exist`);
  return a;
}

function ruleNumberOf(p: Form): number {
  const raw = required(p, 'RuleNumber');
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RULE_NUMBER)
    throw new Ec2ApiError(
      400,
      'InvalidParameterValue',
      `Value (${raw}) for parameter ruleNumber is invalid. Must be between 1 and ${MAX_RULE_NUMBER}`,
    );
  return n;
}

function egressOf(p: Form): boolean {
  const v = required(p, 'Egress');
  if (v !== 'true' && v !== 'false')
    throw new Ec2ApiError(400, 'InvalidParameterValue', `Value (${v}) for parameter egress is invalid`);
  return v === 'true';
}

const PROTOCOL_NUMBERS: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1' };

function describeNetworkAcls(w: Ec2World, p: Form): string {
  const ids = list(p, 'NetworkAclId');
  for (const id of ids) aclOf(w, id);
  const pool = ids.length ? ids.map((id) => w.networkAcls.get(id)!) : [...w.networkAcls.values()];
  const found = filterBy(
    w,
    pool,
    p,
    (a, n) =>
      ({
        'network-acl-id': [a.networkAclId],
        'vpc-id': [a.vpcId],
        default: [String(a.isDefault)],
        'owner-id': [w.account],
        'association.subnet-id': a.associations.map((x) => x.subnetId),
        'association.association-id': a.associations.map((x) => x.associationId),
        'association.network-acl-id': a.associations.map(() => a.networkAclId),
        'entry.cidr': a.entries.map((e) => e.cidrBlock),
        'entry.egress': a.entries.map((e) => String(e.egress)),
        'entry.protocol': a.entries.map((e) => e.protocol),
        'entry.rule-action': a.entries.map((e) => e.ruleAction),
        'entry.rule-number': a.entries.map((e) => String(e.ruleNumber)),
      })[n],
    (a) => a.tags,
  );
  return set('networkAclSet', found, (a) => networkAclXml(w, a));
}

function createNetworkAclEntry(w: Ec2World, p: Form, ctx: { commit(): void }): string {
  const a = aclOf(w, required(p, 'NetworkAclId'));
  const ruleNumber = ruleNumberOf(p);
  const egress = egressOf(p);
  const rawProtocol = required(p, 'Protocol').toLowerCase();
  const protocol = PROTOCOL_NUMBERS[rawProtocol] ?? rawProtocol;
  if (protocol !== '-1' && !/^\d{1,3}$/.test(protocol))
    throw new Ec2ApiError(400, 'InvalidParameterValue', `Value (${rawProtocol}) for parameter protocol is invalid`);
  const ruleAction = required(p, 'RuleAction');
  if (ruleAction !== 'allow' && ruleAction !== 'deny')
    throw new Ec2ApiError(400, 'InvalidParameterValue', `Value (${ruleAction}) for parameter ruleAction is invalid`);
  if (p.Ipv6CidrBlock)
    throw new Ec2ApiError(400, 'InvalidParameterValue', 'this simulated account has no IPv6 CIDR blocks');
  const given = p.CidrBlock;
  if (!given)
    throw new Ec2ApiError(400, 'MissingParameter', "Either 'cidrBlock' or 'ipv6CidrBlock' should be provided.");
  const cidrBlock = canonicalCidr(given);
  if (!cidrBlock)
    throw new Ec2ApiError(
      400,
      'InvalidParameterValue',
      `Value (${given}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
    );
  const ports =
    p['PortRange.From'] !== undefined && p['PortRange.To'] !== undefined
      ? { from: Number(p['PortRange.From']), to: Number(p['PortRange.To']) }
      : undefined;
  if ((protocol === '6' || protocol === '17') && !ports)
    throw new Ec2ApiError(400, 'MissingParameter', 'The request must contain the parameter portRange');
  if (a.entries.some((e) => e.egress === egress && e.ruleNumber === ruleNumber)) {
    throw new Ec2ApiError(
      400,
      'NetworkAclEntryAlreadyExists',
      `The network acl entry identified by ${ruleNumber} already exists.`,
    );
  }
  if (
    a.entries.filter((e) => e.egress === egress && e.ruleNumber !== DEFAULT_DENY_RULE).length >= w.networkAclEntryLimit
  ) {
    throw new Ec2ApiError(
      400,
      'NetworkAclEntryLimitExceeded',
      `You've reached the limit on the number of rules that you can add to a network ACL (${w.networkAclEntryLimit} ${egress ? 'outbound' : 'inbound'}).`,
    );
  }
  ctx.commit();
  const entry: NetworkAclEntry = {
    ruleNumber,
    egress,
    protocol,
    ruleAction,
    cidrBlock,
    ...(ports && protocol !== '-1' ? { portRange: ports } : {}),
  };
  a.entries.push(entry);
  return el('return', true);
}

function deleteNetworkAclEntry(w: Ec2World, p: Form, ctx: { commit(): void }): string {
  const a = aclOf(w, required(p, 'NetworkAclId'));
  const ruleNumber = ruleNumberOf(p);
  const egress = egressOf(p);
  const i = a.entries.findIndex((e) => e.egress === egress && e.ruleNumber === ruleNumber);
  if (i < 0)
    throw new Ec2ApiError(
      400,
      'InvalidNetworkAclEntry.NotFound',
      `The network acl entry identified by ${ruleNumber} does not exist.`,
    );
  ctx.commit();
  a.entries.splice(i, 1);
  return el('return', true);
}

export const NACL_OPS: Record<string, Op> = {
  DescribeNetworkAcls: describeNetworkAcls,
  CreateNetworkAclEntry: createNetworkAclEntry,
  DeleteNetworkAclEntry: deleteNetworkAclEntry,
};
