// The ready-made hunts' SQL: literals escaped (parsed back by the sim's own parser, so a value
// that broke out of its literal would change the statement's shape), identifiers checked, the
// window in each engine's spelling, and the price basis and cost.

import { parseSelect } from '@firebreak/cloud-sim';
import { describe, expect, it } from 'vitest';
import { PAYLOADS } from '../../fixtures/escape-payloads.js';
import {
  athenaQuery,
  eventDataStoreId,
  HuntQueryError,
  lakeQuery,
  sqlHasTimeBound,
  sqlString,
} from '../../../src/sources/hunt/queries.js';
import { costUsd, formatUsd, priceBasis } from '../../../src/sources/hunt/cost.js';

const W = { sinceMs: Date.parse('2026-04-20T11:00:00Z'), untilMs: Date.parse('2026-04-20T13:00:00.500Z') };

describe('sqlString', () => {
  it('doubles quotes and refuses control characters', () => {
    expect(sqlString("O'Brien")).toBe("'O''Brien'");
    expect(sqlString("'; DROP TABLE x; --")).toBe("'''; DROP TABLE x; --'");
    expect(() => sqlString('a\u0000b')).toThrow(HuntQueryError);
    expect(() => sqlString('a\nb')).toThrow(HuntQueryError);
  });

  it('every hostile value stays one literal: the WHERE has exactly the comparisons firebreak wrote', () => {
    const values = [`x' OR '1'='1`, "''''", "\\'", "a'--", "') OR ('a'='a", ...PAYLOADS.map((p) => p[1])]
      // eslint-disable-next-line no-control-regex -- control characters are refused, tested above
      .filter((v) => !/[\u0000-\u001f\u007f]/.test(v));
    expect(values.length).toBeGreaterThan(5);
    for (const v of values) {
      const q = parseSelect(lakeQuery('eds-1', { kind: 'source-ip', value: v }, W));
      const w = q.where as { and: { cmp?: string; b?: { lit?: unknown } }[] };
      expect(w.and).toHaveLength(3);
      expect(w.and[0]!.b!.lit).toBe(v);
    }
  });
});

describe('ready-made hunts', () => {
  it('Lake: the event data store by id, camelCase columns, the window as Lake timestamps', () => {
    const sql = lakeQuery(
      'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/a1b2-c3',
      { kind: 'access-key', value: 'AKIAEXAMPLE' },
      W,
    );
    expect(sql).toContain('FROM a1b2-c3 WHERE userIdentity.accessKeyId = ');
    expect(sql).toContain("eventTime >= '2026-04-20 11:00:00' AND eventTime <= '2026-04-20 13:00:00'");
    expect(sql).toMatch(/ORDER BY eventTime$/);
    expect(parseSelect(sql).items!.map((i) => i.name)).toContain('identityAccessKeyId');
  });

  it('Athena: quoted lower-case identifiers, lower-case columns, ISO bounds, request parameters', () => {
    const sql = athenaQuery(
      { database: 'CloudTrail', table: 'logs' },
      { kind: 'principal', value: 'arn:aws:iam::1:role/r' },
      W,
    );
    expect(sql).toContain('FROM "cloudtrail"."logs" WHERE (useridentity.arn = ');
    expect(sql).toContain("useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::1:role/r')");
    expect(sql).toContain("eventtime >= '2026-04-20T11:00:00Z'");
    expect(sql).toContain('requestparameters');
    expect(() => athenaQuery({ database: 'a"b', table: 't' }, { kind: 'access-key', value: 'k' }, W)).toThrow(
      HuntQueryError,
    );
  });

  it('a role session by its ARN suffix; a session name outside the STS pattern is refused', () => {
    expect(lakeQuery('e-1', { kind: 'session', value: 'alice@corp' }, W)).toContain(
      "userIdentity.arn LIKE '%:assumed-role/%/alice@corp'",
    );
    expect(() => lakeQuery('e-1', { kind: 'session', value: "x'%" }, W)).toThrow(HuntQueryError);
  });

  it('refuses a bad event data store; sees whether free SQL bounds the time', () => {
    expect(eventDataStoreId('arn:aws:cloudtrail:us-east-1:1:eventdatastore/abc-123')).toBe('abc-123');
    expect(() => eventDataStoreId("x'; --")).toThrow(HuntQueryError);
    expect(sqlHasTimeBound("SELECT * FROM t WHERE eventTime > '2026-01-01'")).toBe(true);
    expect(sqlHasTimeBound("SELECT * FROM t WHERE eventName = 'eventTime'")).toBe(false);
    expect(sqlHasTimeBound('SELECT * FROM t')).toBe(false);
  });
});

describe('cost', () => {
  it('Athena $5/TB with a 10 MB minimum; Lake $0.005/GB', () => {
    expect(costUsd('athena', 0)).toBeCloseTo((10 / 1024 ** 2) * 5, 12);
    expect(costUsd('athena', 1024 ** 4)).toBeCloseTo(5, 9);
    expect(costUsd('lake', 1024 ** 3)).toBeCloseTo(0.005, 12);
    expect(priceBasis('athena')).toContain('https://aws.amazon.com/athena/pricing/');
    expect(priceBasis('lake')).toContain('https://aws.amazon.com/cloudtrail/pricing/');
    expect(formatUsd(5)).toBe('$5.00');
    expect(formatUsd(0.0000477)).toBe('$0.000048');
  });
});
