// Target checks that need no SDK (the action registry offers actions and says why one cannot run
// before any client module is loaded): a well-formed instance id, a temporary key.

import type { Target } from './types.js';

export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export function instancePrecondition(target: Target): string[] {
  return INSTANCE_ID.test(target.id) ? [] : ['the selected target is not an EC2 instance id (i-…)'];
}

/** Temporary (STS) keys start with ASIA: they cannot be deactivated, only denied through their role. */
export function isTemporaryKey(id: string): boolean {
  return id.startsWith('ASIA');
}

export const TEMPORARY_KEY_REASON =
  'ASIA… is a temporary (STS session) key: it cannot be deactivated — deny the role that issued it instead (aws.denyAllRole, d on the role), which also revokes its sessions';

export function keyPrecondition(t: Target): string[] {
  return isTemporaryKey(t.id) ? [TEMPORARY_KEY_REASON] : [];
}

/** An S3 bucket name as S3 allows it (3–63 lower-case letters, digits, dots and hyphens). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function bucketPrecondition(t: Target): string[] {
  return BUCKET_NAME.test(t.id) ? [] : ['the selected target is not an S3 bucket name'];
}
