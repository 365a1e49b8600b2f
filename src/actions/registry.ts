// Every action firebreak can take, in one list: the actions pane, the palette, the runbooks and
// the README all read it. What an action IS (id, key, target, destructive, evidence first…) comes
// from meta.ts and costs nothing to load; what it DOES is in implementations.ts, imported on the
// first plan, dry run, execute or read-back — so a cockpit that never acts never loads an SDK.

import { z } from 'zod';
import { ACTION_META, type ActionMeta } from './meta.js';
import type { ActionDef } from './types.js';

let loading: Promise<ReadonlyMap<string, ActionDef>> | undefined;

function implementations(): Promise<ReadonlyMap<string, ActionDef>> {
  loading ??= import('./implementations.js').then((m) => new Map(m.ACTION_IMPLEMENTATIONS.map((d) => [d.id, d])));
  return loading;
}

async function impl(id: string): Promise<ActionDef> {
  const d = (await implementations()).get(id);
  if (!d) throw new Error(`action ${id} is listed but has no implementation in this build`);
  return d;
}

/** Before the implementation loads, a plan's params are only known to be a JSON object: its own schema (defineAction) parses them. */
const JOURNALED = z.record(z.string(), z.unknown());

function lazy(m: ActionMeta): ActionDef {
  return {
    ...m,
    params: JOURNALED,
    plan: async (...a) => (await impl(m.id)).plan(...a),
    dryRun: async (...a) => (await impl(m.id)).dryRun(...a),
    execute: async (...a) => (await impl(m.id)).execute(...a),
    verify: async (...a) => (await impl(m.id)).verify(...a),
  };
}

export const ACTION_DEFS: readonly ActionDef[] = ACTION_META.map(lazy);

export function actionDef(id: string): ActionDef | undefined {
  return ACTION_DEFS.find((d) => d.id === id);
}
