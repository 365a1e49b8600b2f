// CloudTrail Lake as a HuntEngine: StartQuery, DescribeQuery, GetQueryResults, CancelQuery
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartQuery.html). The event
// data store is named in the statement's FROM (queries.ts); results come as rows of single-key
// objects, which become one Map per row.

import {
  CancelQueryCommand,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type CloudTrailClient,
} from '@aws-sdk/client-cloudtrail';
import type { HuntEngine, HuntState } from './hunt.js';
import type { HuntRow } from './rows.js';

const STATES: Record<string, HuntState> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  FINISHED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'timed-out',
};

/** Lake's page size ceiling (MaxQueryResults 1–1000). */
export const LAKE_MAX_PAGE = 1000;

export function lakeEngine(client: CloudTrailClient, o: { pageSize?: number } = {}): HuntEngine {
  return {
    name: 'lake',
    async start(sql) {
      const r = await client.send(new StartQueryCommand({ QueryStatement: sql }));
      if (!r.QueryId) throw new Error('StartQuery answered without a QueryId');
      return r.QueryId;
    },
    async status(id) {
      const r = await client.send(new DescribeQueryCommand({ QueryId: id }));
      const raw = String(r.QueryStatus ?? 'UNKNOWN');
      const bytes = r.QueryStatistics?.BytesScanned;
      return {
        // An unknown word is not taken for done: it is polled again, until firebreak's deadline.
        state: STATES[raw] ?? 'running',
        raw,
        ...(typeof bytes === 'number' && Number.isFinite(bytes) ? { bytesScanned: bytes } : {}),
        ...(r.ErrorMessage ? { message: r.ErrorMessage } : {}),
      };
    },
    async page(id, next) {
      const r = await client.send(
        new GetQueryResultsCommand({
          QueryId: id,
          MaxQueryResults: o.pageSize ?? LAKE_MAX_PAGE,
          ...(next ? { NextToken: next } : {}),
        }),
      );
      const rows: HuntRow[] = (r.QueryResultRows ?? []).map((cells) => {
        const m = new Map<string, string>();
        for (const cell of Array.isArray(cells) ? cells : [])
          for (const [k, v] of Object.entries(cell ?? {})) if (typeof v === 'string' && !m.has(k)) m.set(k, v);
        return m;
      });
      return { rows, ...(r.NextToken ? { next: r.NextToken } : {}) };
    },
    async cancel(id) {
      await client.send(new CancelQueryCommand({ QueryId: id }));
    },
  };
}
