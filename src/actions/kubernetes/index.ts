// The kubernetes actions (see ../types.ts for the shape every action has).

import type { ActionDef } from '../types.js';

export const KUBERNETES_ACTIONS: readonly ActionDef[] = [];
