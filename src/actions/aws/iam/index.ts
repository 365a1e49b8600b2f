// The IAM actions (see ../../types.ts for the shape every action has).

import type { ActionDef } from '../../types.js';

export const IAM_ACTIONS: readonly ActionDef[] = [];
