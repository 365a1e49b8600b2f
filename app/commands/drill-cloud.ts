// A drill's simulated cloud, wired into its session: started on the first action (a drill that
// never acts never pays for it), its CloudTrail holding the scenario's own CloudTrail records (so
// "preserve CloudTrail" finds what the team saw in the feed), and every mutating call the team's
// actions make fed back into the drill as the event the real cloud would log.

import type { Backend, ActionEnv } from '../../src/actions/types.js';
import type { IncidentEvent } from '../../src/domain/event.js';
import type { Scenario } from '../../src/sources/drill/compile.js';
import type { CloudSeed, CloudTrailSeedEvent } from '@firebreak/cloud-sim';
import type { SimEnv } from './sim-env.js';
import type { HuntSession } from './hunt.js';
import { defaultActor } from '../../src/journal/journal.js';
import { reactTo } from '../../src/sources/drill/reactions.js';

export interface DrillCloud {
  backends: Set<Backend>;
  env: () => Promise<ActionEnv>;
  /** `:hunt`'s engines on the simulated cloud (started on the first hunt if no action started it). */
  hunt: () => Promise<HuntSession>;
  /** Follow-up events for calls made since the last time (the drill ingests them). */
  drain(): IncidentEvent[];
  /**
   * The scripted events as the simulated cloud now answers them: a call that containment stops
   * comes back failed (src/sources/drill/reactions.ts). Before the first action nothing is contained.
   */
  react(events: IncidentEvent[], changedAtMs?: number): IncidentEvent[];
  close(): Promise<void>;
}

type Raw = Record<string, unknown>;
const obj = (x: unknown): Raw => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Raw) : {});
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** What LookupEvents calls Username: the IAM user's name, or an assumed role's session name. */
function lookupUsername(raw: Raw): string | undefined {
  const id = obj(raw.userIdentity);
  if (str(id.userName)) return str(id.userName);
  const arn = str(id.arn);
  if (arn?.includes(':assumed-role/')) return arn.split('/').at(-1);
  return id.type === 'Root' ? 'root' : undefined;
}

export function cloudTrailSeedFrom(events: readonly IncidentEvent[]): CloudTrailSeedEvent[] {
  const out: CloudTrailSeedEvent[] = [];
  for (const e of events) {
    if (e.source !== 'cloudtrail') continue;
    const raw = obj(e.raw);
    const name = str(raw.eventName);
    if (!name) continue;
    const username = lookupUsername(raw);
    const key = str(obj(raw.userIdentity).accessKeyId);
    const resources = Array.isArray(raw.resources)
      ? raw.resources
          .map(obj)
          .flatMap((r) =>
            str(r.type) && str(r.ARN ?? r.arn) ? [{ type: str(r.type)!, name: str(r.ARN ?? r.arn)! }] : [],
          )
      : [];
    out.push({
      eventId: e.id,
      eventTime: e.eventTime,
      eventName: name,
      ...(str(raw.eventSource) ? { eventSource: str(raw.eventSource)! } : {}),
      ...(username ? { username } : {}),
      ...(key ? { accessKeyId: key } : {}),
      ...(typeof raw.readOnly === 'boolean' ? { readOnly: raw.readOnly } : {}),
      ...(resources.length ? { resources } : {}),
      cloudTrailEvent: JSON.stringify(e.raw),
    });
  }
  return out;
}

export function drillCloud(
  scenario: Scenario,
  o: {
    incidentId: string;
    evidenceDir: string;
    now: () => Date;
    toolVersion: string;
    /** Puts a resumed drill's changes back into the fresh sims (drill-replay.ts) before first use. */
    restore?: (env: ActionEnv) => Promise<void>;
  },
): DrillCloud {
  const seed = (scenario.cloud ?? {}) as CloudSeed;
  const backends = new Set<Backend>([
    ...(seed.aws ? ['aws' as const] : []),
    ...(seed.kubernetes ? ['kubernetes' as const] : []),
    ...(seed.vault ? ['vault' as const] : []),
  ]);
  let started: Promise<SimEnv> | undefined;
  const start = (): Promise<SimEnv> => {
    if (!started) {
      const scripted = scenario.items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
      const withTrail: CloudSeed = seed.aws
        ? {
            ...seed,
            aws: { ...seed.aws, cloudtrail: { events: cloudTrailSeedFrom(scripted), ...(seed.aws.cloudtrail ?? {}) } },
          }
        : seed;
      // The sims and the SDK clients load only now: a drill that never acts never pays for them.
      started = import('./sim-env.js')
        .then(({ startSimEnv }) =>
          startSimEnv(withTrail, {
            incidentId: o.incidentId,
            evidenceDir: o.evidenceDir,
            now: o.now,
            collector: defaultActor(),
            toolVersion: o.toolVersion,
          }),
        )
        .then(async (sim) => {
          if (o.restore) {
            await o.restore(sim.env);
            // The replay's calls were logged the first time round: not new events for the feed.
            sim.followUps({ account: '', region: '', responderArn: '', now: o.now() });
          }
          return sim;
        });
      // A failed start is retried on the next action rather than cached as a failure forever.
      started.catch(() => (started = undefined));
    }
    return started;
  };
  let cloud: SimEnv | undefined;
  return {
    backends,
    env: async () => (cloud = await start()).env,
    hunt: async () => {
      const h = (cloud = await start()).hunt;
      if (!h) throw new Error("this drill's scenario has no AWS estate to hunt in");
      return h;
    },
    drain: () => {
      if (!cloud) return [];
      const account = cloud.env.aws?.account ?? seed.aws?.account ?? '000000000000';
      return cloud.followUps({
        account,
        region: cloud.env.aws?.region ?? seed.aws?.region ?? 'us-east-1',
        responderArn: `arn:aws:sts::${account}:assumed-role/incident-responder/firebreak`,
        now: o.now(),
      });
    },
    react: (events, changedAtMs) => {
      const c = cloud;
      return c
        ? reactTo(
            events,
            (p) => c.judge(p),
            (p) => c.judgeKube(p),
            changedAtMs,
          )
        : events;
    },
    close: async () => {
      if (started) await (await started.catch(() => undefined))?.close();
    },
  };
}
