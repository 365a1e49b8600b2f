// CloudTrail Lake and Athena in the simulated cloud, over their own wire formats with fetch only
// (no SDK): the SQL subset, the QUEUED → RUNNING → done progression, paging, cancel, refused
// statements and injected failures.

import { afterEach, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../src/cloud.js';
import { parseSelect, SqlError } from '../src/sql/parse.js';
import { evaluate } from '../src/sql/evaluate.js';

let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const record = (id: string, time: string, key: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventVersion: '1.11',
    eventID: id,
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.9',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accessKeyId: key },
    requestParameters: { bucketName: 'b', key: 'k' },
    readOnly: true,
    eventCategory: 'Data',
    ...extra,
  });

async function start(): Promise<string> {
  cloud = await startSimCloud(
    {
      aws: {
        account: '111122223333',
        region: 'eu-west-1',
        cloudtrail: {
          events: [1, 2, 3, 4, 5].map((n) => ({
            eventId: `e${n}`,
            eventTime: `2026-04-20T12:0${n}:00Z`,
            eventName: 'GetObject',
            cloudTrailEvent: record(
              `e${n}`,
              `2026-04-20T12:0${n}:00Z`,
              n % 2 ? 'AKIAODD0000000000001' : 'AKIAEVEN000000000002',
            ),
          })),
        },
      },
    },
    { now: () => new Date('2026-04-20T13:00:00Z') },
  );
  return cloud.endpoints.aws!.url;
}

const call = (url: string, target: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));

describe('the SQL subset', () => {
  it('parses and/or/not, IN, LIKE, IS NULL, dotted paths, ORDER BY and LIMIT', () => {
    const q = parseSelect(
      "SELECT eventID, userIdentity.arn AS who FROM t WHERE (a = 'x' OR b IN ('1', 2)) AND NOT c LIKE '%y_' AND d IS NOT NULL ORDER BY eventTime DESC LIMIT 5;",
    );
    expect(q.items?.map((i) => i.name)).toEqual(['eventID', 'who']);
    expect(q.limit).toBe(5);
    expect(q.orderBy).toEqual([{ path: ['eventTime'], desc: true }]);
  });

  it('refuses what is outside the subset, with the position', () => {
    for (const bad of [
      'SELECT a FROM t GROUP BY a',
      'DELETE FROM t',
      "SELECT a FROM t WHERE a = 'x",
      'SELECT a FROM t -- c',
    ])
      expect(() => parseSelect(bad)).toThrow(SqlError);
    expect(() => parseSelect('SELECT a FROM t JOIN u')).toThrow(/line 1:17/);
  });

  it("keeps a doubled quote inside the literal: 'x'' OR ''1''=''1' is one string", () => {
    const q = parseSelect("SELECT * FROM t WHERE a = 'x'' OR ''1''=''1'");
    const rows = [{ a: "x' OR '1'='1" }, { a: 'x' }];
    expect(evaluate(q, rows, ['a']).rows).toEqual([["x' OR '1'='1"]]);
  });

  it('compares times as times across Lake and ISO spellings', () => {
    const q = parseSelect(
      "SELECT id FROM t WHERE eventTime >= '2026-04-20 12:00:00' AND eventTime < '2026-04-20T13:00:00Z'",
    );
    const rows = [
      { id: 'a', eventTime: '2026-04-20T11:59:59Z' },
      { id: 'b', eventTime: '2026-04-20T12:00:00Z' },
      { id: 'c', eventTime: '2026-04-20T13:00:00Z' },
    ];
    expect(evaluate(q, rows, []).rows).toEqual([['b']]);
  });
});

