// Every action firebreak can take, in one list: the actions pane, the palette, the runbooks and
// the README all read it. Each family lives in its own folder and exports its definitions.

import { AWS_ACTIONS } from './aws/index.js';
import { EVIDENCE_ACTIONS } from './evidence/index.js';
import { KUBERNETES_ACTIONS } from './kubernetes/index.js';
import type { ActionDef } from './types.js';

export const ACTION_DEFS: readonly ActionDef[] = [...EVIDENCE_ACTIONS, ...AWS_ACTIONS, ...KUBERNETES_ACTIONS];

export function actionDef(id: string): ActionDef | undefined {
  return ACTION_DEFS.find((d) => d.id === id);
}
