// Every action with its implementation (and so the SDK clients it calls). Loaded on the first plan
// through registry.ts; tests import it directly.

import { AWS_ACTIONS } from './aws/index.js';
import { EVIDENCE_ACTIONS } from './evidence/index.js';
import { KUBERNETES_ACTIONS } from './kubernetes/index.js';
import type { ActionDef } from './types.js';

export const ACTION_IMPLEMENTATIONS: readonly ActionDef[] = [
  ...EVIDENCE_ACTIONS,
  ...AWS_ACTIONS,
  ...KUBERNETES_ACTIONS,
];
