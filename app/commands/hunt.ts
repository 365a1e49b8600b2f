// `firebreak hunt` and the cockpit's `:hunt`: a query on CloudTrail Lake or Athena whose rows go
// into the journal as events through the one ingest path (dedupe by eventKey → journal →
// detections), then one hunt.ran record with the query, its id, how it ended, the bytes scanned
// and their price. Neither engine prices a scan in advance, so a hunt without a time bound is
// refused unless the responder confirms it (--allow-unbounded); the price basis is shown before.

import { existsSync } from 'node:fs';
import type { CloudTrailClientOptions } from '../../src/sources/cloudtrail/client.js';
import { createDetector, type Detector } from '../../src/detections/index.js';
import type { RecordData } from '../../src/journal/records.js';
import {
  athenaQuery,
  eventDataStoreId,
  HuntQueryError,
  lakeQuery,
  sqlHasTimeBound,
  type HuntWindow,
  type Pivot,
} from '../../src/sources/hunt/queries.js';
import { costUsd, formatBytes, formatUsd, priceBasis, type HuntEngineName } from '../../src/sources/hunt/cost.js';
import { runHunt, type HuntEngine, type HuntOutcome, type HuntProgress } from '../../src/sources/hunt/hunt.js';
import { rowsToEvents } from '../../src/sources/hunt/rows.js';
import { openIncident } from '../../store/open.js';
import type { IncidentStore } from '../../store/store.js';
import type { CockpitDeps } from '../../views/context.js';
import { createIngest } from './ingest.js';

export type HuntTarget =
  | { engine: 'lake'; eventDataStore: string }
  | {
      engine: 'athena';
      database: string;
      table: string;
      catalog?: string;
      workGroup?: string;
      outputLocation?: string;
    };

export interface HuntRequest {
  target: HuntTarget;
  /** A ready-made hunt, or free SQL (`sql`). */
  pivot?: Pivot;
  sql?: string;
  window?: HuntWindow;
  /** The responder confirmed a scan without a time bound. */
  allowUnbounded?: boolean;
}

export interface HuntConnection extends CloudTrailClientOptions {
  /** Rows per page (tests make several pages of a few rows). */
  pageSize?: number;
  pollMs?: number;
}

export interface HuntSummary {
  outcome: HuntOutcome;
  record: RecordData<'hunt.ran'>;
  newEvents: number;
  detections: number;
  problems: string[];
  text: string;
}

export class HuntRefused extends Error {}

/** The statement and what it runs on; refuses a bad value or an unbounded scan not confirmed. */
export function huntStatement(r: HuntRequest): { sql: string; source: string } {
  if (!!r.pivot === !!r.sql)
    throw new HuntRefused('give one of --access-key, --principal, --session, --source-ip or --sql');
  const t = r.target;
  const source = t.engine === 'lake' ? t.eventDataStore : `${t.catalog ?? 'AwsDataCatalog'}.${t.database}.${t.table}`;
  let sql: string;
  try {
    if (r.sql) sql = r.sql;
    else if (t.engine === 'lake') sql = lakeQuery(t.eventDataStore, r.pivot!, r.window ?? {});
    else sql = athenaQuery(t, r.pivot!, r.window ?? {});
    if (t.engine === 'lake') eventDataStoreId(t.eventDataStore);
  } catch (e) {
    if (e instanceof HuntQueryError) throw new HuntRefused(e.message);
    throw e;
  }
  const bounded = r.sql ? sqlHasTimeBound(r.sql) : r.window?.sinceMs !== undefined;
  if (!bounded && !r.allowUnbounded)
    throw new HuntRefused(
      `no time bound: this scans everything ${t.engine === 'lake' ? 'the event data store' : 'the table'} holds. ${priceBasis(t.engine)}. Give --since (and --until), or --allow-unbounded to run it anyway`,
    );
  return { sql, source };
}

