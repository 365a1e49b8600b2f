// Generators for realistic CloudTrail evidence, written into temp dirs by the tests.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newIncident } from '../../../store/open.js';

export const FIXTURES = join(__dirname, '../../fixtures/import');
export const ACCOUNT = '123456789012';
/** A session token in the shape STS issues (base64, "IQoJb3JpZ2luX2Vj…"). */
export const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDu' + 'Zm9vYmFyYmF6'.repeat(12) + 'AYXdzc2Vzc2lvbg==';

export function ctRecord(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:sess',
      arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/sess',
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    },
    eventTime: new Date(Date.UTC(2026, 3, 20, 14, 0, 0) + i * 1000).toISOString().replace('.000', ''),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.45',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: { bucketName: 'orders-prod-data', key: `exports/part-${i}.csv` },
    responseElements: null,
    requestID: `REQ${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    ...over,
  };
}

export function assumeRoleRecord(i: number): Record<string, unknown> {
  return ctRecord(i, {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/admin', roleSessionName: 'x' },
    responseElements: {
      credentials: {
        accessKeyId: 'ASIAQWERTYUIOPASDFGH',
        sessionToken: SESSION_TOKEN,
        expiration: 'Apr 20, 2026, 3:31:05 PM',
      },
      assumedRoleUser: { assumedRoleId: 'AROAEXAMPLEID:x', arn: 'arn:aws:sts::123456789012:assumed-role/admin/x' },
    },
  });
}

/** CloudTrail's own layout: one line, `{"Records":[…]}`. */
export function logText(records: unknown[]): string {
  return JSON.stringify({ Records: records });
}

export function writeLog(file: string, records: unknown[], gzip = file.endsWith('.gz')): string {
  mkdirSync(dirname(file), { recursive: true });
  const text = logText(records);
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return createHash('sha256').update(text).digest('hex');
}

export function logKey(region: string, stamp: string, unique: string): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail/${region}/2026/04/20/${ACCOUNT}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

export async function makeJournal(dir: string, name = 'inc.jsonl'): Promise<string> {
  const file = join(dir, name);
  const { journal } = await newIncident(
    file,
    { incidentId: 'INC-2026-042', title: 'import test', mode: 'live' },
    { actor: 'tester' },
  );
  await journal?.close();
  return file;
}
