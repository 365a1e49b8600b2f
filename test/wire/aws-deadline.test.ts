// A call that hangs must abort (AWS and Kubernetes) at its deadline, not merely log a warning: the SDK's requestTimeout
// only warns unless the handler is built with throwOnRequestTimeout (@smithy/node-http-handler).
// The server on 127.0.0.1 accepts every request and never answers; the deadline is 300 ms so the
// test never sleeps for real seconds.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createAwsClients } from '../../src/actions/aws/clients.js';
import { CallLog } from '../../src/actions/kubernetes/wire.js';
import { createCloudTrailClient } from '../../src/sources/cloudtrail/client.js';

const CREDS = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-secret' };

async function hangingServer(): Promise<string> {
  const held: ServerResponse[] = [];
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    held.push(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('deadlines that abort', () => {
  it('createAwsClients gives up on a hanging GetCallerIdentity at the deadline', async () => {
    const endpoint = await hangingServer();
    const err = await createAwsClients({ region: 'us-east-1', endpoint, credentials: CREDS, deadlineMs: 300 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.name).toMatch(/Timeout/i);
  }, 5_000);

  it('the CloudTrail poller client gives up on a hanging LookupEvents at the deadline', async () => {
    const endpoint = await hangingServer();
    const client = createCloudTrailClient({ region: 'us-east-1', endpoint, credentials: CREDS, deadlineMs: 300 });
    onTestFinished(() => client.destroy());
    const err = await client.send(new LookupEventsCommand({})).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.name).toMatch(/Timeout/i);
  }, 5_000);
});

describe('Kubernetes calls through a CallLog', () => {
  it('abort a hanging read at the deadline', async () => {
    const server = await hangingServer();
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'test-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    const log = new CallLog(300);
    const err = await kc
      .makeApiClient(CoreV1Api)
      .readNode({ name: 'node-a' }, log.opts())
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(Error);
    expect(`${err!.name} ${err!.message}`).toMatch(/Timeout|abort/i);
  }, 5_000);
});
