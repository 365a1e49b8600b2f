// Hunting on Athena with the real @aws-sdk/client-athena against the simulated Athena over the
// documented CloudTrail table: QUEUED → RUNNING → SUCCEEDED, the header row dropped, pages of two,
// request parameters parsed from their JSON string, a FAILED query, a 500 mid-paging, cancel,
// dedupe with LookupEvents, and quotes in values and identifiers.

import { describe, expect, it } from 'vitest';
import { ACCOUNT, huntWorld, KEY } from './hunt-harness.js';
import { HuntRefused } from '../../app/commands/hunt.js';

const WINDOW = { sinceMs: Date.parse('2026-04-20T11:00:00Z'), untilMs: Date.parse('2026-04-20T13:00:00Z') };
const TARGET = { engine: 'athena' as const, database: 'cloudtrail', table: 'cloudtrail_logs', workGroup: 'primary' };

describe('hunt on Athena', () => {
  it('polls to SUCCEEDED, skips the header, pages the rows in and records the scan and its price', async () => {
    const w = await huntWorld();
    const states: string[] = [];
    const s = await w.hunt(w.athena.url)(
      {
        target: { ...TARGET, outputLocation: 's3://hunt-results/firebreak/' },
        pivot: { kind: 'access-key', value: KEY },
        window: WINDOW,
      },
      { onProgress: (p) => states.push(p.state) },
    );
    expect(s.record.state).toBe('succeeded');
    expect(states.indexOf('queued')).toBeLessThan(states.indexOf('running'));
    expect(s.record.rows).toBe(7);
    expect(s.newEvents).toBe(7);
    const start = w.athena.recorder.of('StartQueryExecution')[0]!.params;
    expect(start).toMatchObject({
      QueryExecutionContext: { Database: 'cloudtrail' },
      WorkGroup: 'primary',
      ResultConfiguration: { OutputLocation: 's3://hunt-results/firebreak/' },
    });
    expect(start.QueryString).toContain(
      `FROM "cloudtrail"."cloudtrail_logs" WHERE useridentity.accesskeyid = '${KEY}'`,
    );
    expect(start.QueryString).toContain(`eventtime >= '2026-04-20T11:00:00Z'`);
    // 8 result rows with the header: pages of 2, 2, 2, 2.
    expect(w.athena.recorder.of('GetQueryResults')).toHaveLength(4);
    const data = w.eventRecord('cloudtrail:ev-0005')!;
    expect(data.targets).toContain('arn:aws:s3:::payroll/salaries.csv');
    expect(data).toMatchObject({ region: 'eu-west-1', sourceIp: '198.51.100.7', accessKeyId: KEY });
    const [rec] = w.huntRecords();
    expect(rec).toMatchObject({ engine: 'athena', source: 'AwsDataCatalog.cloudtrail.cloudtrail_logs', rows: 7 });
    // Athena bills at least 10 MB a query: $5/TB × 10 MiB.
    expect(rec!.costUsd).toBeCloseTo((10 / 1024 / 1024) * 5, 10);
    expect(rec!.bytesScanned).toBeGreaterThan(0);
  });

  it('dedupes with LookupEvents; the role session and source IP hunts find the same principal', async () => {
    const w = await huntWorld();
    expect(await w.lookup()).toBe(1);
    const s = await w.hunt(w.athena.url)({
      target: TARGET,
      pivot: { kind: 'source-ip', value: '198.51.100.7' },
      window: WINDOW,
    });
    expect(s.record.rows).toBe(8);
    expect(s.newEvents).toBe(7);
  });

  it('a query Athena fails (unknown table) ends failed with the reason; an injected failure too', async () => {
    const w = await huntWorld();
    const s = await w.hunt(w.athena.url)({
      target: { ...TARGET, table: 'not_there' },
      pivot: { kind: 'access-key', value: KEY },
      window: WINDOW,
    });
    expect(s.record).toMatchObject({ state: 'failed', stoppedAt: 'polling', rows: 0 });
    expect(s.record.error).toMatch(/TABLE_NOT_FOUND/);
    w.athena.runs.failNext('HIVE_BAD_DATA: Error parsing field value');
    const t = await w.hunt(w.athena.url)({ target: TARGET, pivot: { kind: 'access-key', value: KEY }, window: WINDOW });
    expect(t.record).toMatchObject({ state: 'failed', error: 'HIVE_BAD_DATA: Error parsing field value' });
  });

  it('free SQL outside the engine subset is FAILED by the engine, not refused by firebreak', async () => {
    const w = await huntWorld();
    const s = await w.hunt(w.athena.url)({
      target: TARGET,
      sql: `SELECT eventid, count(*) FROM cloudtrail_logs WHERE eventtime > '2026-04-20T00:00:00Z'`,
    });
    expect(s.record.state).toBe('failed');
    expect(s.record.error).toMatch(/line 1:\d+: mismatched input/);
  });

  it('a 500 mid-paging is retried; an abort while running sends StopQueryExecution', async () => {
    const w = await huntWorld();
    w.athena.recorder.fail({
      op: 'GetQueryResults',
      status: 500,
      code: 'InternalServerException',
      message: 'boom',
      skip: 2,
    });
    const s = await w.hunt(w.athena.url)({ target: TARGET, pivot: { kind: 'access-key', value: KEY }, window: WINDOW });
    expect(s.record).toMatchObject({ state: 'succeeded', rows: 7 });
    expect(w.athena.recorder.of('GetQueryResults').map((c) => c.status)).toEqual([200, 200, 500, 200, 200]);

    w.athena.runs.pollsToFinish = 1_000;
    const abort = new AbortController();
    const c = await w.hunt(w.athena.url)(
      { target: TARGET, pivot: { kind: 'access-key', value: KEY }, window: WINDOW },
      { signal: abort.signal, onProgress: (p) => p.state === 'running' && abort.abort() },
    );
    expect(c.record).toMatchObject({ state: 'cancelled', stoppedAt: 'polling' });
    expect(w.athena.recorder.of('StopQueryExecution')).toHaveLength(1);
  });

  it('quotes: a hostile value stays a literal; a hostile table name is refused before any call', async () => {
    const w = await huntWorld();
    const s = await w.hunt(w.athena.url)({
      target: TARGET,
      pivot: { kind: 'principal', value: `arn:aws:iam::${ACCOUNT}:user/mallory' OR '1'='1` },
      window: WINDOW,
    });
    expect(s.record.rows).toBe(0);
    await expect(
      w.hunt(w.athena.url)({
        target: { ...TARGET, table: 'logs" --' },
        pivot: { kind: 'access-key', value: KEY },
        window: WINDOW,
      }),
    ).rejects.toThrow(HuntRefused);
    expect(w.athena.recorder.of('StartQueryExecution')).toHaveLength(1);
  });
});
