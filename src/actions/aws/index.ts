// The aws actions (see ../types.ts for the shape every action has).

import type { ActionDef } from '../types.js';

export const AWS_ACTIONS: readonly ActionDef[] = [];
