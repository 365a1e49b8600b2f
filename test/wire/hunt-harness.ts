// The hunt's wire tests: the simulated CloudTrail (with Lake) and Athena on 127.0.0.1 over one
// seed of CloudTrail records, a fresh journal, and the product's huntInto with the real SDK
// clients pointed at the sims. Pages of two rows, polls of 1 ms.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AthenaSim, CloudTrailSim, type CloudTrailSeedEvent } from '@firebreak/cloud-sim';
import { afterEach } from 'vitest';
import { createIngest } from '../../app/commands/ingest.js';
import { huntInto, type HuntConnection } from '../../app/commands/hunt.js';
import { normaliseCloudTrailRecord } from '../../src/sources/cloudtrail/normalise.js';
import { newIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';

export const ACCOUNT = '111122223333';
export const KEY = 'AKIAHUNTKEY000000001';
export const OTHER_KEY = 'AKIAOTHERKEY00000002';
export const ESC = '\u001b';

/** One CloudTrail record as a trail delivers it. */
export function ctRecord(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    eventID: `ev-${String(n).padStart(4, '0')}`,
    eventTime: new Date(Date.parse('2026-04-20T12:00:00Z') + n * 60_000).toISOString().replace('.000Z', 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: n % 2 ? 'eu-west-1' : 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.30',
    userIdentity: {
      type: 'IAMUser',
      arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      accountId: ACCOUNT,
      accessKeyId: KEY,
      principalId: 'AIDAEXAMPLE',
      userName: 'mallory',
    },
    requestParameters: null,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: ACCOUNT,
    ...over,
  };
}

/** Seven events of the key (one a data event, one hostile), one of another key. */
export function seedRecords(): Record<string, unknown>[] {
  return [
    ...[0, 1, 2, 3, 4].map((n) => ctRecord(n)),
    ctRecord(5, {
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventType: 'AwsApiCall',
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: { bucketName: 'payroll', key: 'salaries.csv' },
    }),
    ctRecord(6, {
      eventName: "CreateUser'; DROP TABLE x; --",
      userAgent: `${ESC}]52;c;ZXZpbA==\u0007${ESC}[2J evil`,
      requestParameters: { userName: `x' OR '1'='1`, ['__proto__']: { polluted: true } },
    }),
    ctRecord(7, { userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accessKeyId: OTHER_KEY } }),
  ];
}

export function seedEvents(records = seedRecords()): CloudTrailSeedEvent[] {
  return records.map((r) => ({
    eventId: r.eventID as string,
    eventTime: r.eventTime as string,
    eventName: r.eventName as string,
    accessKeyId: (r.userIdentity as { accessKeyId?: string }).accessKeyId!,
    cloudTrailEvent: JSON.stringify(r),
  }));
}

export async function huntWorld(records = seedRecords()) {
  const ct = new CloudTrailSim({ account: ACCOUNT, region: 'us-east-1', events: seedEvents(records) });
  const athena = new AthenaSim({}, () => ct.records());
  await ct.start();
  await athena.start();
  afterEach(async () => {
    await ct.close();
    await athena.close();
  });
  const file = join(tempDir('fb-hunt-'), 'inc.jsonl');
  const { store, journal } = await newIncident(
    file,
    { incidentId: 'INC-2026-042', title: 'hunt test', mode: 'live' },
    { actor: 'tester' },
  );
  afterEach(async () => void (await journal?.close()));
  const credentials = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };
  const connection = (url: string, over: Partial<HuntConnection> = {}): HuntConnection => ({
    region: 'us-east-1',
    endpoint: url,
    credentials,
    pageSize: 2,
    pollMs: 1,
    ...over,
  });
  const hunt = (url: string, over: Partial<HuntConnection> = {}) =>
    huntInto(store, { actor: 'hunter', connection: connection(url, over) });
  /** Brings the key's events in by LookupEvents, as the poller would (for the dedupe tests). */
  const lookup = async (): Promise<number> => {
    const client = new CloudTrailClient({ region: 'us-east-1', endpoint: ct.url, credentials, maxAttempts: 1 });
    const r = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
        MaxResults: 1,
      }),
    );
    client.destroy();
    const events = (r.Events ?? []).flatMap((e) => {
      const n = normaliseCloudTrailRecord(JSON.parse(e.CloudTrailEvent!), new Date().toISOString());
      return n.ok ? [n.event] : [];
    });
    return (await createIngest(store, 'cloudtrail')(events)).fresh;
  };
  const events = () => [...store.getState().state.eventIndex.keys()];
  /** The journal's hunt.ran records, read back from the file. */
  const huntRecords = (): Record<string, unknown>[] =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> })
      .filter((r) => r.type === 'hunt.ran')
      .map((r) => r.data);
  /** An ingested event's journaled form (raw included), by key. */
  const eventRecord = (key: string): Record<string, any> | undefined =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; data: { event?: Record<string, any> } })
      .find((r) => r.type === 'event.ingested' && `${r.data.event?.source}:${r.data.event?.id}` === key)?.data.event;
  return { ct, athena, store, hunt, lookup, events, huntRecords, eventRecord, file };
}
