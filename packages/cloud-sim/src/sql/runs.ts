// The life of a query in a simulated engine (Lake, Athena): it is QUEUED when first described,
// RUNNING the next time, and done the time after, so a client has to poll as it does against the
// real services. The statement runs when it is started (the data is small), but its outcome only
// shows once it is done. Faults are fixtures: `failNext` makes the next queries end FAILED with a
// message, after they have been seen running.

import { randomUUID } from 'node:crypto';
import { evaluate, type Table } from './evaluate.js';
import { parseSelect, SqlError, type Select } from './parse.js';

export type RunState = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED';

export interface QueryRun {
  id: string;
  sql: string;
  state: RunState;
  /** How many times the run was described (it moves on by one state per description). */
  polls: number;
  error?: string;
  /** The result, kept from the start but shown only once DONE. */
  table?: Table;
  /** What the engine read: every record of the table, as JSON bytes. */
  bytesScanned: number;
  eventsScanned: number;
  createdMs: number;
  endedMs?: number;
  /** Anything the protocol keeps with it (Athena's database, work group, output location). */
  extra: Record<string, unknown>;
}

export interface RunSource {
  /** The records behind the FROM name, or a message when the engine has no such table. */
  resolve(q: Select): { records: unknown[]; columns: string[] } | { error: string };
}

export class QueryRuns {
  readonly runs = new Map<string, QueryRun>();
  private failures: string[] = [];
  /** Descriptions before done: QUEUED on the first, RUNNING on the second, done on the third. */
  pollsToFinish = 2;

  constructor(private readonly now: () => number = Date.now) {}

  /** The next `times` queries end FAILED with this message (after QUEUED and RUNNING). */
  failNext(message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(message);
  }

  /** Parses and runs at once; a parse error is the run's failure (`parseError` tells the caller). */
  start(sql: string, source: RunSource, extra: Record<string, unknown> = {}): QueryRun & { parseError?: string } {
    const run: QueryRun = {
      id: randomUUID(),
      sql,
      state: 'QUEUED',
      polls: 0,
      bytesScanned: 0,
      eventsScanned: 0,
      createdMs: this.now(),
      extra,
    };
    this.runs.set(run.id, run);
    let q: Select;
    try {
      q = parseSelect(sql);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      run.error = e.message;
      return { ...run, parseError: e.message };
    }
    const src = source.resolve(q);
    if ('error' in src) {
      run.error = src.error;
      return run;
    }
    run.eventsScanned = src.records.length;
    run.bytesScanned = src.records.reduce<number>((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    const injected = this.failures.shift();
    if (injected) run.error = injected;
    else run.table = evaluate(q, src.records, src.columns);
    return run;
  }

  /** One description: moves the run on by one state (a done or cancelled run stays as it is). */
  describe(id: string): QueryRun | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (run.state === 'QUEUED' || run.state === 'RUNNING') {
      run.polls++;
      if (run.polls > this.pollsToFinish) {
        run.state = run.error ? 'FAILED' : 'DONE';
        run.endedMs = this.now();
      } else if (run.polls > 1) run.state = 'RUNNING';
    }
    return run;
  }

  /** Cancels a queued or running query; false when it had already ended. */
  cancel(id: string): boolean | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (run.state !== 'QUEUED' && run.state !== 'RUNNING') return false;
    run.state = 'CANCELLED';
    run.endedMs = this.now();
    return true;
  }
}

/** A NextToken bound to one query and an offset (a token of another query is refused). */
export function pageToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id, offset })).toString('base64');
}

export function readPageToken(tok: unknown, id: string): number | undefined {
  if (typeof tok !== 'string') return undefined;
  try {
    const t = JSON.parse(Buffer.from(tok, 'base64').toString('utf8')) as { id?: unknown; offset?: unknown };
    return t.id === id && typeof t.offset === 'number' ? t.offset : undefined;
  } catch {
    return undefined;
  }
}
