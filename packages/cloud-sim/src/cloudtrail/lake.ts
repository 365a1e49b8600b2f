// CloudTrail Lake's query API on the simulated CloudTrail: StartQuery, DescribeQuery,
// GetQueryResults and CancelQuery over the events the sim holds (management and data events alike),
// with the statement run by the sim's own SQL subset (../sql/parse.ts). Shapes from the API
// reference: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartQuery.html,
// API_DescribeQuery.html, API_GetQueryResults.html and API_CancelQuery.html beside it.
// Results are strings in single-key objects, one array per row; a struct or map column prints as
// Trino prints one (`{k=v}`), and a NULL column is left out of its row.

import { trinoText } from '../sql/evaluate.js';
import type { Select } from '../sql/parse.js';
import { pageToken, QueryRuns, readPageToken, type QueryRun, type RunSource } from '../sql/runs.js';

/** Lake's columns for `SELECT *` (the CloudTrail event schema, in its order). */
const LAKE_COLUMNS = [
  'eventVersion',
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestParameters',
  'responseElements',
  'additionalEventData',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'eventType',
  'managementEvent',
  'recipientAccountId',
  'eventCategory',
];

export type LakeAnswer = { status: number; body: unknown };
type Input = Record<string, unknown>;

const err = (type: string, message: string, status = 400): LakeAnswer => ({
  status,
  body: { __type: type, message },
});

const STATUS: Record<QueryRun['state'], string> = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  DONE: 'FINISHED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
};

/** Lake prints a timestamp column as `2026-04-20 12:00:00.000`. */
function lakeValue(column: string, v: unknown): string {
  if (column.toLowerCase() === 'eventtime' && typeof v === 'string') {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  }
  return typeof v === 'string' ? v : trinoText(v);
}

export class LakeQueries {
  readonly runs: QueryRuns;

  constructor(
    private readonly eventDataStores: readonly string[],
    private readonly records: () => unknown[],
    now: () => number = Date.now,
  ) {
    this.runs = new QueryRuns(now);
  }

  private source(): RunSource {
    return {
      resolve: (q: Select) => {
        const name = q.from.join('.');
        // FROM names the event data store by its id (the ARN's last part).
        if (q.from.length !== 1 || !this.eventDataStores.includes(name))
          return { error: `EventDataStore ${name} not found` };
        return { records: this.records(), columns: LAKE_COLUMNS };
      },
    };
  }

  answer(op: string, input: Input): LakeAnswer | undefined {
    switch (op) {
      case 'StartQuery':
        return this.start(input);
      case 'DescribeQuery':
        return this.describe(input);
      case 'GetQueryResults':
        return this.results(input);
      case 'CancelQuery':
        return this.cancel(input);
      default:
        return undefined;
    }
  }

  private start(input: Input): LakeAnswer {
    const sql = input.QueryStatement;
    if (input.QueryParameters !== undefined && !Array.isArray(input.QueryParameters))
      return err('InvalidParameterException', 'QueryParameters must be a list');
    if (typeof sql !== 'string' || !sql.trim())
      return err('InvalidParameterException', 'QueryStatement or QueryAlias is required');
    const run = this.runs.start(sql, this.source());
    // Lake refuses a statement it cannot parse, and a missing event data store, at StartQuery.
    if (run.parseError) {
      this.runs.runs.delete(run.id);
      return err('InvalidQueryStatementException', run.parseError);
    }
    if (!run.table && run.error?.startsWith('EventDataStore ')) {
      this.runs.runs.delete(run.id);
      return err('EventDataStoreNotFoundException', run.error);
    }
    return { status: 200, body: { QueryId: run.id } };
  }

  private find(input: Input): QueryRun | LakeAnswer {
    const id = input.QueryId;
    if (typeof id !== 'string' || !id) return err('InvalidParameterException', 'QueryId is required');
    const run = this.runs.runs.get(id);
    return run ?? err('QueryIdNotFoundException', `The query ID ${id} does not exist or is not valid.`);
  }

  private describe(input: Input): LakeAnswer {
    const found = this.find(input);
    if (!('id' in found)) return found;
    const run = this.runs.describe(found.id)!;
    const done = run.state === 'DONE' || run.state === 'FAILED';
    return {
      status: 200,
      body: {
        QueryId: run.id,
        QueryString: run.sql,
        QueryStatus: STATUS[run.state],
        QueryStatistics: {
          EventsMatched: done && run.table ? run.table.rows.length : 0,
          EventsScanned: run.state === 'QUEUED' ? 0 : run.eventsScanned,
          BytesScanned: run.state === 'QUEUED' ? 0 : run.bytesScanned,
          ExecutionTimeInMillis: (run.endedMs ?? Date.now()) - run.createdMs,
          CreationTime: run.createdMs / 1000,
        },
        ...(run.state === 'FAILED' && run.error ? { ErrorMessage: run.error } : {}),
      },
    };
  }

  private results(input: Input): LakeAnswer {
    const found = this.find(input);
    if (!('id' in found)) return found;
    const run = found;
    const max = input.MaxQueryResults === undefined ? 1000 : Number(input.MaxQueryResults);
    if (!(Number.isInteger(max) && max >= 1 && max <= 1000))
      return err('InvalidMaxResultsException', `MaxQueryResults ${String(input.MaxQueryResults)}`);
    if (run.state !== 'DONE') {
      return {
        status: 200,
        body: {
          QueryStatus: STATUS[run.state],
          QueryResultRows: [],
          ...(run.state === 'FAILED' && run.error ? { ErrorMessage: run.error } : {}),
        },
      };
    }
    let offset = 0;
    if (input.NextToken !== undefined) {
      const o = readPageToken(input.NextToken, run.id);
      if (o === undefined) return err('InvalidNextTokenException', 'A token you provided is not valid.');
      offset = o;
    }
    const table = run.table!;
    const page = table.rows.slice(offset, offset + max);
    const next = offset + max < table.rows.length ? pageToken(run.id, offset + max) : undefined;
    return {
      status: 200,
      body: {
        QueryStatus: 'FINISHED',
        QueryStatistics: {
          ResultsCount: page.length,
          TotalResultsCount: table.rows.length,
          BytesScanned: run.bytesScanned,
        },
        QueryResultRows: page.map((row) =>
          row.flatMap((v, i) =>
            v === null || v === undefined ? [] : [{ [table.columns[i]!]: lakeValue(table.columns[i]!, v) }],
          ),
        ),
        ...(next ? { NextToken: next } : {}),
      },
    };
  }

  private cancel(input: Input): LakeAnswer {
    const found = this.find(input);
    if (!('id' in found)) return found;
    const ok = this.runs.cancel(found.id);
    if (!ok)
      return err(
        'InactiveQueryException',
        'The specified query cannot be canceled because it is in the FINISHED, FAILED, TIMED_OUT, or CANCELLED state.',
      );
    return { status: 200, body: { QueryId: found.id, QueryStatus: 'CANCELLED' } };
  }
}
