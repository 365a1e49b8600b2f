// The simulated EC2 account's state: instances with their network interfaces and volumes, security
// groups with their rules, snapshots. It is built from a plain-data seed (a drill scenario or a test
// writes one), changed only by the API handlers in ../protocol/ — or, in tests, deliberately behind an
// action's back through the same methods — and it behaves like AWS where the actions depend on it:
// a new security group is not empty (it gets the allow-all egress rule), rules have ids, snapshots
// start `pending`, every VPC has its default network ACL and every subnet is associated with one.

import {
  defaultNetworkAcl,
  DEFAULT_ENTRY_LIMIT,
  networkAclFromSeed,
  type Ec2NetworkAclSeed,
  type NetworkAcl,
} from './network-acls.js';
import type { Tag } from './filters.js';

export type { Ec2NetworkAclEntrySeed, Ec2NetworkAclSeed, NetworkAcl, NetworkAclEntry } from './network-acls.js';

export interface Ec2RuleSeed {
  /** `-1` (all), `tcp`, `udp`, `icmp`, or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  /** Another security group as the source (ingress) or destination (egress). */
  groupId?: string;
  description?: string;
}

export interface Ec2SecurityGroupSeed {
  groupId: string;
  groupName: string;
  description?: string;
  vpcId: string;
  tags?: Record<string, string>;
  ingress?: Ec2RuleSeed[];
  /** Omitted: the allow-all egress rule every new group gets on AWS. */
  egress?: Ec2RuleSeed[];
}

export interface Ec2VolumeSeed {
  volumeId: string;
  /** The device name it is attached as (`/dev/xvda`); the first one is the root volume. */
  device: string;
  sizeGiB?: number;
  encrypted?: boolean;
  tags?: Record<string, string>;
}

export interface Ec2InterfaceSeed {
  networkInterfaceId: string;
  groupIds: string[];
  privateIp?: string;
  /** Secondary private IPv4 addresses on the interface. */
  secondaryPrivateIps?: string[];
  /** Omitted: the instance's subnet (a secondary interface may sit in another subnet of the same AZ). */
  subnetId?: string;
}

export interface Ec2InstanceSeed {
  instanceId: string;
  vpcId: string;
  subnetId: string;
  availabilityZone?: string;
  instanceType?: string;
  state?: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  /** Tags, including `aws:autoscaling:groupName` for an Auto Scaling group member. */
  tags?: Record<string, string>;
  disableApiTermination?: boolean;
  /** In device-index order: the first is the primary interface. */
  networkInterfaces: Ec2InterfaceSeed[];
  volumes: Ec2VolumeSeed[];
}

export interface Ec2SnapshotSeed {
  snapshotId: string;
  volumeId: string;
  state?: 'pending' | 'completed' | 'error';
  description?: string;
  tags?: Record<string, string>;
}

/** Everything a drill scenario or a test needs to describe an account's EC2 estate. */
export interface Ec2Seed {
  account?: string;
  region?: string;
  securityGroups?: Ec2SecurityGroupSeed[];
  instances?: Ec2InstanceSeed[];
  snapshots?: Ec2SnapshotSeed[];
  /** Omitted for a VPC: it gets a default ACL (allow all), and subnets no ACL names are associated with it. */
  networkAcls?: Ec2NetworkAclSeed[];
  /** The "rules per network ACL" quota, per direction (default 20). */
  networkAclEntryLimit?: number;
}

export interface Rule {
  ruleId: string;
  isEgress: boolean;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  groupId?: string;
  description?: string;
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  rules: Rule[];
}

export interface NetworkInterface {
  networkInterfaceId: string;
  instanceId: string;
  deviceIndex: number;
  attachmentId: string;
  subnetId: string;
  vpcId: string;
  groupIds: string[];
  privateIp: string;
  secondaryPrivateIps: string[];
}

export interface Volume {
  volumeId: string;
  sizeGiB: number;
  availabilityZone: string;
  encrypted: boolean;
  tags: Tag[];
  attachment?: { instanceId: string; device: string };
}

export interface Instance {
  instanceId: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  instanceType: string;
  state: string;
  tags: Tag[];
  disableApiTermination: boolean;
  launchTime: Date;
  reservationId: string;
  interfaceIds: string[];
  rootDevice: string;
}

export interface Snapshot {
  snapshotId: string;
  volumeId: string;
  volumeSizeGiB: number;
  state: string;
  description: string;
  startTime: Date;
  encrypted: boolean;
  tags: Tag[];
}

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function stateCode(state: string): number {
  return STATE_CODES[state] ?? 16;
}

export const ALL_TRAFFIC_EGRESS: Ec2RuleSeed = { protocol: '-1', cidrIpv4: '0.0.0.0/0' };

function tagList(t: Record<string, string> | undefined): Tag[] {
  return Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));
}

export class Ec2World {
  /**
   * A misbehaving server or proxy that ignores every Filter.N and answers with everything: the
   * client must check what it gets (tests set it; AWS itself never does this).
   */
  ignoreFilters = false;
  readonly account: string;
  readonly region: string;
  readonly groups = new Map<string, SecurityGroup>();
  readonly instances = new Map<string, Instance>();
  readonly interfaces = new Map<string, NetworkInterface>();
  readonly volumes = new Map<string, Volume>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly networkAcls = new Map<string, NetworkAcl>();
  readonly networkAclEntryLimit: number;
  private serial = 0;

