// The EC2 actions (see ../../types.ts for the shape every action has).

import type { ActionDef } from '../../types.js';

export const EC2_ACTIONS: readonly ActionDef[] = [];