/** The engine for a target, on clients built as the poller builds them (profile, region, endpoint). */
export async function engineFor(t: HuntTarget, c: HuntConnection): Promise<{ engine: HuntEngine; close(): void }> {
  const page = c.pageSize ? { pageSize: c.pageSize } : {};
  if (t.engine === 'lake') {
    const [{ createCloudTrailClient }, { lakeEngine }] = await Promise.all([
      import('../../src/sources/cloudtrail/client.js'),
      import('../../src/sources/hunt/lake.js'),
    ]);
    const client = createCloudTrailClient(c);
    return { engine: lakeEngine(client, page), close: () => client.destroy() };
  }
  const { createAthenaClient, athenaEngine } = await import('../../src/sources/hunt/athena.js');
  const client = createAthenaClient(c);
  return {
    engine: athenaEngine(
      client,
      {
        database: t.database,
        ...(t.catalog ? { catalog: t.catalog } : {}),
        ...(t.workGroup ? { workGroup: t.workGroup } : {}),
        ...(t.outputLocation ? { outputLocation: t.outputLocation } : {}),
      },
      page,
    ),
    close: () => client.destroy(),
  };
}

export function progressText(engine: HuntEngineName, p: HuntProgress): string {
  const scanned = p.bytesScanned !== undefined ? `, ${formatBytes(p.bytesScanned)} scanned` : '';
  return `hunt (${engine === 'lake' ? 'CloudTrail Lake' : 'Athena'}): ${p.state}, ${p.rows} rows${scanned}`;
}

function summaryText(s: Omit<HuntSummary, 'text'>): string {
  const r = s.record;
  const o = s.outcome;
  const cost =
    r.bytesScanned !== undefined
      ? `${formatBytes(r.bytesScanned)} scanned (${formatUsd(r.costUsd ?? 0)})`
      : 'nothing scanned';
  const head =
    r.state === 'succeeded'
      ? `hunt finished`
      : r.state === 'cancelled'
        ? `hunt cancelled while ${o.stoppedAt ?? 'starting'}`
        : `hunt ${r.state} while ${o.stoppedAt ?? 'starting'}`;
  return [
    `${head}: ${r.rows} rows, ${s.newEvents} new events, ${s.detections} detections, ${cost}`,
    ...(r.queryId ? [`query id ${r.queryId}`] : []),
    ...(r.error ? [`error: ${r.error}`] : []),
    ...(s.problems.length ? [`${s.problems.length} rows refused: ${s.problems.slice(0, 3).join('; ')}`] : []),
  ].join('\n');
}

/**
 * A hunt into an open journal (the CLI's, or the cockpit's through its own store, which holds the
 * lock). The events go in page by page as they come; the hunt.ran record closes it.
 */
export function huntInto(
  store: IncidentStore,
  o: { actor?: string; detector?: Detector; now?: () => Date; connection: HuntConnection },
) {
  const ingest = createIngest(store, o.actor ?? 'hunt', o.detector ?? createDetector());
  return async function hunt(
    req: HuntRequest,
    run: { signal?: AbortSignal; onProgress?: (p: HuntProgress) => void } = {},
  ): Promise<HuntSummary> {
    const { sql, source } = huntStatement(req);
    const { engine, close } = await engineFor(req.target, o.connection);
    let newEvents = 0;
    let detections = 0;
    const problems: string[] = [];
    let outcome: HuntOutcome;
    try {
      outcome = await runHunt({
        engine,
        sql,
        ...(run.signal ? { signal: run.signal } : {}),
        ...(run.onProgress ? { onProgress: run.onProgress } : {}),
        ...(o.connection.pollMs !== undefined ? { pollMs: o.connection.pollMs } : {}),
        sink: async (rows, first) => {
          const r = rowsToEvents(rows, (o.now?.() ?? new Date()).toISOString(), first);
          problems.push(...r.problems);
          const got = await ingest(r.events);
          newEvents += got.fresh;
          detections += got.detections;
        },
      });
    } finally {
      close();
    }
    const e = req.target.engine;
    const record: RecordData<'hunt.ran'> = {
      engine: e,
      source,
      query: sql.slice(0, 100_000),
      ...(outcome.queryId ? { queryId: outcome.queryId.slice(0, 256) } : {}),
      state: outcome.state,
      ...(outcome.stoppedAt ? { stoppedAt: outcome.stoppedAt } : {}),
      ...(outcome.bytesScanned !== undefined
        ? { bytesScanned: Math.max(0, Math.round(outcome.bytesScanned)), costUsd: costUsd(e, outcome.bytesScanned) }
        : {}),
      rows: outcome.rows,
      newEvents,
      problems: problems.length,
      ...(outcome.error ? { error: outcome.error.slice(0, 2000) } : {}),
    };
    await store.getState().actions.recordHunt(record, o.actor);
    const base = { outcome, record, newEvents, detections, problems };
    return { ...base, text: summaryText(base) };
  };
}

