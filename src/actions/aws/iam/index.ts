// The IAM actions (see ../../types.ts for the shape every action has): deny-all plus session
// revocation on a role or a user, deactivating (never deleting) an access key, and their undos.

import type { ActionDef } from '../../types.js';
import { deactivateKey } from './deactivate-key.js';
import { denyAllRole } from './deny-all-role.js';
import { denyAllUser } from './deny-all-user.js';
import { reactivateKey } from './reactivate-key.js';
import { restoreDef } from './restore.js';

export const restoreRole = restoreDef({ id: 'aws.restoreRole', kind: 'role' });
export const restoreUser = restoreDef({ id: 'aws.restoreUser', kind: 'user' });

export const IAM_ACTIONS: readonly ActionDef[] = [
  denyAllRole,
  restoreRole,
  deactivateKey,
  reactivateKey,
  denyAllUser,
  restoreUser,
];
