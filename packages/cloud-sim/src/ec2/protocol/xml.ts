// EC2's XML, element by element as @aws-sdk/client-ec2's schemas name them (lower-camel `xmlName`s,
// lists as `<xxxSet><item>…</item></xxxSet>`), so the real client parses every field the actions read.

import { xml } from '../../server/http.js';
import type {
  Ec2World,
  Instance,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  Rule,
  SecurityGroup,
  Snapshot,
  Volume,
} from '../model/world.js';
import { stateCode } from '../model/world.js';
import type { Tag } from '../model/filters.js';

export const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** `<name>value</name>`, or nothing for an absent value. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xml(value)}</${name}>`;
}

export function set<T>(name: string, items: readonly T[], render: (x: T) => string): string {
  return `<${name}>${items.map((x) => `<item>${render(x)}</item>`).join('')}</${name}>`;
}

export function tagSet(tags: readonly Tag[]): string {
  return set('tagSet', tags, (t) => el('key', t.key) + el('value', t.value));
}

/** The whole response document: `<XResponse xmlns=…><requestId>…</requestId>…</XResponse>`. */
export function responseDoc(action: string, reqId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}">${el('requestId', reqId)}${body}</${action}Response>`;
}

/** EC2's error document (note: `RequestID`, not `requestId`, and no namespace). */
export function errorDoc(code: string, message: string, reqId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', reqId)}</Response>`;
}

function groupRefs(w: Ec2World, ids: readonly string[]): string {
  return set('groupSet', ids, (id) => el('groupId', id) + el('groupName', w.groups.get(id)?.groupName ?? id));
}

function iface(w: Ec2World, n: NetworkInterface): string {
  return (
    el('networkInterfaceId', n.networkInterfaceId) +
    el('subnetId', n.subnetId) +
    el('vpcId', n.vpcId) +
    el('ownerId', w.account) +
    el('status', 'in-use') +
    el('privateIpAddress', n.privateIp) +
    el('sourceDestCheck', true) +
    groupRefs(w, n.groupIds) +
    set(
      'privateIpAddressesSet',
      [n.privateIp, ...n.secondaryPrivateIps],
      (ip) => el('privateIpAddress', ip) + el('primary', ip === n.privateIp),
    ) +
    `<attachment>${el('attachmentId', n.attachmentId)}${el('deviceIndex', n.deviceIndex)}${el('networkCardIndex', 0)}${el('status', 'attached')}${el('deleteOnTermination', n.deviceIndex === 0)}</attachment>`
  );
}

export function instanceXml(w: Ec2World, i: Instance): string {
  const ifaces = i.interfaceIds.map((id) => w.interfaces.get(id)).filter((n): n is NetworkInterface => !!n);
  const vols = w.instanceVolumes(i.instanceId);
  return (
    el('instanceId', i.instanceId) +
    el('imageId', 'ami-0123456789abcdef0') +
    `<instanceState>${el('code', stateCode(i.state))}${el('name', i.state)}</instanceState>` +
    el('instanceType', i.instanceType) +
    el('launchTime', i.launchTime.toISOString()) +
    `<placement>${el('availabilityZone', i.availabilityZone)}${el('tenancy', 'default')}</placement>` +
    el('subnetId', i.subnetId) +
    el('vpcId', i.vpcId) +
    el('privateIpAddress', ifaces[0]?.privateIp) +
    groupRefs(w, w.instanceGroupIds(i)) +
    el('rootDeviceType', 'ebs') +
    el('rootDeviceName', i.rootDevice) +
    set(
      'blockDeviceMapping',
      vols,
      (v) =>
        el('deviceName', v.attachment?.device) +
        `<ebs>${el('volumeId', v.volumeId)}${el('status', 'attached')}${el('deleteOnTermination', v.attachment?.device === i.rootDevice)}</ebs>`,
    ) +
    set('networkInterfaceSet', ifaces, (n) => iface(w, n)) +
    (i.tags.length ? tagSet(i.tags) : '')
  );
}

export function reservationXml(w: Ec2World, instances: readonly Instance[]): string {
  // One reservation per instance: the actions never rely on how launches were grouped.
  return set(
    'reservationSet',
    instances,
    (i) =>
      el('reservationId', i.reservationId) +
      el('ownerId', w.account) +
      set('groupSet', [], () => '') +
      set('instancesSet', [i], (x) => instanceXml(w, x)),
  );
}

