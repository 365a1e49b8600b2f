// The simulated AWS over its own wire formats, with fetch only (no SDK): EC2's filters and DryRun,
// IAM's query-protocol errors, CloudTrail's one-attribute lookup, the one endpoint that routes them
// all, and the records the cloud would log for what was called.

import { afterEach, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../src/cloud.js';
import { matches } from '../src/ec2/model/filters.js';
import { loggedRecords } from '../src/logged-records.js';

const ACCOUNT = '111122223333';
let cloud: SimCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function start(): Promise<string> {
  cloud = await startSimCloud(
    {
      aws: {
        account: ACCOUNT,
        region: 'eu-west-1',
        ec2: {
          securityGroups: [{ groupId: 'sg-0web', groupName: 'web', vpcId: 'vpc-1' }],
          instances: [
            {
              instanceId: 'i-0web1',
              vpcId: 'vpc-1',
              subnetId: 'subnet-1',
              tags: { Name: 'web-1', team: 'shop' },
              networkInterfaces: [{ networkInterfaceId: 'eni-1', groupIds: ['sg-0web'] }],
              volumes: [{ volumeId: 'vol-1', device: '/dev/xvda' }],
            },
            {
              instanceId: 'i-0db1',
              vpcId: 'vpc-1',
              subnetId: 'subnet-1',
              state: 'stopped',
              tags: { Name: 'db-1' },
              networkInterfaces: [{ networkInterfaceId: 'eni-2', groupIds: ['sg-0web'] }],
              volumes: [{ volumeId: 'vol-2', device: '/dev/xvda' }],
            },
          ],
        },
        iam: {
          roles: [
            { name: 'AWSServiceRoleForSupport', serviceLinked: true },
            { name: 'app', policies: { keep: '{"Statement":[]}' } },
          ],
        },
        cloudtrail: {
          events: [
            { eventId: 'e1', eventTime: '2026-04-20T12:00:00Z', eventName: 'RunInstances', username: 'mallory' },
            { eventId: 'e2', eventTime: '2026-04-20T12:01:00Z', eventName: 'ListBuckets', username: 'alice' },
          ],
        },
      },
    },
    { now: () => new Date('2026-04-20T13:00:00Z') },
  );
  return cloud.endpoints.aws!.url;
}

const form = (url: string, params: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  }).then(async (r) => ({ status: r.status, text: await r.text() }));

const ids = (xml: string): string[] => [...xml.matchAll(/<instanceId>([^<]+)<\/instanceId>/g)].map((m) => m[1]!);

describe('EC2 filters (model)', () => {
  const tags = [{ key: 'Name', value: 'web-1' }];
  const fields = (n: string) => ({ 'instance-state-name': ['running'] })[n];

  it('AND across filters, OR across one filter’s values, * and ? wildcards, tag:K', () => {
    expect(
      matches(
        [
          { name: 'instance-state-name', values: ['stopped', 'running'] },
          { name: 'tag:Name', values: ['web-?'] },
        ],
        fields,
        tags,
      ),
    ).toBe(true);
    expect(
      matches(
        [
          { name: 'instance-state-name', values: ['running'] },
          { name: 'tag:Name', values: ['db-*'] },
        ],
        fields,
        tags,
      ),
    ).toBe(false);
    expect(matches([{ name: 'tag-key', values: ['Na*'] }], fields, tags)).toBe(true);
  });

  it('a wildcard is not a regular expression, and an unknown filter is refused rather than ignored', () => {
    expect(matches([{ name: 'tag:Name', values: ['web.1'] }], fields, tags)).toBe(false);
    expect(matches([{ name: 'no-such-filter', values: ['x'] }], fields, tags)).toEqual({ invalid: 'no-such-filter' });
  });
});

