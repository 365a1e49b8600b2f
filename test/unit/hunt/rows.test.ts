// Result rows → events: both engines' column spellings, Lake's timestamp text, hostile values kept
// as data, a `__proto__` column harmless, and rows the normaliser refuses counted with a reason.

import { describe, expect, it } from 'vitest';
import { huntTime, rowRecord, rowsToEvents, MAX_PARAMS_CHARS } from '../../../src/sources/hunt/rows.js';

const row = (o: Record<string, string>) => new Map(Object.entries(o));
const NOW = '2026-04-21T00:00:00.000Z';

describe('hunt rows', () => {
  it('a Lake row (camelCase, aliases, timestamp text) is the CloudTrail event', () => {
    const { events, problems } = rowsToEvents(
      [
        row({
          eventID: 'e1',
          eventTime: '2026-04-20 12:05:00.000',
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateAccessKey',
          awsRegion: 'eu-west-1',
          sourceIPAddress: '203.0.113.9',
          readOnly: 'false',
          identityArn: 'arn:aws:iam::1:user/m',
          identityAccessKeyId: 'AKIAABCDEFGHIJKLMNOP',
        }),
      ],
      NOW,
    );
    expect(problems).toEqual([]);
    expect(events[0]).toMatchObject({
      source: 'cloudtrail',
      id: 'e1',
      eventTime: '2026-04-20T12:05:00.000Z',
      actor: 'arn:aws:iam::1:user/m',
      accessKeyId: 'AKIAABCDEFGHIJKLMNOP',
      region: 'eu-west-1',
      discoveredAt: NOW,
    });
    expect((events[0]!.raw as { readOnly: boolean }).readOnly).toBe(false);
  });

  it('an Athena row: lower case with _, request parameters parsed from JSON for the targets', () => {
    const { events } = rowsToEvents(
      [
        row({
          eventid: 'e2',
          eventtime: '2026-04-20T12:05:00Z',
          eventsource: 's3.amazonaws.com',
          eventname: 'GetObject',
          identity_arn: 'arn:aws:iam::1:user/m',
          requestparameters: '{"bucketName":"b","key":"k"}',
        }),
      ],
      NOW,
    );
    expect(events[0]!.targets).toEqual(['arn:aws:s3:::b/k']);
  });

  it('hostile: __proto__ columns and JSON, bad JSON, huge parameters, a forged key, a bad time', () => {
    const { record, warnings } = rowRecord(
      row({
        ['__proto__']: 'x',
        eventid: 'e3',
        requestparameters: '{"__proto__":{"polluted":1}}',
        identity_accesskeyid: "AKIA' OR 1=1",
      }),
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(warnings).toEqual([]);
    expect(record.eventID).toBe('e3');
    const r = rowsToEvents(
      [
        row({
          eventid: 'e4',
          eventtime: '2026-04-20T12:00:00Z',
          eventsource: 's',
          eventname: 'n',
          requestparameters: '{nope',
        }),
        row({
          eventid: 'e5',
          eventtime: '2026-04-20T12:00:00Z',
          eventsource: 's',
          eventname: 'n',
          requestparameters: `"${'a'.repeat(MAX_PARAMS_CHARS)}"`,
        }),
        row({ eventid: 'e6', eventtime: 'yesterday', eventsource: 's', eventname: 'n' }),
        row({
          eventid: 'e7',
          eventtime: '2026-04-20T12:00:00Z',
          eventsource: 's',
          eventname: 'n',
          identity_accesskeyid: "AKIA' OR 1=1",
        }),
      ],
      NOW,
      11,
    );
    expect(r.events.map((e) => e.id)).toEqual(['e4', 'e5', 'e7']);
    expect(r.events[0]!.warnings).toContain('requestParameters is not JSON: left out');
    expect(r.events[1]!.warnings?.[0]).toMatch(/over \d+ characters left out/);
    expect(r.events[2]!.accessKeyId).toBeUndefined();
    expect(r.problems).toEqual([expect.stringMatching(/^row 13: /)]);
  });

  it('reads both engines’ times', () => {
    expect(huntTime('2026-04-20 12:05:00.000')).toBe('2026-04-20T12:05:00.000Z');
    expect(huntTime('2026-04-20T12:05:00Z')).toBe('2026-04-20T12:05:00.000Z');
    expect(huntTime('12:05')).toBeUndefined();
  });
});
