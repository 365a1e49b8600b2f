// `firebreak drill [SCENARIO]`: a tabletop exercise in the real cockpit. The scenario plays on a
// simulated clock into a real journal — the responder's severity calls, notes, pins and phases
// are recorded exactly as in a live incident, stamped with the drill's clock so the timeline
// reads as one story. Re-opening the same journal resumes the drill where it stopped.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  loadScenario,
  DrillRunner,
  deliveredItemId,
  packageRoot,
  type DrillStatus,
} from '../../src/sources/drill/index.js';
import { readRecordAt } from '../../src/journal/scan.js';
import { JournalUnsafeError } from '../../src/journal/errors.js';
import type { Journal } from '../../src/journal/journal.js';
import type { IncidentState } from '../../store/state.js';
import type { IncidentEvent } from '../../src/domain/event.js';
import { newIncident, openIncident, type OpenedIncident } from '../../store/open.js';
import { runCockpit } from '../run.js';
import { importFilesInto } from './import.js';
import type { DrillControl } from '../../views/context.js';
import { scorecardText } from '../../src/reports/scorecard.js';
import { scoreJournal } from './drill-score.js';
import type { ActionEnv, Backend } from '../../src/actions/types.js';
import { ActionRunner } from '../../store/action-runner.js';
import { windowAnchorFor } from '../../store/window-selectors.js';
import type { ActionSession, ArmTarget } from '../../store/action-session.js';
import { drillCloud } from './drill-cloud.js';
import { cockpitHunt } from './hunt.js';
import { changesToReplay, replayIntoSim } from './drill-replay.js';
import { actionDef } from '../../src/actions/registry.js';
import { readFileSync } from 'node:fs';

export interface DrillOptions {
  journal?: string;
  speed?: number;
  paused?: boolean;
  actor?: string;
  /**
   * The drill's simulated cloud as an ActionEnv (real SDK clients pointed at @firebreak/cloud-sim servers).
   * The seam for connecting it: without one, actions are listed but say why they cannot run.
   */
  actionEnv?: () => Promise<ActionEnv>;
}

function toolVersion(): string {
  try {
    // packageRoot() walks up, so this holds from dist/app/commands and from dist/bundle alike.
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A fresh drill opens 10 s of sim time before its first signal. */
export const DRILL_LEAD_IN_MS = 10_000;
/** More than 30 s of real time with nothing due is skipped (the header says so). */
export const DRILL_QUIET_MS = 30_000;

export const DRILL_CLOUD_MISSING = "the drill's simulated cloud is not connected in this build";

/** The drill's actions: the same runner and definitions as live, on the drill's backends. */
export function drillActions(
  store: OpenedIncident['store'],
  env: (() => Promise<ActionEnv>) | undefined,
  backends: ReadonlySet<Backend> = new Set<Backend>(env ? ['aws', 'kubernetes', 'vault'] : []),
  vaultPrefixes: readonly string[] = [],
): ActionSession {
  const runner = new ActionRunner({
    store,
    mode: 'drill',
    backends,
    env: env
      ? async () => ({ ...(await env()), windowAnchor: (t) => windowAnchorFor(store.getState().state, t) })
      : () => Promise.reject(new Error(DRILL_CLOUD_MISSING)),
  });
  const armTargets = async (): Promise<ArmTarget[]> => {
    if (!env) return [];
    const e = await env();
    return [
      ...(e.aws ? [{ name: e.aws.account, label: `simulated AWS account ${e.aws.account}`, prod: false }] : []),
      ...(e.kube ? [{ name: e.kube.cluster, label: `simulated cluster ${e.kube.cluster}`, prod: false }] : []),
    ];
  };
  return {
    runner,
    armTargets,
    ...(vaultPrefixes.length ? { vaultPrefixes } : {}),
    ...(env ? {} : { blocked: DRILL_CLOUD_MISSING }),
  };
}

/**
 * The Vault lease prefixes a scenario's simulated Vault holds (each seeded lease's id without its
 * last segment), in seed order: what the runbook's "revoke the leases" step offers, since no
 * scripted event names a lease.
 */
export function scenarioVaultPrefixes(vault: unknown): string[] {
  const leases = (vault as { leases?: unknown } | undefined)?.leases;
  if (!Array.isArray(leases)) return [];
  const out: string[] = [];
  for (const l of leases) {
    const id = (l as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !id.includes('/')) continue;
    const prefix = id.slice(0, id.lastIndexOf('/'));
    if (!out.includes(prefix)) out.push(prefix);
  }
  return out;
}

/** $XDG_STATE_HOME/firebreak/drills (~/.local/state/…): drills are kept, for review and scoring. */
export function defaultDrillDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'firebreak', 'drills');
}