describe('CloudTrail Lake', () => {
  it('queues, runs, finishes and pages the rows', async () => {
    const url = await start();
    const eds = cloud!.endpoints.aws!.eventDataStore.split('/').at(-1);
    const started = await call(url, 'CloudTrail_20131101.StartQuery', {
      QueryStatement: `SELECT eventID, eventTime, userIdentity.accessKeyId FROM ${eds} WHERE userIdentity.accessKeyId = 'AKIAODD0000000000001' ORDER BY eventTime`,
    });
    expect(started.status).toBe(200);
    const QueryId = started.json.QueryId as string;
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await call(url, 'CloudTrail_20131101.DescribeQuery', { QueryId })).json);
    expect(states.map((s) => s.QueryStatus)).toEqual(['QUEUED', 'RUNNING', 'FINISHED']);
    expect(states[2]!.QueryStatistics.EventsMatched).toBe(3);
    expect(states[2]!.QueryStatistics.BytesScanned).toBeGreaterThan(0);
    const p1 = await call(url, 'CloudTrail_20131101.GetQueryResults', { QueryId, MaxQueryResults: 2 });
    expect(p1.json.QueryResultRows).toEqual([
      [{ eventID: 'e1' }, { eventTime: '2026-04-20 12:01:00.000' }, { accessKeyId: 'AKIAODD0000000000001' }],
      [{ eventID: 'e3' }, { eventTime: '2026-04-20 12:03:00.000' }, { accessKeyId: 'AKIAODD0000000000001' }],
    ]);
    const p2 = await call(url, 'CloudTrail_20131101.GetQueryResults', {
      QueryId,
      MaxQueryResults: 2,
      NextToken: p1.json.NextToken,
    });
    expect(p2.json.QueryResultRows).toHaveLength(1);
    expect(p2.json.NextToken).toBeUndefined();
    const cancel = await call(url, 'CloudTrail_20131101.CancelQuery', { QueryId });
    expect(cancel.json.__type).toBe('InactiveQueryException');
  });

  it('refuses a bad statement and an unknown event data store at StartQuery; fails an injected query', async () => {
    const url = await start();
    expect((await call(url, 'CloudTrail_20131101.StartQuery', { QueryStatement: 'SELECT FROM' })).json.__type).toBe(
      'InvalidQueryStatementException',
    );
    expect(
      (await call(url, 'CloudTrail_20131101.StartQuery', { QueryStatement: 'SELECT * FROM nope' })).json.__type,
    ).toBe('EventDataStoreNotFoundException');
    expect((await call(url, 'CloudTrail_20131101.DescribeQuery', { QueryId: 'missing' })).json.__type).toBe(
      'QueryIdNotFoundException',
    );
  });
});

describe('Athena', () => {
  it('runs over the lower-case CloudTrail table: header row first, JSON strings, cancel', async () => {
    const url = await start();
    const s = await call(url, 'AmazonAthena.StartQueryExecution', {
      QueryString:
        "SELECT eventid, useridentity.accesskeyid AS key, requestparameters FROM cloudtrail_logs WHERE useridentity.accesskeyid = 'AKIAEVEN000000000002'",
      QueryExecutionContext: { Database: 'cloudtrail' },
    });
    const QueryExecutionId = s.json.QueryExecutionId as string;
    const early = await call(url, 'AmazonAthena.GetQueryResults', { QueryExecutionId });
    expect(early.json).toMatchObject({
      __type: 'InvalidRequestException',
      Message: expect.stringMatching(/not yet finished/),
    });
    const st = [];
    for (let i = 0; i < 3; i++)
      st.push((await call(url, 'AmazonAthena.GetQueryExecution', { QueryExecutionId })).json.QueryExecution);
    expect(st.map((x) => x.Status.State)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(st[2]!.Statistics.DataScannedInBytes).toBeGreaterThan(0);
    const r = await call(url, 'AmazonAthena.GetQueryResults', { QueryExecutionId, MaxResults: 2 });
    expect(r.json.ResultSet.Rows[0].Data.map((d: { VarCharValue: string }) => d.VarCharValue)).toEqual([
      'eventid',
      'key',
      'requestparameters',
    ]);
    expect(r.json.ResultSet.Rows[1].Data[2].VarCharValue).toBe('{"bucketName":"b","key":"k"}');
    expect(r.json.NextToken).toBeDefined();

    const bad = await call(url, 'AmazonAthena.StartQueryExecution', { QueryString: 'SELECT * FROM nowhere.t' });
    const id = bad.json.QueryExecutionId as string;
    let last: any;
    for (let i = 0; i < 3; i++)
      last = (await call(url, 'AmazonAthena.GetQueryExecution', { QueryExecutionId: id })).json;
    expect(last.QueryExecution.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: expect.stringMatching(/TABLE_NOT_FOUND/),
    });

    const running = await call(url, 'AmazonAthena.StartQueryExecution', {
      QueryString: 'SELECT * FROM cloudtrail.cloudtrail_logs',
    });
    const rid = running.json.QueryExecutionId as string;
    await call(url, 'AmazonAthena.StopQueryExecution', { QueryExecutionId: rid });
    const after = await call(url, 'AmazonAthena.GetQueryExecution', { QueryExecutionId: rid });
    expect(after.json.QueryExecution.Status.State).toBe('CANCELLED');
  });
});