  constructor(seed: Ec2Seed = {}) {
    this.account = seed.account ?? '123456789012';
    this.region = seed.region ?? 'us-east-1';
    this.networkAclEntryLimit = seed.networkAclEntryLimit ?? DEFAULT_ENTRY_LIMIT;
    for (const g of seed.securityGroups ?? []) {
      this.groups.set(g.groupId, {
        groupId: g.groupId,
        groupName: g.groupName,
        description: g.description ?? g.groupName,
        vpcId: g.vpcId,
        tags: tagList(g.tags),
        rules: [],
      });
      for (const r of g.ingress ?? []) this.addRule(g.groupId, false, r);
      for (const r of g.egress ?? [ALL_TRAFFIC_EGRESS]) this.addRule(g.groupId, true, r);
    }
    for (const s of seed.instances ?? []) this.addInstance(s);
    for (const s of seed.snapshots ?? []) {
      const v = this.volumes.get(s.volumeId);
      this.snapshots.set(s.snapshotId, {
        snapshotId: s.snapshotId,
        volumeId: s.volumeId,
        volumeSizeGiB: v?.sizeGiB ?? 8,
        state: s.state ?? 'completed',
        description: s.description ?? '',
        startTime: new Date(),
        encrypted: v?.encrypted ?? false,
        tags: tagList(s.tags),
      });
    }
    this.seedNetworkAcls(seed.networkAcls ?? []);
  }

  /** The seed's ACLs, then what AWS always has: a default ACL per VPC, every subnet associated with one. */
  private seedNetworkAcls(acls: Ec2NetworkAclSeed[]): void {
    for (const a of acls)
      this.networkAcls.set(
        a.networkAclId,
        networkAclFromSeed(a, () => this.newId('aclassoc')),
      );
    const subnets = new Map<string, string>();
    for (const n of this.interfaces.values()) subnets.set(n.subnetId, n.vpcId);
    for (const i of this.instances.values()) subnets.set(i.subnetId, i.vpcId);
    const vpcs = new Set([
      ...subnets.values(),
      ...[...this.groups.values()].map((g) => g.vpcId),
      ...acls.map((a) => a.vpcId),
    ]);
    for (const vpcId of vpcs) {
      if (![...this.networkAcls.values()].some((a) => a.vpcId === vpcId && a.isDefault)) {
        const acl = defaultNetworkAcl(this.newId('acl'), vpcId);
        this.networkAcls.set(acl.networkAclId, acl);
      }
    }
    for (const [subnetId, vpcId] of subnets) {
      if (this.networkAclOfSubnet(subnetId)) continue;
      const acl = [...this.networkAcls.values()].find((a) => a.vpcId === vpcId && a.isDefault)!;
      acl.associations.push({ associationId: this.newId('aclassoc'), subnetId });
    }
  }

  networkAclOfSubnet(subnetId: string): NetworkAcl | undefined {
    return [...this.networkAcls.values()].find((a) => a.associations.some((x) => x.subnetId === subnetId));
  }

  /** A fresh id in the AWS shape (`sg-0…`, 17 hex digits), deterministic within one world. */
  newId(prefix: string): string {
    this.serial++;
    return `${prefix}-0${this.serial.toString(16).padStart(16, '0')}`;
  }

  private addInstance(s: Ec2InstanceSeed): void {
    const az = s.availabilityZone ?? `${this.region}a`;
    this.instances.set(s.instanceId, {
      instanceId: s.instanceId,
      vpcId: s.vpcId,
      subnetId: s.subnetId,
      availabilityZone: az,
      instanceType: s.instanceType ?? 't3.micro',
      state: s.state ?? 'running',
      tags: tagList(s.tags),
      disableApiTermination: s.disableApiTermination ?? false,
      launchTime: new Date(),
      reservationId: this.newId('r'),
      interfaceIds: s.networkInterfaces.map((n) => n.networkInterfaceId),
      rootDevice: s.volumes[0]?.device ?? '/dev/xvda',
    });
    s.networkInterfaces.forEach((n, i) => {
      // Unseeded addresses are unique within the world: two instances never share a private IP.
      const k = this.interfaces.size;
      this.interfaces.set(n.networkInterfaceId, {
        networkInterfaceId: n.networkInterfaceId,
        instanceId: s.instanceId,
        deviceIndex: i,
        attachmentId: this.newId('eni-attach'),
        subnetId: n.subnetId ?? s.subnetId,
        vpcId: s.vpcId,
        groupIds: [...n.groupIds],
        privateIp: n.privateIp ?? `10.0.${Math.floor(k / 240)}.${10 + (k % 240)}`,
        secondaryPrivateIps: [...(n.secondaryPrivateIps ?? [])],
      });
    });
    for (const v of s.volumes) {
      this.volumes.set(v.volumeId, {
        volumeId: v.volumeId,
        sizeGiB: v.sizeGiB ?? 8,
        availabilityZone: az,
        encrypted: v.encrypted ?? false,
        tags: tagList(v.tags),
        attachment: { instanceId: s.instanceId, device: v.device },
      });
    }
  }

  addRule(groupId: string, isEgress: boolean, r: Ec2RuleSeed): Rule {
    const g = this.groups.get(groupId);
    if (!g) throw new Error(`no security group ${groupId}`);
    const rule: Rule = { ruleId: this.newId('sgr'), isEgress, ...r };
    g.rules.push(rule);
    return rule;
  }

  /** The security groups an instance's interfaces carry, in interface order, each once. */
  instanceGroupIds(i: Instance): string[] {
    return [...new Set(i.interfaceIds.flatMap((id) => this.interfaces.get(id)?.groupIds ?? []))];
  }

  instanceVolumes(instanceId: string): Volume[] {
    return [...this.volumes.values()].filter((v) => v.attachment?.instanceId === instanceId);
  }

  /** Snapshots in flight finish (a drill's clock or a test moves them on). */
  completeSnapshots(): void {
    for (const s of this.snapshots.values()) if (s.state === 'pending') s.state = 'completed';
  }
}
