// A journal, a store and an ActionRunner for action tests: build the env (real SDK clients pointed
// at a sim on 127.0.0.1), then drive plan → dryRun → confirm → execute → verify and read the
// journal back. Every action test starts here so the lifecycle checks are the same everywhere.

import { join } from 'node:path';
import { ActionRunner } from '../../store/action-runner.js';
import { newIncident, openIncident } from '../../store/open.js';
import type { IncidentStore } from '../../store/store.js';
import type { ActionDef, ActionEnv, Backend, Target } from '../../src/actions/types.js';
import type { AnyRecord } from '../../src/journal/records.js';
import { readFileSync } from 'node:fs';

export interface ActionFixture {
  file: string;
  store: IncidentStore;
  runner: ActionRunner;
  close(): Promise<void>;
  records(): AnyRecord[];
  /** plan → confirm (with the hash shown) → execute; resolves with the action id. */
  run(defId: string, target: Target, commanderReason?: string): Promise<string>;
}

export const TEST_INCIDENT = 'INC-2026-042';

export function baseEnv(dir: string, over: Partial<ActionEnv> = {}): ActionEnv {
  return {
    incidentId: TEST_INCIDENT,
    evidenceDir: join(dir, 'evidence'),
    now: () => new Date(),
    collector: 'tester',
    toolVersion: 'firebreak 0.0.0-test',
    ...over,
  };
}

export async function actionFixture(
  dir: string,
  env: ActionEnv,
  o: {
    defs?: readonly ActionDef[];
    backends?: Backend[];
    mode?: 'live' | 'drill';
    armed?: boolean;
    journal?: string;
  } = {},
): Promise<ActionFixture> {
  const file = o.journal ?? join(dir, 'incident.log');
  const opened = o.journal
    ? await openIncident(file)
    : await newIncident(file, { incidentId: TEST_INCIDENT, title: 'action test', mode: o.mode ?? 'live' });
  const store = opened.store;
  const backends = new Set<Backend>(o.backends ?? ['aws', 'kubernetes', 'vault']);
  const runner = new ActionRunner({
    store,
    mode: o.mode ?? 'live',
    env: async () => env,
    backends,
    ...(o.defs ? { defs: o.defs } : {}),
  });
  // Arming is per account or cluster and per session (a reopened journal starts disarmed): arm
  // whatever this env reaches.
  if (o.armed ?? true)
    for (const name of new Set(['123456789012', env.aws?.account, env.kube?.cluster]))
      if (name) await store.getState().actions.armSession(name, name);
  return {
    file,
    store,
    runner,
    close: async () => {
      await opened.journal?.close();
    },
    records: () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AnyRecord),
    run: async (defId, target, commanderReason) => {
      const id = await runner.plan(defId, target);
      const hash = store.getState().state.actions.get(id)!.planned.paramsHash;
      await runner.confirm(id, hash, commanderReason);
      await runner.execute(id);
      return id;
    },
  };
}
