// The simulated Athena over awsJson1_1, as @aws-sdk/client-athena sends it: POST /, X-Amz-Target
// `AmazonAthena.<Op>`, errors as `{"__type": "InvalidRequestException", "Message": …}`.
// StartQueryExecution, GetQueryExecution, GetQueryResults and StopQueryExecution
// (https://docs.aws.amazon.com/athena/latest/APIReference/API_Operations.html). The statement runs
// on the sim's own SQL subset (../sql/parse.ts); one it cannot run is accepted and then FAILED,
// the way Athena reports a syntax error. Results: the first row of the first page is the header,
// every value a VarCharValue, NULL an empty Data entry.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { headersOf, listen, requestId, SimRecorder, type RunningSim, type SimCall } from '../server/http.js';
import { trinoText } from '../sql/evaluate.js';
import type { Select } from '../sql/parse.js';
import { pageToken, QueryRuns, readPageToken, type QueryRun, type RunSource } from '../sql/runs.js';
import { ATHENA_CLOUDTRAIL_COLUMNS, AthenaModel, type AthenaSeed } from './model.js';

export type { AthenaSeed, AthenaTableSeed } from './model.js';

type Input = Record<string, unknown>;
type Answer = { status: number; body: unknown };

const STATE: Record<QueryRun['state'], string> = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  DONE: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
};

const invalid = (message: string): Answer => ({
  status: 400,
  body: { __type: 'InvalidRequestException', Message: message },
});

export class AthenaSim extends AthenaModel {
  readonly recorder: SimRecorder;
  /** The queries; `runs.failNext(message)` makes the next one end FAILED. */
  readonly runs: QueryRuns;
  private running: RunningSim | undefined;

  constructor(seed: AthenaSeed, records: () => Record<string, unknown>[], recorder = new SimRecorder()) {
    super(seed, records);
    this.recorder = recorder;
    this.runs = new QueryRuns();
  }

  get url(): string {
    if (!this.running) throw new Error('Athena sim not started');
    return this.running.url;
  }

