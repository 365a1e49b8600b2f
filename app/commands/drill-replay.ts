// Resume that remembers: a re-opened drill starts a fresh simulated cloud from the scenario's
// seed, which knows nothing of what the team did before the quit or the crash. Replaying the
// journaled changes — every action that succeeded, undos included, in journal order, with the
// exact plan the journal holds — puts the sim back where it was, so a read-back after resume
// tells the truth and the scripted attacker still meets the containment. Evidence actions are not
// replayed: their files are on disk already, and capturing again would write duplicates.

import type { ActionDef, ActionEnv, ActionPlan } from '../../src/actions/types.js';
import { actionsAsOf, actionStatus } from '../../store/action-selectors.js';
import type { IncidentState } from '../../store/state.js';

export interface ReplayResult {
  replayed: string[];
  /** Actions whose replay failed: "actionId action: message". */
  failed: string[];
}

/** The changes the journal says were applied, oldest first. */
export function changesToReplay(s: IncidentState, def: (id: string) => ActionDef | undefined) {
  return actionsAsOf(s).filter((a) => {
    const st = actionStatus(a, s.seq);
    const d = def(a.planned.action);
    return d !== undefined && !d.evidence && (st === 'succeeded' || st === 'verified' || st === 'verify-failed');
  });
}

export async function replayIntoSim(
  s: IncidentState,
  env: ActionEnv,
  def: (id: string) => ActionDef | undefined,
): Promise<ReplayResult> {
  const out: ReplayResult = { replayed: [], failed: [] };
  for (const a of changesToReplay(s, def)) {
    const p = a.planned;
    const plan: ActionPlan = {
      params: p.params,
      calls: p.calls as ActionPlan['calls'],
      blastRadius: p.blastRadius,
      warnings: p.warnings,
    };
    try {
      await def(p.action)!.execute(p.target, plan, env, a.actionId);
      out.replayed.push(a.actionId);
    } catch (e) {
      out.failed.push(`${a.actionId} ${p.action}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