describe('EC2 over the query protocol', () => {
  it('DescribeInstances applies the filters; an unknown filter is InvalidParameterValue', async () => {
    const url = await start();
    const ok = await form(url, {
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'Filter.1.Name': 'instance-state-name',
      'Filter.1.Value.1': 'running',
    });
    expect(ok.status).toBe(200);
    expect(ids(ok.text)).toEqual(['i-0web1']);
    const tagged = await form(url, {
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'Filter.1.Name': 'tag:Name',
      'Filter.1.Value.1': '*-1',
      'Filter.2.Name': 'tag-key',
      'Filter.2.Value.1': 'team',
    });
    expect(ids(tagged.text)).toEqual(['i-0web1']);
    const bad = await form(url, {
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'Filter.1.Name': 'colour',
      'Filter.1.Value.1': 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>InvalidParameterValue</Code>');
  });

  it('DryRun answers 412 DryRunOperation and changes nothing; the same call without it applies', async () => {
    const url = await start();
    const dry = await form(url, {
      Action: 'CreateSecurityGroup',
      Version: '2016-11-15',
      GroupName: 'quarantine',
      GroupDescription: 'q',
      VpcId: 'vpc-1',
      DryRun: 'true',
    });
    expect(dry.status).toBe(412);
    expect(dry.text).toContain('<Code>DryRunOperation</Code>');
    const groups = async () =>
      [
        ...(await form(url, { Action: 'DescribeSecurityGroups', Version: '2016-11-15' })).text.matchAll(
          /<groupName>([^<]+)<\/groupName>/g,
        ),
      ].map((m) => m[1]);
    expect(await groups()).not.toContain('quarantine');
    expect(
      (
        await form(url, {
          Action: 'CreateSecurityGroup',
          Version: '2016-11-15',
          GroupName: 'quarantine',
          GroupDescription: 'q',
          VpcId: 'vpc-1',
        })
      ).status,
    ).toBe(200);
    expect(await groups()).toContain('quarantine');
  });
});

describe('IAM and STS over the query protocol, on the same endpoint', () => {
  it('errors are ErrorResponse documents with IAM’s codes', async () => {
    const url = await start();
    const missing = await form(url, { Action: 'GetRole', Version: '2010-05-08', RoleName: 'nobody' });
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code>/);
    const linked = await form(url, {
      Action: 'PutRolePolicy',
      Version: '2010-05-08',
      RoleName: 'AWSServiceRoleForSupport',
      PolicyName: 'deny',
      PolicyDocument: '{"Statement":[]}',
    });
    expect(linked.status).toBe(400);
    expect(linked.text).toContain('<Code>UnmodifiableEntity</Code>');
    const malformed = await form(url, {
      Action: 'PutRolePolicy',
      Version: '2010-05-08',
      RoleName: 'app',
      PolicyName: 'deny',
      PolicyDocument: '{"Version":"2012-10-17"}',
    });
    expect(malformed.text).toContain('<Code>MalformedPolicyDocument</Code>');
  });

  it('policy documents come back URL-encoded; STS names the account', async () => {
    const url = await start();
    const got = await form(url, {
      Action: 'GetRolePolicy',
      Version: '2010-05-08',
      RoleName: 'app',
      PolicyName: 'keep',
    });
    expect(got.text).toContain(`<PolicyDocument>${encodeURIComponent('{"Statement":[]}')}</PolicyDocument>`);
    const who = await form(url, { Action: 'GetCallerIdentity', Version: '2011-06-15' });
    expect(who.text).toContain(`<Account>${ACCOUNT}</Account>`);
  });
});

describe('CloudTrail LookupEvents (awsJson1_1)', () => {
  const lookup = (url: string, input: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
      body: JSON.stringify(input),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

  it('newest first; one lookup attribute at most', async () => {
    const url = await start();
    const all = await lookup(url, {});
    expect(all.json.Events.map((e: any) => e.EventId)).toEqual(['e2', 'e1']);
    const mallory = await lookup(url, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'mallory' }] });
    expect(mallory.json.Events.map((e: any) => e.EventId)).toEqual(['e1']);
    const two = await lookup(url, {
      LookupAttributes: [
        { AttributeKey: 'Username', AttributeValue: 'a' },
        { AttributeKey: 'EventName', AttributeValue: 'b' },
      ],
    });
    expect(two.status).toBe(400);
    expect(two.json.__type).toBe('InvalidLookupAttributesException');
  });
});

describe('what the cloud logs for the calls it saw', () => {
  it('a mutating call becomes a CloudTrail record; reads and dry runs log nothing here', async () => {
    const url = await start();
    await form(url, { Action: 'DescribeInstances', Version: '2016-11-15' });
    await form(url, {
      Action: 'CreateSecurityGroup',
      Version: '2016-11-15',
      GroupName: 'q',
      GroupDescription: 'q',
      VpcId: 'vpc-1',
      DryRun: 'true',
    });
    await form(url, {
      Action: 'CreateSecurityGroup',
      Version: '2016-11-15',
      GroupName: 'q',
      GroupDescription: 'q',
      VpcId: 'vpc-1',
    });
    const calls = cloud!.takeNewCalls();
    expect(calls.map((c) => c.op)).toEqual(['DescribeInstances', 'CreateSecurityGroup', 'CreateSecurityGroup']);
    expect(cloud!.takeNewCalls()).toEqual([]);
    const logged = loggedRecords(calls, {
      account: ACCOUNT,
      region: 'eu-west-1',
      responderArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
      now: new Date('2026-04-20T13:00:00Z'),
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      source: 'cloudtrail',
      record: {
        eventName: 'CreateSecurityGroup',
        eventSource: 'ec2.amazonaws.com',
        awsRegion: 'eu-west-1',
        requestParameters: { GroupName: 'q', VpcId: 'vpc-1' },
      },
    });
  });
});