  async start(): Promise<string> {
    this.running = await listen((req, body, res) => void this.handle(req, body, res));
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  handle(req: IncomingMessage, body: string, res: ServerResponse): SimCall {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : `${req.method} ${req.url}`;
    const call: SimCall = {
      service: 'athena',
      op,
      method: req.method ?? '',
      path: req.url ?? '',
      query: {},
      headers: headersOf(req),
      body,
      params: {},
      status: 200,
    };
    this.recorder.calls.push(call);
    const reply = (a: Answer) => {
      call.status = a.status;
      res.writeHead(a.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
      res.end(JSON.stringify(a.body));
    };
    if (req.method !== 'POST' || req.url !== '/')
      return (reply({ status: 404, body: { __type: 'UnknownOperationException', Message: op } }), call);
    let input: Input;
    try {
      input = JSON.parse(body || '{}') as Input;
      call.params = input;
    } catch {
      return (reply({ status: 400, body: { __type: 'SerializationException', Message: 'body is not JSON' } }), call);
    }
    const fault = this.recorder.takeFault(op);
    if (fault) return (reply({ status: fault.status, body: { __type: fault.code, Message: fault.message } }), call);
    reply(this.answer(op, input));
    return call;
  }

  answer(op: string, input: Input): Answer {
    switch (op) {
      case 'StartQueryExecution':
        return this.startQuery(input);
      case 'GetQueryExecution':
        return this.getExecution(input);
      case 'GetQueryResults':
        return this.results(input);
      case 'StopQueryExecution':
        return this.stop(input);
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', Message: `unknown operation ${op}` } };
    }
  }

  private startQuery(input: Input): Answer {
    const sql = input.QueryString;
    if (typeof sql !== 'string' || !sql.trim()) return invalid('QueryString is required');
    const ctx = (input.QueryExecutionContext ?? {}) as { Database?: unknown; Catalog?: unknown };
    const wgName = typeof input.WorkGroup === 'string' ? input.WorkGroup : 'primary';
    const wg = this.workGroups[wgName];
    if (!wg) return invalid(`WorkGroup ${wgName} is not found.`);
    const output = (input.ResultConfiguration as { OutputLocation?: unknown } | undefined)?.OutputLocation;
    const location = typeof output === 'string' ? output : wg.outputLocation;
    if (!location)
      return invalid(
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    if (!/^s3:\/\/[^/]+/.test(location)) return invalid(`Invalid output location ${location}`);
    const catalog = typeof ctx.Catalog === 'string' ? ctx.Catalog : 'AwsDataCatalog';
    const database = typeof ctx.Database === 'string' ? ctx.Database : 'default';
    const source: RunSource = {
      resolve: (q: Select) => {
        const parts = q.from;
        const [cat, db, table] =
          parts.length === 3
            ? parts
            : parts.length === 2
              ? [catalog, parts[0]!, parts[1]!]
              : [catalog, database, parts[0]!];
        const rows = parts.length <= 3 ? this.rows(cat!, db!, table!) : undefined;
        return rows
          ? { records: rows, columns: ATHENA_CLOUDTRAIL_COLUMNS }
          : { error: `TABLE_NOT_FOUND: line 1:1: Table '${`${cat}.${db}.${table}`.toLowerCase()}' does not exist` };
      },
    };
    const run = this.runs.start(sql, source, { catalog, database, workGroup: wgName, location });
    return { status: 200, body: { QueryExecutionId: run.id } };
  }

  private find(input: Input): QueryRun | Answer {
    const id = input.QueryExecutionId;
    if (typeof id !== 'string' || !id) return invalid('QueryExecutionId is required');
    return this.runs.runs.get(id) ?? invalid(`QueryExecution ${id} was not found`);
  }

  private getExecution(input: Input): Answer {
    const found = this.find(input);
    if (!('id' in found)) return found;
    const run = this.runs.describe(found.id)!;
    const x = run.extra as { catalog: string; database: string; workGroup: string; location: string };
    const scanned = run.state === 'QUEUED' ? 0 : run.bytesScanned;
    return {
      status: 200,
      body: {
        QueryExecution: {
          QueryExecutionId: run.id,
          Query: run.sql,
          StatementType: 'DML',
          ResultConfiguration: { OutputLocation: `${x.location.replace(/\/?$/, '/')}${run.id}.csv` },
          QueryExecutionContext: { Database: x.database, Catalog: x.catalog },
          Status: {
            State: STATE[run.state],
            ...(run.state === 'FAILED' && run.error ? { StateChangeReason: run.error } : {}),
            ...(run.state === 'CANCELLED' ? { StateChangeReason: 'Query cancelled by user' } : {}),
            SubmissionDateTime: run.createdMs / 1000,
            ...(run.endedMs ? { CompletionDateTime: run.endedMs / 1000 } : {}),
          },
          Statistics: {
            DataScannedInBytes: scanned,
            EngineExecutionTimeInMillis: (run.endedMs ?? Date.now()) - run.createdMs,
            TotalExecutionTimeInMillis: (run.endedMs ?? Date.now()) - run.createdMs,
          },
          WorkGroup: x.workGroup,
        },
      },
    };
  }

  private results(input: Input): Answer {
    const found = this.find(input);
    if (!('id' in found)) return found;
    const run = found;
    if (run.state === 'QUEUED' || run.state === 'RUNNING')
      return invalid(`Query has not yet finished. Current state: ${run.state}`);
    if (run.state !== 'DONE')
      return invalid(`Query did not finish successfully. Final query state: ${STATE[run.state]}`);
    const max = input.MaxResults === undefined ? 1000 : Number(input.MaxResults);
    if (!(Number.isInteger(max) && max >= 1 && max <= 1000)) return invalid(`MaxResults ${String(input.MaxResults)}`);
    let offset = 0;
    if (input.NextToken !== undefined) {
      const o = readPageToken(input.NextToken, run.id);
      if (o === undefined) return invalid('NextToken is not valid for this query');
      offset = o;
    }
    const table = run.table!;
    // The header is row 0 of the result, so it takes one place on the first page.
    const all: (string | null)[][] = [
      table.columns.map((c) => c.toLowerCase()),
      ...table.rows.map((r) =>
        r.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : trinoText(v))),
      ),
    ];
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? pageToken(run.id, offset + max) : undefined;
    return {
      status: 200,
      body: {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: {
            ColumnInfo: table.columns
              .map((name) => name.toLowerCase())
              .map((c) => ({
                CatalogName: 'hive',
                SchemaName: '',
                TableName: '',
                Name: c,
                Label: c,
                Type: 'varchar',
                Precision: 2147483647,
                Scale: 0,
                Nullable: 'UNKNOWN',
                CaseSensitive: true,
              })),
          },
        },
        ...(next ? { NextToken: next } : {}),
      },
    };
  }

  private stop(input: Input): Answer {
    const found = this.find(input);
    if (!('id' in found)) return found;
    // Athena answers a stop of a query that already ended with success, and changes nothing.
    this.runs.cancel(found.id);
    return { status: 200, body: {} };
  }
}
