// The boundary between the journal and an action's code. A plan's params are journaled as JSON
// and come back from the journal (possibly one written by an older build, or edited by hand) for
// the dry run, the execute, the read-back and an undo: each time they are parsed with the action's
// schema here, so an implementation only ever sees params of its own type P and needs no casts.
// https://zod.dev/basics#parsing-data

import type { z } from 'zod';
import { withActionCall } from './call-context.js';
import { ActionError } from './errors.js';
import type { ActionDef, ActionPlan, JournaledParams } from './types.js';

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.length ? issue.path.join('.') : '(top level)'}: ${issue?.message ?? 'invalid'}`;
}

/** Parses journaled data with `schema`, or fails with what is wrong and what to do. */
export function parseJournaled<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ActionError(
    `${what} do not have the expected shape (${firstIssue(r.error)}): the journal was written by another firebreak version or edited; plan the action again`,
    'InvalidParams',
  );
}

/** The action as the registry and runner hold it: every step takes the journaled params and parses them first. */
export function defineAction<P extends JournaledParams>(def: ActionDef<P>): ActionDef {
  const what = `the parameters of ${def.id}`;
  const typed = (plan: ActionPlan): ActionPlan<P> => ({
    ...plan,
    params: parseJournaled(def.params, plan.params, what),
  });
  return {
    ...def,
    // Parsed on the way out too: what is journaled (and hashed, and confirmed) is exactly what
    // the later steps will parse back, with nothing the schema does not know.
    plan: async (target, env, undoOf) => {
      const p = await def.plan(target, env, undoOf);
      const r = def.params.safeParse(p.params);
      if (!r.success)
        throw new ActionError(
          `${def.id} planned parameters its own schema refuses (${firstIssue(r.error)}): a bug in firebreak, nothing was journaled — report it`,
          'InvalidPlan',
        );
      return { ...p, params: r.data };
    },
    // async: a refused parse is a rejected promise like every other step failure, never a throw.
    dryRun: async (target, plan, env) => def.dryRun(target, typed(plan), env),
    // `token` is the action id: every call of the step carries it in its user agent (call-context.ts).
    // The step gets the hooks too: evidence work reports progress and honours a stop.
    execute: async (target, plan, env, token, hooks) =>
      withActionCall(token, () => def.execute(target, typed(plan), env, token, hooks), hooks),
    verify: async (target, plan, env, result) => def.verify(target, typed(plan), env, result),
  };
}
