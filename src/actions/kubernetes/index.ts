// The Kubernetes actions (see ../types.ts for the shape every action has). Each containment
// action is followed by the undo-only action that reverses it.

import type { ActionDef } from '../types.js';
import { capturePod } from './capture-pod.js';
import { cordonNode, uncordonNode } from './cordon-node.js';
import { isolateNamespace, unisolateNamespace } from './isolate-namespace.js';
import { quarantinePod } from './quarantine-pod.js';
import { unquarantinePod } from './unquarantine-pod.js';

export { kubeClientsFor } from './clients.js';

export const KUBERNETES_ACTIONS: readonly ActionDef[] = [
  capturePod,
  quarantinePod,
  unquarantinePod,
  isolateNamespace,
  unisolateNamespace,
  cordonNode,
  uncordonNode,
];
