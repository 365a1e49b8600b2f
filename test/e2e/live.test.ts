// firebreak live against local servers that speak the real protocols: a CloudTrail LookupEvents
// endpoint (awsJson1_1 over http://127.0.0.1) and a Kubernetes API server over HTTPS with a
// throwaway certificate. The real SDK clients, found through the standard configuration
// (AWS_ENDPOINT_URL, env credentials, KUBECONFIG), feed the cockpit, the journal and detections.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeCloudTrail } from '../wire/fake-cloudtrail.js';
import { FakeKube, makeTestCert, TOKEN } from '../wire/fake-kube.js';
import { killAll, runCli, sandbox, spawnCli, type Sandbox, quitCockpit } from './terminal.js';

let box: Sandbox;
let ct: FakeCloudTrail;
let kube: FakeKube;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  await ct?.close();
  await kube?.close();
  box.remove();
});

function trailRecord(id: string, time: number, eventName: string, errorCode?: string): string {
  return JSON.stringify({
    eventVersion: '1.11',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/i-0abc',
      accountId: '123456789012',
    },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'cloudtrail.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.45',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: { name: 'prod-audit-trail' },
    responseElements: null,
    eventID: id,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    ...(errorCode ? { errorCode } : {}),
  });
}

it('live: CloudTrail and Kubernetes activity reach the cockpit and the journal, with detections', async () => {
  const now = Date.now();
  ct = new FakeCloudTrail();
  const endpoint = await ct.start();
  ct.addRaw({
    id: 'ct-stop-1',
    time: now - 3 * 60_000,
    name: 'StopLogging',
    cloudTrailEvent: trailRecord('ct-stop-1', now - 3 * 60_000, 'StopLogging'),
  });
  ct.add('ct-describe-1', now - 2 * 60_000, 'DescribeInstances');

  const tls = makeTestCert();
  kube = new FakeKube(tls);
  const server = await kube.listen();
  kube.put(
    'events',
    kube.event('BackOff', { reason: 'BackOff', type: 'Warning', message: 'Back-off restarting failed container' }),
  );
  const kubeconfig = join(box.dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: fake\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}`,
      'users:',
      `- name: tester\n  user:\n    token: ${TOKEN}`,
      'contexts:',
      '- name: fake-prod\n  context:\n    cluster: fake\n    user: tester',
      'current-context: fake-prod',
      '',
    ].join('\n'),
  );
  const env = {
    ...box.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    KUBECONFIG: kubeconfig,
  };
  const J = join(box.dir, 'live.jsonl');
  const t = spawnCli(
    [
      'live',
      '--journal',
      J,
      '--title',
      'Live wire test',
      '--id',
      'INC-2026-100',
      '--region',
      'us-east-1',
      '--context',
      'fake-prod',
      '--namespace',
      'shop',
    ],
    { env, cols: 200, rows: 50 },
  );
  await t.waitFor((s) => /^ LIVE /.test(s) && s.includes('INC-2026-100'), undefined, 'the live cockpit');
  await t.waitFor((s) => s.includes('CT us-east-1 ✓') && s.includes('k8s events ✓'), undefined, 'both sources healthy');
  await t.waitFor(
    (s) => s.includes('StopLogging') && s.includes('DescribeInstances') && s.includes('BackOff'),
    undefined,
    'events from both sources',
  );
  // The StopLogging call raised a detection, journaled after its event, shown on the timeline.
  await t.waitFor((s) => /DET .*StopLogging on prod-audit-trail/.test(s), undefined, 'the trail-tampering detection');
  expect(ct.requests.length).toBeGreaterThan(0);
  expect(ct.requests.every((r) => r.target.endsWith('.LookupEvents'))).toBe(true);

  await quitCockpit(t);

  const v = runCli(['verify', J], box.env);
  expect(v.code).toBe(0);
  const exported = JSON.parse(runCli(['export', J, '--format', 'json'], box.env).stdout) as {
    timeline: { kind: string; actor: string; text: string }[];
  };
  expect(
    exported.timeline.some((e) => e.kind === 'detection' && e.actor === 'firebreak' && /trail-tampering/.test(e.text)),
  ).toBe(true);
  // The secret access key used to sign requests never reached the journal.
  expect(runCli(['export', J, '--format', 'md'], box.env).stdout).not.toContain('wJalrXUtnFEMI');
});
