// The simulated account's network ACLs, as AWS keeps them (Amazon VPC User Guide, "Network ACL
// basics"): every VPC has a default ACL that allows all IPv4 traffic (rule 100 each way) and ends in
// the `*` deny rule (reported as rule 32767, which no call can change); every subnet is associated
// with exactly one ACL — the VPC's default one unless the seed says otherwise; rule numbers run
// 1–32766 separately for inbound and outbound entries; at most 20 entries per direction by default.

import type { Tag } from './filters.js';

export interface Ec2NetworkAclEntrySeed {
  ruleNumber: number;
  /** true: outbound (traffic leaving the subnet); false: inbound. */
  egress: boolean;
  /** `-1` (all) or a protocol number (`6` tcp, `17` udp, `1` icmp). Default `-1`. */
  protocol?: string;
  ruleAction: 'allow' | 'deny';
  cidrBlock: string;
  portRange?: { from: number; to: number };
}

export interface Ec2NetworkAclSeed {
  networkAclId: string;
  vpcId: string;
  /** The VPC's default ACL (subnets with no explicit association use it). */
  isDefault?: boolean;
  subnetIds?: string[];
  /** Omitted: a default ACL allows all (rule 100 each way), a custom one denies all. The `*` rule is always added. */
  entries?: Ec2NetworkAclEntrySeed[];
  tags?: Record<string, string>;
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  ruleAction: 'allow' | 'deny';
  cidrBlock: string;
  portRange?: { from: number; to: number };
}

export interface NetworkAclAssociation {
  associationId: string;
  subnetId: string;
}

export interface NetworkAcl {
  networkAclId: string;
  vpcId: string;
  isDefault: boolean;
  tags: Tag[];
  entries: NetworkAclEntry[];
  associations: NetworkAclAssociation[];
}

/** The `*` rule: shown by DescribeNetworkAcls as 32767, evaluated last, never removable. */
export const DEFAULT_DENY_RULE = 32767;
export const MAX_RULE_NUMBER = 32766;
/** The default quota "rules per network ACL", enforced per direction (Amazon VPC quotas). */
export const DEFAULT_ENTRY_LIMIT = 20;

const ALLOW_ALL = (egress: boolean): NetworkAclEntry => ({
  ruleNumber: 100,
  egress,
  protocol: '-1',
  ruleAction: 'allow',
  cidrBlock: '0.0.0.0/0',
});
const DENY_ALL = (egress: boolean): NetworkAclEntry => ({
  ruleNumber: DEFAULT_DENY_RULE,
  egress,
  protocol: '-1',
  ruleAction: 'deny',
  cidrBlock: '0.0.0.0/0',
});

/** The ACL a seed describes, with AWS's implicit entries filled in. */
export function networkAclFromSeed(s: Ec2NetworkAclSeed, associationId: () => string): NetworkAcl {
  const given =
    s.entries?.map((e) => ({
      ...e,
      protocol: e.protocol ?? '-1',
      cidrBlock: canonicalCidr(e.cidrBlock) ?? e.cidrBlock,
    })) ?? (s.isDefault ? [ALLOW_ALL(false), ALLOW_ALL(true)] : []);
  const entries = [...given];
  for (const egress of [false, true])
    if (!entries.some((e) => e.egress === egress && e.ruleNumber === DEFAULT_DENY_RULE)) entries.push(DENY_ALL(egress));
  return {
    networkAclId: s.networkAclId,
    vpcId: s.vpcId,
    isDefault: s.isDefault ?? false,
    tags: Object.entries(s.tags ?? {}).map(([key, value]) => ({ key, value })),
    entries,
    associations: (s.subnetIds ?? []).map((subnetId) => ({ associationId: associationId(), subnetId })),
  };
}

/** A VPC's default ACL as AWS creates it with the VPC. */
export function defaultNetworkAcl(networkAclId: string, vpcId: string): NetworkAcl {
  return {
    networkAclId,
    vpcId,
    isDefault: true,
    tags: [],
    entries: [ALLOW_ALL(false), ALLOW_ALL(true), DENY_ALL(false), DENY_ALL(true)],
    associations: [],
  };
}

/**
 * An IPv4 CIDR in canonical form (host bits cleared), as AWS stores it ("we modify the specified
 * CIDR block to its canonical form", CreateNetworkAclEntry); undefined when it is not a CIDR.
 */
export function canonicalCidr(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  const net = Number(BigInt(addr) & BigInt(mask));
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}
