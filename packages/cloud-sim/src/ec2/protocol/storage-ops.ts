// The simulated EC2 API, storage half: volumes, snapshots (CreateSnapshots of a whole instance, tags
// at creation, tags copied from the volumes) and CreateTags.

import type { Ec2World, Snapshot } from '../model/world.js';
import type { Tag } from '../model/filters.js';
import { list, tags, tagsFor, type Form } from './query.js';
import { Ec2ApiError, filterBy, instanceOf, required, type Op } from './network-ops.js';
import { el, set, snapshotXml, volumeXml } from './xml.js';

/** Tags in order, a later key replacing an earlier one (spec tags win over copied volume tags). */
function mergeTags(...lists: Tag[][]): Tag[] {
  const m = new Map<string, string>();
  for (const l of lists) for (const t of l) m.set(t.key, t.value);
  return [...m].map(([key, value]) => ({ key, value }));
}

function createSnapshots(w: Ec2World, p: Form, ctx: { commit(): void }): string {
  const i = instanceOf(w, required(p, 'InstanceSpecification.InstanceId'));
  const excludeBoot = p['InstanceSpecification.ExcludeBootVolume'] === 'true';
  const excluded = list(p, 'InstanceSpecification.ExcludeDataVolumeId');
  const copy = p.CopyTagsFromSource;
  if (copy !== undefined && copy !== 'volume')
    throw new Ec2ApiError(400, 'InvalidParameterValue', `Value (${copy}) for parameter CopyTagsFromSource is invalid.`);
  const vols = w
    .instanceVolumes(i.instanceId)
    .filter((v) => !(excludeBoot && v.attachment?.device === i.rootDevice) && !excluded.includes(v.volumeId));
  ctx.commit();
  const specTags = tagsFor(p, 'snapshot');
  const made: Snapshot[] = vols.map((v) => ({
    snapshotId: w.newId('snap'),
    volumeId: v.volumeId,
    volumeSizeGiB: v.sizeGiB,
    state: 'pending',
    description: p.Description ?? '',
    startTime: new Date(),
    encrypted: v.encrypted,
    tags: mergeTags(copy === 'volume' ? v.tags.filter((t) => !t.key.startsWith('aws:')) : [], specTags),
  }));
  for (const s of made) w.snapshots.set(s.snapshotId, s);
  return set('snapshotSet', made, (s) => snapshotXml(w, s, 'state'));
}

function describeSnapshots(w: Ec2World, p: Form): string {
  const ids = list(p, 'SnapshotId');
  for (const id of ids)
    if (!w.snapshots.has(id))
      throw new Ec2ApiError(400, 'InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  const owners = list(p, 'Owner');
  let pool = ids.length ? ids.map((id) => w.snapshots.get(id)!) : [...w.snapshots.values()];
  if (owners.length && !owners.some((o) => o === 'self' || o === w.account)) pool = [];
  const found = filterBy(
    w,
    pool,
    p,
    (s, n) =>
      ({
        'snapshot-id': [s.snapshotId],
        'volume-id': [s.volumeId],
        status: [s.state],
        'owner-id': [w.account],
        description: [s.description],
      })[n],
    (s) => s.tags,
  );
  return set('snapshotSet', found, (s) => snapshotXml(w, s, 'status'));
}

function describeVolumes(w: Ec2World, p: Form): string {
  const ids = list(p, 'VolumeId');
  for (const id of ids)
    if (!w.volumes.has(id)) throw new Ec2ApiError(400, 'InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  const pool = ids.length ? ids.map((id) => w.volumes.get(id)!) : [...w.volumes.values()];
  const found = filterBy(
    w,
    pool,
    p,
    (v, n) =>
      ({
        'volume-id': [v.volumeId],
        'attachment.instance-id': v.attachment ? [v.attachment.instanceId] : [],
        'attachment.device': v.attachment ? [v.attachment.device] : [],
        status: [v.attachment ? 'in-use' : 'available'],
      })[n],
    (v) => v.tags,
  );
  return set('volumeSet', found, volumeXml);
}

/** The tag list of any taggable resource, by its id's prefix (as AWS resolves CreateTags). */
function tagsHolder(w: Ec2World, id: string): { tags: Tag[] } {
  const r = id.startsWith('i-')
    ? w.instances.get(id)
    : id.startsWith('sg-')
      ? w.groups.get(id)
      : id.startsWith('vol-')
        ? w.volumes.get(id)
        : id.startsWith('snap-')
          ? w.snapshots.get(id)
          : undefined;
  if (r) return r;
  const kind = id.startsWith('i-')
    ? 'InvalidInstanceID'
    : id.startsWith('sg-')
      ? 'InvalidGroup'
      : id.startsWith('vol-')
        ? 'InvalidVolume'
        : id.startsWith('snap-')
          ? 'InvalidSnapshot'
          : undefined;
  if (!kind) throw new Ec2ApiError(400, 'InvalidID', `The ID '${id}' is not valid`);
  throw new Ec2ApiError(400, `${kind}.NotFound`, `The ID '${id}' does not exist`);
}

function createTags(w: Ec2World, p: Form, ctx: { commit(): void }): string {
  const ids = list(p, 'ResourceId');
  if (ids.length === 0)
    throw new Ec2ApiError(400, 'MissingParameter', 'The request must contain the parameter resourceIdSet');
  const add = tags(p);
  if (add.some((t) => t.key.startsWith('aws:')))
    throw new Ec2ApiError(400, 'InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use");
  const holders = ids.map((id) => tagsHolder(w, id));
  ctx.commit();
  for (const h of holders) h.tags = mergeTags(h.tags, add);
  return el('return', true);
}

export const STORAGE_OPS: Record<string, Op> = {
  CreateSnapshots: createSnapshots,
  DescribeSnapshots: describeSnapshots,
  DescribeVolumes: describeVolumes,
  CreateTags: createTags,
};
