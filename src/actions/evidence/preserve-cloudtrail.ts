// Preserve CloudTrail for a window: every LookupEvents page about the target, the raw
// `CloudTrailEvent` of each event written as one JSON line, hashed, recorded as evidence. One
// implementation, three target kinds (an ActionDef has one kind): a role, an access key, a user.
//
// How each target is found (LookupEvents filters on ONE attribute per request,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupAttribute.html):
// - access key: AccessKeyId = the key.
// - user: Username = the user name.
// - role: `Username` of an assumed-role call is the SESSION name, not the role's, so a role is
//   found in two steps: ResourceName = the role (name and ARN) finds the AssumeRole calls and any
//   call made on the role; the session names in those AssumeRole answers are then looked up by
//   Username, keeping only the calls whose identity is a session of THIS role (another role may
//   use the same session name). The sessions found are in the outputs.

import { join } from 'node:path';
import { LookupAttributeKey, type Event } from '@aws-sdk/client-cloudtrail';
import { ActionError } from '../errors.js';
import type {
  ActionDef,
  ActionEnv,
  ActionPlan,
  AwsClients,
  DryRunResult,
  ExecuteResult,
  Target,
  VerifyResult,
} from '../types.js';
import type { ExecuteHooks } from '../call-context.js';
import { lookupAll, lookupPage, type Lookup } from './cloudtrail-lookup.js';
import { compactTime, digestFile, exists, fileSafe, writeEvidenceLines } from './files.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';

const HOUR = 3_600_000;
/** LookupEvents sees the last 90 days only. */
const HISTORY_MS = 90 * 24 * HOUR;

const preserveParams = z.strictObject({
  region: z.string(),
  account: z.string(),
  startTime: z.iso.datetime(),
  endTime: z.iso.datetime(),
  lookups: z.array(z.strictObject({ key: z.enum(LookupAttributeKey), value: z.string().min(1) })),
  /** For a role: look up the sessions found in its AssumeRole calls, keeping this role's. */
  followSessionsOfRole: z.string().optional(),
  file: z.string().min(1),
});
type Params = z.infer<typeof preserveParams>;

function aws(env: ActionEnv): AwsClients {
  if (!env.aws)
    throw new ActionError('no AWS session', 'NoAwsSession', 'start with firebreak live --profile P --region R');
  return env.aws;
}

function lookupsFor(target: Target, account: string): { lookups: Lookup[]; role?: string } {
  switch (target.kind) {
    case 'access-key':
      return { lookups: [{ key: 'AccessKeyId', value: target.id }] };
    case 'iam-user':
      return { lookups: [{ key: 'Username', value: target.id }] };
    case 'iam-role':
      return {
        lookups: [
          { key: 'ResourceName', value: target.id },
          ...(account ? [{ key: 'ResourceName' as const, value: `arn:aws:iam::${account}:role/${target.id}` }] : []),
        ],
        role: target.id,
      };
    default:
      throw new ActionError(`CloudTrail preservation does not apply to a ${target.kind}`, 'WrongTarget');
  }
}

async function plan(target: Target, env: ActionEnv): Promise<ActionPlan<Params>> {
  const a = aws(env);
  const now = env.now();
  const warnings = [
    "LookupEvents returns management events only: data events (S3 object reads, Lambda invokes…) are not in this file — export them from the trail's S3 logs",
    'Event history covers the last 90 days only',
    'Events arrive up to ~15 minutes late: run this again later to catch the tail of the window',
    'At 2 requests/s per account and Region (shared with the pollers), each 50 events take half a second',
  ];
  // The window starts where the incident does for this target, not at "now": 24 h before the
  // earliest event linked to it (activity before firebreak saw it), or exactly at --since.
  let start: number;
  if (target.since) {
    start = Date.parse(target.since);
    if (!(start < now.getTime()))
      throw new ActionError(`--since ${target.since} is not in the past`, 'InvalidWindow', 'give an earlier time');
    warnings.push(`The window starts at ${new Date(start).toISOString()}, as given with --since`);
  } else {
    const anchor = env.windowAnchor?.(target);
    start = (anchor?.at ?? now).getTime() - 24 * HOUR;
    warnings.push(
      anchor
        ? `The window starts 24 h before ${anchor.what} (${anchor.at.toISOString()}); :act … --since TIME sets it`
        : 'No event of this target or incident is known: the window starts 24 h before now; :act … --since TIME sets it',
    );
  }
  if (start < now.getTime() - HISTORY_MS) {
    start = now.getTime() - HISTORY_MS;
    warnings.push("The window is cut at 90 days ago: older events are only in the trail's S3 logs");
  }
  const { lookups, role } = lookupsFor(target, a.account);
  const startTime = new Date(start).toISOString();
  const endTime = now.toISOString();
  const file = join(
    env.evidenceDir,
    fileSafe(env.incidentId),
    'aws',
    `cloudtrail-${fileSafe(target.id)}-${compactTime(new Date(start))}-${compactTime(now)}.jsonl`,
  );
  const params: Params = {
    region: a.region,
    account: a.account,
    startTime,
    endTime,
    lookups,
    ...(role ? { followSessionsOfRole: role } : {}),
    file,
  };
  const by = lookups.map((l) => `${l.key}=${l.value}`).join(', then ');
  return {
    params,
    calls: [
      {
        service: 'cloudtrail',
        op: 'LookupEvents',
        summary: `${by}, ${startTime} → ${endTime}, every page (≤ 2 requests/s)`,
        mutating: false,
      },
      ...(role
        ? [
            {
              service: 'cloudtrail' as const,
              op: 'LookupEvents',
              summary: `Username=<each session name of role ${role} found>, same window, keeping this role's sessions`,
              mutating: false,
            },
          ]
        : []),
    ],
    blastRadius: ['Read-only: nothing in the account changes', `Writes ${file}`],
    warnings,
  };
}