function permission(r: Rule): string {
  return (
    el('ipProtocol', r.protocol) +
    el('fromPort', r.fromPort) +
    el('toPort', r.toPort) +
    set('groups', r.groupId ? [r.groupId] : [], (g) => el('groupId', g) + el('description', r.description)) +
    set('ipRanges', r.cidrIpv4 ? [r.cidrIpv4] : [], (c) => el('cidrIp', c) + el('description', r.description)) +
    set('ipv6Ranges', r.cidrIpv6 ? [r.cidrIpv6] : [], (c) => el('cidrIpv6', c) + el('description', r.description)) +
    set('prefixListIds', [], () => '')
  );
}

export function securityGroupXml(w: Ec2World, g: SecurityGroup): string {
  return (
    el('ownerId', w.account) +
    el('groupId', g.groupId) +
    el('groupName', g.groupName) +
    el('groupDescription', g.description) +
    el('vpcId', g.vpcId) +
    el('securityGroupArn', `arn:aws:ec2:${w.region}:${w.account}:security-group/${g.groupId}`) +
    set(
      'ipPermissions',
      g.rules.filter((r) => !r.isEgress),
      permission,
    ) +
    set(
      'ipPermissionsEgress',
      g.rules.filter((r) => r.isEgress),
      permission,
    ) +
    (g.tags.length ? tagSet(g.tags) : '')
  );
}

export function ruleXml(w: Ec2World, r: Rule, groupId: string): string {
  return (
    el('securityGroupRuleId', r.ruleId) +
    el('groupId', groupId) +
    el('groupOwnerId', w.account) +
    el('isEgress', r.isEgress) +
    el('ipProtocol', r.protocol) +
    el('fromPort', r.fromPort ?? -1) +
    el('toPort', r.toPort ?? -1) +
    el('cidrIpv4', r.cidrIpv4) +
    el('cidrIpv6', r.cidrIpv6) +
    (r.groupId
      ? `<referencedGroupInfo>${el('groupId', r.groupId)}${el('userId', w.account)}</referencedGroupInfo>`
      : '') +
    el('description', r.description) +
    el('securityGroupRuleArn', `arn:aws:ec2:${w.region}:${w.account}:security-group-rule/${r.ruleId}`) +
    set('tagSet', [], () => '')
  );
}

/** `state` is `<status>` in DescribeSnapshots but `<state>` in CreateSnapshots (the schemas differ). */
export function snapshotXml(w: Ec2World, s: Snapshot, stateElement: 'status' | 'state'): string {
  return (
    el('snapshotId', s.snapshotId) +
    el('volumeId', s.volumeId) +
    el(stateElement, s.state) +
    el('startTime', s.startTime.toISOString()) +
    el('progress', s.state === 'completed' ? '100%' : '0%') +
    el('ownerId', w.account) +
    el('volumeSize', s.volumeSizeGiB) +
    el('description', s.description) +
    el('encrypted', s.encrypted) +
    tagSet(s.tags)
  );
}

export function volumeXml(v: Volume): string {
  return (
    el('volumeId', v.volumeId) +
    el('size', v.sizeGiB) +
    el('availabilityZone', v.availabilityZone) +
    el('status', v.attachment ? 'in-use' : 'available') +
    el('createTime', new Date(0).toISOString()) +
    el('volumeType', 'gp3') +
    el('encrypted', v.encrypted) +
    set(
      'attachmentSet',
      v.attachment ? [v.attachment] : [],
      (a) =>
        el('volumeId', v.volumeId) + el('instanceId', a.instanceId) + el('device', a.device) + el('status', 'attached'),
    ) +
    (v.tags.length ? tagSet(v.tags) : '')
  );
}

function aclEntryXml(e: NetworkAclEntry): string {
  return (
    el('ruleNumber', e.ruleNumber) +
    el('protocol', e.protocol) +
    el('ruleAction', e.ruleAction) +
    el('egress', e.egress) +
    el('cidrBlock', e.cidrBlock) +
    (e.portRange ? `<portRange>${el('from', e.portRange.from)}${el('to', e.portRange.to)}</portRange>` : '')
  );
}

/** Entries as `describe-network-acls` lists them: outbound first, each direction by rule number. */
export function networkAclXml(w: Ec2World, a: NetworkAcl): string {
  const entries = [...a.entries].sort((x, y) => Number(y.egress) - Number(x.egress) || x.ruleNumber - y.ruleNumber);
  return (
    el('networkAclId', a.networkAclId) +
    el('vpcId', a.vpcId) +
    el('default', a.isDefault) +
    set('entrySet', entries, aclEntryXml) +
    set(
      'associationSet',
      a.associations,
      (x) =>
        el('networkAclAssociationId', x.associationId) +
        el('networkAclId', a.networkAclId) +
        el('subnetId', x.subnetId),
    ) +
    tagSet(a.tags) +
    el('ownerId', w.account)
  );
}
