// The evidence actions (see ../types.ts for the shape every action has).

import type { ActionDef } from '../types.js';

export const EVIDENCE_ACTIONS: readonly ActionDef[] = [];
