// Hunting on CloudTrail Lake with the real @aws-sdk/client-cloudtrail against the simulated Lake:
// QUEUED → RUNNING → FINISHED over polls, rows paged two at a time into the journal, a FAILED
// query, a 500 mid-paging (retried), cancel, dedupe with LookupEvents, hostile values and quotes.

import { describe, expect, it } from 'vitest';
import { ACCOUNT, ESC, huntWorld, KEY, OTHER_KEY } from './hunt-harness.js';
import { HuntRefused } from '../../app/commands/hunt.js';

const T = (s: string) => Date.parse(s);
const WINDOW = { sinceMs: T('2026-04-20T11:00:00Z'), untilMs: T('2026-04-20T13:00:00Z') };

describe('hunt on CloudTrail Lake', () => {
  it('polls to FINISHED, pages every row of the key into the journal, data events included, and records hunt.ran', async () => {
    const w = await huntWorld();
    const progress: string[] = [];
    const s = await w.hunt(w.ct.url)(
      {
        target: { engine: 'lake', eventDataStore: w.ct.eventDataStoreArn() },
        pivot: { kind: 'access-key', value: KEY },
        window: WINDOW,
      },
      { onProgress: (p) => progress.push(p.state) },
    );
    expect(s.record.state).toBe('succeeded');
    expect(progress).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
    expect(progress.indexOf('queued')).toBeLessThan(progress.indexOf('running'));
    expect(s.record.rows).toBe(7);
    expect(s.newEvents).toBe(7);
    // Four pages of at most two rows, each asked with the previous NextToken.
    const pages = w.ct.recorder.of('GetQueryResults');
    expect(pages).toHaveLength(4);
    expect(pages.map((c) => c.params.MaxQueryResults)).toEqual([2, 2, 2, 2]);
    expect(pages[0]!.params.NextToken).toBeUndefined();
    expect(pages[1]!.params.NextToken).toBeTypeOf('string');
    expect(w.ct.recorder.of('DescribeQuery').length).toBeGreaterThanOrEqual(3);
    // The statement names the store by id and the key as a literal.
    const stmt = w.ct.recorder.of('StartQuery')[0]!.params.QueryStatement as string;
    expect(stmt).toContain(`FROM ${w.ct.eventDataStores[0]} WHERE`);
    expect(stmt).toContain(`userIdentity.accessKeyId = '${KEY}'`);
    expect(w.events()).toContain('cloudtrail:ev-0005');
    expect(w.events()).not.toContain('cloudtrail:ev-0007');
    const data = w.eventRecord('cloudtrail:ev-0005')!;
    expect(data).toMatchObject({
      action: 'GetObject',
      accessKeyId: KEY,
      actor: `arn:aws:iam::${ACCOUNT}:user/mallory`,
    });
    expect(data.eventTime).toBe('2026-04-20T12:05:00.000Z');
    const [rec] = w.huntRecords();
    expect(rec).toMatchObject({
      engine: 'lake',
      source: w.ct.eventDataStoreArn(),
      state: 'succeeded',
      rows: 7,
      newEvents: 7,
      queryId: w.ct.recorder.of('StartQuery')[0] && expect.any(String),
    });
    expect(rec!.bytesScanned).toBeGreaterThan(0);
    expect(rec!.costUsd).toBeGreaterThan(0);
    expect(s.text).toMatch(/hunt finished: 7 rows, 7 new events, \d+ detections, .* scanned \((< )?\$/);
  });

  it('a row LookupEvents already brought is one event: the hunt adds only the rest', async () => {
    const w = await huntWorld();
    expect(await w.lookup()).toBe(1);
    const s = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
      pivot: { kind: 'access-key', value: KEY },
      window: WINDOW,
    });
    expect(s.record.rows).toBe(7);
    expect(s.newEvents).toBe(6);
    expect(w.events().filter((k) => k.startsWith('cloudtrail:'))).toHaveLength(7);
  });

  it('a FAILED query ends the hunt with its message, exit state failed, nothing ingested', async () => {
    const w = await huntWorld();
    w.ct.lake.runs.failNext('Query exceeded the maximum bytes scanned');
    const s = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
      pivot: { kind: 'source-ip', value: '198.51.100.7' },
      window: WINDOW,
    });
    expect(s.record).toMatchObject({
      state: 'failed',
      stoppedAt: 'polling',
      rows: 0,
      error: 'Query exceeded the maximum bytes scanned',
    });
    expect(w.ct.recorder.of('GetQueryResults')).toHaveLength(0);
    expect(w.huntRecords()).toHaveLength(1);
  });

  it('a 500 on the second page is retried; every row still arrives once', async () => {
    const w = await huntWorld();
    w.ct.recorder.fail({
      op: 'GetQueryResults',
      status: 500,
      code: 'InternalServerException',
      message: 'boom',
      skip: 1,
    });
    const s = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
      pivot: { kind: 'access-key', value: KEY },
      window: WINDOW,
    });
    expect(s.record.state).toBe('succeeded');
    expect(s.record.rows).toBe(7);
    expect(w.ct.recorder.of('GetQueryResults').map((c) => c.status)).toEqual([200, 500, 200, 200, 200]);
  });

  it('500s that do not stop: the hunt fails where it was, the pages before it are journaled', async () => {
    const w = await huntWorld();
    w.ct.recorder.fail({
      op: 'GetQueryResults',
      status: 500,
      code: 'InternalServerException',
      message: 'down',
      skip: 1,
      times: 10,
    });
    const s = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
      pivot: { kind: 'access-key', value: KEY },
      window: WINDOW,
    });
    expect(s.record).toMatchObject({ state: 'failed', stoppedAt: 'paging', rows: 2, newEvents: 2 });
    expect(s.record.error).toMatch(/InternalServerException/);
  });

  it('an abort while the query runs sends CancelQuery and says where it stopped', async () => {
    const w = await huntWorld();
    w.ct.lake.runs.pollsToFinish = 1_000;
    const abort = new AbortController();
    const s = await w.hunt(w.ct.url)(
      {
        target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
        pivot: { kind: 'access-key', value: KEY },
        window: WINDOW,
      },
      { signal: abort.signal, onProgress: (p) => p.state === 'running' && abort.abort() },
    );
    expect(s.record).toMatchObject({ state: 'cancelled', stoppedAt: 'polling', rows: 0 });
    expect(w.ct.recorder.of('CancelQuery')).toHaveLength(1);
    expect([...w.ct.lake.runs.runs.values()][0]!.state).toBe('CANCELLED');
    expect(s.text).toMatch(/hunt cancelled while polling/);
  });

  it('hostile values: a quote in the pivot stays in its literal, hostile fields come in as data', async () => {
    const w = await huntWorld();
    const s = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
      pivot: { kind: 'access-key', value: `x' OR '1'='1` },
      window: WINDOW,
    });
    // Had the quote broken out, every row would match.
    expect(s.record).toMatchObject({ state: 'succeeded', rows: 0 });
    expect(w.ct.recorder.of('StartQuery')[0]!.params.QueryStatement).toContain(`= 'x'' OR ''1''=''1'`);

    const all = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: w.ct.eventDataStores[0]! },
      pivot: { kind: 'principal', value: `arn:aws:iam::${ACCOUNT}:user/mallory` },
      window: WINDOW,
    });
    expect(all.record.rows).toBe(7);
    const evil = w.eventRecord('cloudtrail:ev-0006')!;
    expect(evil.action).toBe("CreateUser'; DROP TABLE x; --");
    expect(evil.userAgent).toContain(`${ESC}]52`);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses an unbounded window unless confirmed, and a control character in a value', async () => {
    const w = await huntWorld();
    const h = w.hunt(w.ct.url);
    const target = { engine: 'lake' as const, eventDataStore: w.ct.eventDataStores[0]! };
    await expect(h({ target, pivot: { kind: 'access-key', value: KEY } })).rejects.toThrow(HuntRefused);
    await expect(h({ target, pivot: { kind: 'access-key', value: KEY } })).rejects.toThrow(
      /no time bound.*\$0\.005 per GB/,
    );
    await expect(h({ target, pivot: { kind: 'access-key', value: 'a\nb' }, window: WINDOW })).rejects.toThrow(
      /control/,
    );
    expect(w.ct.recorder.of('StartQuery')).toHaveLength(0);
    const s = await h({ target, pivot: { kind: 'access-key', value: OTHER_KEY }, allowUnbounded: true });
    expect(s.record.rows).toBe(1);
  });

  it('free SQL: a statement Lake refuses is a failed hunt with the reason', async () => {
    const w = await huntWorld();
    const eds = w.ct.eventDataStores[0]!;
    const s = await w.hunt(w.ct.url)({
      target: { engine: 'lake', eventDataStore: eds },
      sql: `SELECT eventID FROM ${eds} WHERE eventTime > '2026-04-20 00:00:00' GROUP BY eventID`,
    });
    expect(s.record).toMatchObject({ state: 'failed', stoppedAt: 'starting' });
    expect(s.record.error).toMatch(/InvalidQueryStatementException/);
  });
});