/**
 * A new default journal name: to the second, plus a short random suffix, so two drills started
 * in the same minute (or second) never share a journal. A default name never resumes an old
 * drill: resuming takes naming the journal (`--journal FILE`).
 */
export function newDrillJournalPath(
  dir: string,
  scenario: string,
  nowMs = Date.now(),
  suffix = (): string => randomBytes(3).toString('hex'),
): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]|\.\d+/g, '');
  for (;;) {
    const file = join(dir, `${scenario}-${stamp}-${suffix()}.jsonl`);
    if (!existsSync(file)) return file;
  }
}

export async function runDrill(name: string | undefined, o: DrillOptions): Promise<string> {
  const scenario = await loadScenario(name ?? 'inc-2026-042');
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new Error('the cockpit needs a terminal (stdin and stdout must be a TTY)');
  let file = o.journal;
  if (!file) {
    const dir = defaultDrillDir();
    mkdirSync(dir, { recursive: true });
    file = newDrillJournalPath(dir, scenario.name);
  }
  // The journal stamps records with the drill clock; the clock exists once the runner does.
  // A fresh drill opens where its clock will start: just before the first signal (DrillRunner leadInMs).
  const firstAt = scenario.items[0]?.deliverAt;
  const openAt = firstAt === undefined ? scenario.startMs : Math.max(scenario.startMs, firstAt - DRILL_LEAD_IN_MS);
  let simNow = (): number => openAt;
  const journalOpts = { now: () => new Date(simNow()), ...(o.actor ? { actor: o.actor } : {}) };
  const delivered: string[] = [];
  let opened: OpenedIncident;
  if (existsSync(file)) {
    opened = await openIncident(file, {
      ...journalOpts,
      onRecord: (r) => {
        const id = deliveredItemId(r.record);
        if (id) delivered.push(id);
      },
    });
    const inc = opened.store.getState().state.incident;
    if (inc?.scenario !== scenario.name) {
      await opened.journal?.close();
      throw new Error(
        `${file} is not a journal of drill "${scenario.name}" (it holds ${inc?.mode ?? 'an'} incident ${inc?.id ?? '?'}${inc?.scenario ? ` from drill "${inc.scenario}"` : ''})`,
      );
    }
  } else {
    const inc = scenario.incident;
    // detectedAt is left for the team to record (or the first detection to mark): when they
    // noticed is what the drill measures.
    opened = await newIncident(
      file,
      {
        incidentId: inc.id,
        title: inc.title,
        mode: 'drill',
        scenario: scenario.name,
        ...(inc.codename ? { codename: inc.codename } : {}),
      },
      journalOpts,
    );
  }
  const { store, journal } = opened;
  const actions = store.getState().actions;
  const listeners = new Set<() => void>();
  let failure: string | undefined;
  const lastTs = store.getState().state.lastTs;
  let react = (events: IncidentEvent[]): IncidentEvent[] => events;
  const runner = new DrillRunner({
    scenario,
    delivered,
    // A resumed drill goes on from its last record, never before it.
    ...(lastTs ? { resumeAtMs: Date.parse(lastTs) } : {}),
    leadInMs: DRILL_LEAD_IN_MS,
    skipQuietMs: DRILL_QUIET_MS,
    speed: o.speed ?? 1,
    startPaused: o.paused ?? false,
    // Scripted attacker calls pass through the simulated cloud: containment makes them fail, and
    // decides which branch of the story plays next.
    react: (events) => react(events),
    journaledOutcome: (key) => {
      const s = store.getState().state;
      const i = s.eventIndex.get(key);
      return i === undefined ? undefined : s.events.at(i)?.outcome;
    },
    sink: {
      ingest: (events: IncidentEvent[]) => actions.ingestEvents(events, 'drill'),
      detect: (d) => actions.raiseDetection(d, 'drill'),
      inject: (id, text, simTime) => actions.recordInject(id, text, simTime, 'drill'),
    },
    onError: (e) => {
      failure = e.message;
      for (const l of listeners) l();
    },
    onChange: () => {
      for (const l of listeners) l();
    },
  });
  simNow = () => runner.clock.now();
  const control: DrillControl = {
    status: () => {
      const s: DrillStatus = runner.status();
      return {
        simTime: s.simMs,
        speed: s.speed,
        paused: s.paused,
        delivered: s.delivered,
        total: s.total,
        finished: s.finished,
        skippedMs: s.skippedMs,
        ...(failure ? { error: failure } : {}),
      };
    },
    pause: () => runner.pause(),
    resume: () => runner.resume(),
    setSpeed: (x) => runner.setSpeed(x),
    skipToNext: () => void runner.skipToNext(),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  // The scorecard is journaled (drill.scored, on the drill clock) and shown: `:score` mid-drill,
  // and again when the cockpit closes.
  const score = async () => {
    const card = await scoreJournal(file, scenario.name, scenario.targets, { endMs: simNow(), ...runner.timing() });
    await actions.recordScore(card, 'firebreak');
    return card;
  };
  let card: Awaited<ReturnType<typeof score>> | undefined;
  const resumedState = store.getState().state;
  const resumedChanges = changesToReplay(resumedState, actionDef).length > 0;
  const restoreFromJournal = async (env: ActionEnv): Promise<void> => {
    const r = await replayIntoSim(resumedState, env, actionDef);
    if (r.failed.length)
      process.stderr.write(`firebreak: could not restore into the drill's cloud: ${r.failed.join('; ')}\n`);
  };
  // The simulated cloud the team's actions run against (when the scenario has an estate), and the
  // follow-up events it feeds back: each action's calls appear in the feed as the cloud would log them.
  const cloud = o.actionEnv
    ? undefined
    : scenario.cloud
      ? drillCloud(scenario, {
          incidentId: scenario.incident.id,
          evidenceDir: `${file}.evidence`,
          now: () => new Date(simNow()),
          toolVersion: `firebreak ${toolVersion()}`,
          ...(resumedChanges ? { restore: restoreFromJournal } : {}),
        })
      : undefined;
  if (cloud) react = (events) => cloud.react(events, firstChangeMs(store.getState().state));
  // A resumed drill whose team changed the cloud rebuilds the sims now, before the first scripted
  // call is judged or the first read-back runs.
  if (cloud && resumedChanges) await cloud.env();
  let feeding = Promise.resolve();
  const unsubscribe = cloud
    ? store.subscribe((s, prev) => {
        if (s.state.seq === prev.state.seq) return;
        const fresh = cloud.drain();
        if (fresh.length)
          feeding = feeding
            .then(() => actions.ingestEvents(fresh, 'drill').then(() => undefined))
            .catch(() => undefined);
      })
    : undefined;
  runner.start();
  try {
    await runCockpit({
      store,
      mode: 'drill',
      now: simNow,
      actions: cloud
        ? drillActions(store, cloud.env, cloud.backends, scenarioVaultPrefixes(scenario.cloud?.vault))
        : drillActions(store, o.actionEnv),
      drill: control,
      readEvent: (offset, length) => readRecordAt(file, offset, length),
      // Imported evidence is discovered on the drill's clock, like everything else in it.
      importFiles: importFilesInto(store, file, { now: () => new Date(simNow()) }),
      // Hunts answer from the drill's simulated CloudTrail Lake and Athena, on the drill's clock.
      ...(cloud && scenario.cloud?.aws
        ? { hunt: cockpitHunt(store, () => cloud.hunt(), { actor: 'hunt', now: () => new Date(simNow()) }) }
        : {}),
      scoreDrill: score,
    });
    runner.pause();
    // A scorecard that cannot be recorded (journal unsafe) must not hide where the journal is.
    card = await score().catch((e: unknown) => {
      process.stderr.write(`firebreak: could not score the drill: ${e instanceof Error ? e.message : String(e)}\n`);
      return undefined;
    });
  } finally {
    unsubscribe?.();
    await runner.stop();
    await feeding;
    await cloud?.close();
    await journal?.close();
  }
  if (card) process.stdout.write(scorecardText(card));
  endOfSession(file, journal);
  return file;
}

/**
 * A drill whose journal went UNSAFE did not record everything the team did: it must not end like a
 * good one (exit 0). Throws the UNSAFE error, which names the journal and what to do.
 */
export function endOfSession(file: string, journal: Pick<Journal, 'health'> | undefined): void {
  const h = journal?.health;
  if (h?.state === 'unsafe') throw new JournalUnsafeError(file, h.reason ?? 'I/O error');
}

/**
 * When the team's first change landed in the drill's cloud (the first mutating call answered ok,
 * on the drill clock), or +Infinity before any: the calls the scripted attacker made before it
 * met the world as seeded (reactions.ts reactTo).
 */
export function firstChangeMs(s: IncidentState): number {
  let first = Number.POSITIVE_INFINITY;
  for (const a of s.actions.values()) for (const c of a.calls) if (c.ok) first = Math.min(first, Date.parse(c.ts));
  return first;
}
