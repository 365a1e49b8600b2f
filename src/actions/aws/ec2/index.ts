// The EC2 actions (see ../../types.ts for the shape every action has): evidence first (snapshots),
// then isolation, and the undo that lifts it.

import type { ActionDef } from '../../types.js';
import { isolateInstance } from './isolate-instance.js';
import { restoreInstance } from './restore-instance.js';
import { snapshotVolumes } from './snapshot-volumes.js';

export const EC2_ACTIONS: readonly ActionDef[] = [snapshotVolumes, isolateInstance, restoreInstance];