async function dryRun(_t: Target, p: ActionPlan<Params>, env: ActionEnv): Promise<DryRunResult> {
  const a = aws(env);
  const params = p.params;
  const l = params.lookups[0]!;
  const page = await lookupPage(a.cloudtrail, a.cloudtrailLimiter, {
    LookupAttributes: [{ AttributeKey: l.key, AttributeValue: l.value }],
    StartTime: new Date(params.startTime),
    EndTime: new Date(params.endTime),
    MaxResults: 50,
  });
  const n = page.Events?.length ?? 0;
  return {
    kind: 'simulated',
    ok: true,
    message: `LookupEvents answered (${l.key}=${l.value}): ${n} event${n === 1 ? '' : 's'} on the first page${page.NextToken ? ', more pages follow' : ''}; nothing written`,
    requestIds: page.$metadata.requestId ? [page.$metadata.requestId] : [],
  };
}

interface Parsed {
  userIdentity?: { arn?: string; sessionContext?: { sessionIssuer?: { userName?: string } } };
  requestParameters?: { roleSessionName?: string } | null;
  responseElements?: { assumedRoleUser?: { arn?: string } } | null;
}

function parse(e: Event): Parsed | undefined {
  try {
    const v = JSON.parse(e.CloudTrailEvent ?? '') as unknown;
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The session names this role's AssumeRole* answers handed out. */
function sessionsOf(role: string, events: Event[]): string[] {
  const out = new Set<string>();
  const re = new RegExp(`:assumed-role/${role.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(.+)$`);
  for (const e of events) {
    if (!e.EventName?.startsWith('AssumeRole')) continue;
    const r = parse(e);
    const s = re.exec(r?.responseElements?.assumedRoleUser?.arn ?? '')?.[1] ?? r?.requestParameters?.roleSessionName;
    if (s) out.add(s);
  }
  return [...out].sort();
}

function isSessionOf(role: string, e: Event): boolean {
  const id = parse(e)?.userIdentity;
  return id?.sessionContext?.sessionIssuer?.userName === role || (id?.arn ?? '').includes(`:assumed-role/${role}/`);
}

/** One JSON line per event: the raw CloudTrailEvent, or (when the API sent none) what it did send. */
function line(e: Event): string {
  const raw = e.CloudTrailEvent;
  if (raw !== undefined && !/[\r\n]/.test(raw)) return raw;
  if (raw !== undefined) {
    try {
      return JSON.stringify(JSON.parse(raw));
    } catch {
      return JSON.stringify({ eventID: e.EventId, unparsedCloudTrailEvent: raw });
    }
  }
  return JSON.stringify({
    eventID: e.EventId,
    eventName: e.EventName,
    eventTime: e.EventTime?.toISOString(),
    eventSource: e.EventSource,
    username: e.Username,
    accessKeyId: e.AccessKeyId,
    resources: e.Resources,
    firebreakNote: 'LookupEvents returned no CloudTrailEvent for this event',
  });
}

async function execute(
  target: Target,
  p: ActionPlan<Params>,
  env: ActionEnv,
  _token: string,
  hooks: ExecuteHooks = {},
): Promise<ExecuteResult> {
  const a = aws(env);
  const params = p.params;
  const w = { start: Date.parse(params.startTime), end: Date.parse(params.endTime) };
  if (await exists(params.file))
    throw new ActionError(
      `evidence file ${params.file} already exists: evidence is never overwritten`,
      'EvidenceExists',
      're-plan (a new window gets a new file name)',
    );
  const byId = new Map<string, Event>();
  const requestIds: string[] = [];
  let pages = 0;
  let throttled = 0;
  const add = (events: Event[], keep: (e: Event) => boolean = () => true) => {
    for (const e of events) if (keep(e)) byId.set(e.EventId ?? `${e.EventTime?.getTime()}-${byId.size}`, e);
  };
  const found: Event[] = [];
  // Stopped by the responder: what each lookup still lacks, said in the result and the evidence.
  const stopped: string[] = [];
  let fetched = 0;
  const run = async (l: Lookup) => {
    const what = `${l.key}=${l.value}`;
    if (hooks.signal?.aborted) {
      stopped.push(`${what}: not looked up`);
      return [];
    }
    let before = 0;
    const r = await lookupAll(a.cloudtrail, a.cloudtrailLimiter, l, w, {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onPage: (x) => {
        fetched += x.events.length - before;
        before = x.events.length;
        hooks.progress?.({ done: fetched, unit: 'events', detail: `page ${pages + x.pages} · ${what}` });
      },
    });
    pages += r.pages;
    throttled += r.throttled;
    requestIds.push(...r.requestIds);
    // Newest first: a stopped lookup holds the window's end, back to its oldest event.
    if (r.stopped) {
      const oldest = r.events.at(-1)?.EventTime;
      stopped.push(
        `${what}: ${oldest ? `nothing before ${oldest.toISOString()}` : 'nothing'} (stopped after ${r.pages} page${r.pages === 1 ? '' : 's'})`,
      );
    }
    return r.events;
  };
  for (const l of params.lookups) {
    const events = await run(l);
    found.push(...events);
    add(events);
  }
  const role = params.followSessionsOfRole;
  const sessions = role ? sessionsOf(role, found) : [];
  for (const s of sessions) add(await run({ key: 'Username', value: s }), (e) => isSessionOf(role!, e));
  const events = [...byId.values()].sort(
    (x, y) =>
      (x.EventTime?.getTime() ?? 0) - (y.EventTime?.getTime() ?? 0) || (x.EventId ?? '').localeCompare(y.EventId ?? ''),
  );
  const d = await writeEvidenceLines(params.file, events.map(line));
  const what = params.lookups.map((l) => `${l.key}=${l.value}`).join(', ');
  return {
    requestIds: requestIds.slice(0, 20),
    outputs: {
      file: params.file,
      sha256: d.sha256,
      size: d.size,
      lines: d.lines,
      pages,
      throttled,
      ...(role ? { sessions } : {}),
      ...(stopped.length ? { stopped } : {}),
    },
    message: `${stopped.length ? 'STOPPED by the responder, INCOMPLETE: ' : ''}${d.lines} CloudTrail event${d.lines === 1 ? '' : 's'} for ${target.label} preserved (${pages} page${pages === 1 ? '' : 's'}${throttled ? `, ${throttled} throttled and retried` : ''})${stopped.length ? `; not preserved: ${stopped.join('; ')}` : ''}`,
    evidence: [
      {
        path: params.file,
        sha256: d.sha256,
        size: d.size,
        source: `aws cloudtrail LookupEvents ${params.account}/${params.region} (${what}${sessions.length ? `; sessions ${sessions.join(', ')}` : ''})`,
        description: `CloudTrail management events for ${target.label}, ${params.startTime} → ${params.endTime}, one raw CloudTrailEvent per line${stopped.length ? `; INCOMPLETE (stopped by the responder): ${stopped.join('; ')}` : ''}`,
      },
    ],
  };
}

async function verify(
  _t: Target,
  p: ActionPlan<Params>,
  _env: ActionEnv,
  result: ExecuteResult | undefined,
): Promise<VerifyResult> {
  const { file } = p.params;
  if (!(await exists(file))) return { ok: false, detail: `${file} is missing` };
  const d = await digestFile(file);
  const o = result?.outputs;
  if (!o)
    return {
      ok: true,
      detail: `${file} is complete (${d.lines} lines, sha256 ${d.sha256}); no recorded hash to compare after the interruption`,
    };
  if (d.sha256 !== o.sha256)
    return { ok: false, detail: `${file} changed: sha256 ${d.sha256}, recorded ${String(o.sha256)}` };
  if (d.lines !== o.lines) return { ok: false, detail: `${file} has ${d.lines} lines, recorded ${String(o.lines)}` };
  return { ok: true, detail: `${file}: ${d.lines} events, sha256 ${d.sha256} as recorded` };
}

/** One implementation, three target kinds (role, key, user): meta.ts names each. */
function def(id: string): ActionDef {
  return defineAction<Params>({ ...actionMeta(id), params: preserveParams, plan, dryRun, execute, verify });
}

export const PRESERVE_CLOUDTRAIL: readonly ActionDef[] = [
  def('aws.preserveCloudTrail'),
  def('aws.preserveCloudTrailKey'),
  def('aws.preserveCloudTrailUser'),
];
