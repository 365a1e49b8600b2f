// The EC2 actions (see ../../types.ts for the shape every action has): evidence first (snapshots),
// then isolation — security groups (new connections) and the network-ACL deny (established ones) —
// and the undos that lift them.

import type { ActionDef } from '../../types.js';
import { isolateInstance } from './isolate-instance.js';
import { naclIsolateInstance } from './nacl-isolate-instance.js';
import { restoreNacl } from './restore-nacl.js';
import { restoreInstance } from './restore-instance.js';
import { snapshotVolumes } from './snapshot-volumes.js';

export const EC2_ACTIONS: readonly ActionDef[] = [
  snapshotVolumes,
  isolateInstance,
  restoreInstance,
  naclIsolateInstance,
  restoreNacl,
];