export interface HuntCliOptions extends HuntRequest {
  journal: string;
  actor?: string;
  connection: HuntConnection;
  signal?: AbortSignal;
  onProgress?: (p: HuntProgress) => void;
  /** Where the price basis goes before the run (stderr). */
  say?: (line: string) => void;
}

/** `firebreak hunt`: exit 0 when the query succeeded, 1 when it failed, 2 when it was cancelled or refused. */
export async function runHuntCli(o: HuntCliOptions): Promise<{ summary: HuntSummary; exitCode: number }> {
  if (!existsSync(o.journal)) throw new HuntRefused(`${o.journal} does not exist (create one with "firebreak new")`);
  huntStatement(o);
  o.say?.(priceBasis(o.target.engine));
  const { store, journal } = await openIncident(o.journal, o.actor ? { actor: o.actor } : {});
  try {
    const hunt = huntInto(store, { ...(o.actor ? { actor: o.actor } : {}), connection: o.connection });
    const summary = await hunt(o, {
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    const s = summary.record.state;
    return { summary, exitCode: s === 'succeeded' ? 0 : s === 'cancelled' ? 2 : 1 };
  } finally {
    await journal?.close();
  }
}

/** `--since` / `--until`: an ISO time (UTC unless it says otherwise), or an age such as 90m, 24h, 7d. */
export function parseHuntTime(text: string, nowMs = Date.now()): number {
  const t = text.trim();
  const age = /^(\d+)\s*(m|h|d)$/i.exec(t);
  if (age) return nowMs - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2]!.toLowerCase() as 'm'];
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || !t.includes('T') ? t : `${t}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new HuntRefused(`not a time: "${text}" (an ISO time such as 2026-04-20T13:00Z, or an age: 90m, 24h, 7d)`);
}

/** What a cockpit session hunts on: its Lake event data store and / or Athena table, and how to reach them. */
export interface HuntSession {
  lake?: { eventDataStore: string };
  athena?: Omit<Extract<HuntTarget, { engine: 'athena' }>, 'engine'>;
  connection: HuntConnection;
}

/** The cockpit's `:hunt` (CockpitDeps.hunt) over a session's engines, into its store. */
export function cockpitHunt(
  store: IncidentStore,
  /** Resolved at each hunt (a drill starts its simulated cloud at the first). */
  sessionOf: () => Promise<HuntSession>,
  o: { actor?: string; detector?: Detector; now?: () => Date } = {},
): NonNullable<CockpitDeps['hunt']> {
  return async (req, run = {}) => {
    const session = await sessionOf();
    const engine = req.engine ?? (session.lake ? 'lake' : 'athena');
    const target: HuntTarget | undefined =
      engine === 'lake'
        ? session.lake && { engine: 'lake', ...session.lake }
        : session.athena && { engine: 'athena', ...session.athena };
    if (!target)
      throw new HuntRefused(
        engine === 'lake'
          ? 'no CloudTrail Lake event data store in this session (start live with --event-data-store)'
          : 'no Athena table in this session (start live with --athena-database and --athena-table)',
      );
    const request: HuntRequest = {
      target,
      ...(req.pivot ? { pivot: req.pivot } : {}),
      ...(req.sql ? { sql: req.sql } : {}),
      window: {
        ...(req.sinceMs !== undefined ? { sinceMs: req.sinceMs } : {}),
        ...(req.untilMs !== undefined ? { untilMs: req.untilMs } : {}),
      },
      ...(req.allowUnbounded ? { allowUnbounded: true } : {}),
    };
    huntStatement(request);
    const hunt = huntInto(store, {
      ...(o.actor ? { actor: o.actor } : {}),
      ...(o.detector ? { detector: o.detector } : {}),
      ...(o.now ? { now: o.now } : {}),
      connection: session.connection,
    });
    const s = await hunt(request, {
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.onProgress ? { onProgress: (p: HuntProgress) => run.onProgress!(progressText(engine, p)) } : {}),
    });
    return { summary: s.text.replace(/\n/g, ' · '), ok: s.record.state === 'succeeded' };
  };
}
