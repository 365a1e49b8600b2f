// Athena as a HuntEngine: StartQueryExecution, GetQueryExecution, GetQueryResults,
// StopQueryExecution (https://docs.aws.amazon.com/athena/latest/APIReference/API_Operations.html),
// over the CloudTrail table AWS documents (https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html).
// The first row of the first page is the header: columns are named from ResultSetMetadata.

import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { PRODUCT } from '../../domain/user-agent.js';
import { credentialsFor, type CloudTrailClientOptions } from '../cloudtrail/client.js';
import { awsRequestHandler } from '../cloudtrail/deadline.js';
import type { HuntEngine, HuntState } from './hunt.js';
import type { HuntRow } from './rows.js';

const STATES: Record<string, HuntState> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

export const ATHENA_MAX_PAGE = 1000;

export interface AthenaTarget {
  database: string;
  catalog?: string;
  workGroup?: string;
  /** s3://bucket/prefix/ for the results; absent: the work group's own. */
  outputLocation?: string;
}

/** The same credential rules as the poller (a named profile never falls back to the chain). */
export function createAthenaClient(opts: CloudTrailClientOptions): AthenaClient {
  return new AthenaClient({
    region: opts.region,
    credentials: credentialsFor(opts),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    // One attempt per send(): the hunt retries what a retry may fix (hunt.ts), and never a start.
    maxAttempts: 1,
    requestHandler: awsRequestHandler(opts.deadlineMs),
    customUserAgent: [[PRODUCT, 'hunt']],
  });
}

export function athenaEngine(client: AthenaClient, t: AthenaTarget, o: { pageSize?: number } = {}): HuntEngine {
  return {
    name: 'athena',
    async start(sql) {
      const r = await client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          QueryExecutionContext: { Database: t.database, ...(t.catalog ? { Catalog: t.catalog } : {}) },
          ...(t.workGroup ? { WorkGroup: t.workGroup } : {}),
          ...(t.outputLocation ? { ResultConfiguration: { OutputLocation: t.outputLocation } } : {}),
        }),
      );
      if (!r.QueryExecutionId) throw new Error('StartQueryExecution answered without a QueryExecutionId');
      return r.QueryExecutionId;
    },
    async status(id) {
      const r = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const q = r.QueryExecution;
      const raw = String(q?.Status?.State ?? 'UNKNOWN');
      const bytes = q?.Statistics?.DataScannedInBytes;
      const reason = q?.Status?.StateChangeReason;
      return {
        state: STATES[raw] ?? 'running',
        raw,
        ...(typeof bytes === 'number' && Number.isFinite(bytes) ? { bytesScanned: bytes } : {}),
        ...(reason ? { message: reason } : {}),
      };
    },
    async page(id, next) {
      const r = await client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          MaxResults: o.pageSize ?? ATHENA_MAX_PAGE,
          ...(next ? { NextToken: next } : {}),
        }),
      );
      const names = (r.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => String(c.Name ?? ''));
      const data = r.ResultSet?.Rows ?? [];
      // Row 0 of the result is the header, and it is on the first page only.
      const body = next ? data : data.slice(1);
      const rows: HuntRow[] = body.map((row) => {
        const m = new Map<string, string>();
        (row.Data ?? []).forEach((d, i) => {
          const name = names[i];
          if (name && typeof d?.VarCharValue === 'string' && !m.has(name)) m.set(name, d.VarCharValue);
        });
        return m;
      });
      return { rows, ...(r.NextToken ? { next: r.NextToken } : {}) };
    },
    async cancel(id) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    },
  };
}
