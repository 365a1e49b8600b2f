// The AWS clients every action uses, built once per session. Credentials as the CloudTrail source
// does it (src/sources/cloudtrail/client.ts): a named profile means fromIni alone (SSO profiles
// included), never a silent fall-back to env keys or instance metadata; otherwise the default chain.
// The account comes from STS GetCallerIdentity: it is what arming asks the responder to type, and
// it keys the shared CloudTrail limiter (2 requests/s per account and region).

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { awsRequestHandler } from '../../sources/cloudtrail/deadline.js';
import { needsPathStyle, type AwsService, type ServiceEndpoints } from '../../sources/cloudtrail/profile-endpoints.js';
import { limiterFor } from '../../sources/cloudtrail/limiter.js';
import { firebreakCustomUserAgent, tagActionCalls } from './user-agent.js';
import { ActionError } from '../errors.js';
import type { AwsClients } from '../types.js';

export interface AwsClientOptions {
  profile?: string;
  region: string;
  /**
   * Only for tests and drills (the simulated cloud on 127.0.0.1): every client points at it.
   * Without it IAM uses its global endpoint (the SDK resolves it) and the others their regional ones.
   */
  endpoint?: string;
  /** Each service's endpoint for this profile (src/sources/cloudtrail/profile-endpoints.ts), under `endpoint`. */
  endpoints?: ServiceEndpoints;
  /** Static credentials (tests, drills); overrides profile and chain. */
  credentials?: STSClientConfig['credentials'];
  /** firebreak's version, for the user agent every call carries (user-agent.ts). */
  toolVersion?: string;
  /** Deadline of one call in ms (default 30 s); tests shorten it. The call aborts when it passes. */
  deadlineMs?: number;
}

export async function createAwsClients(o: AwsClientOptions): Promise<AwsClients> {
  const credentials = o.credentials ?? (o.profile ? fromIni({ profile: o.profile }) : fromNodeProviderChain());
  const endpointOf = (svc: AwsService) => o.endpoint ?? o.endpoints?.[svc];
  const common = {
    region: o.region,
    credentials,
    // One attempt per call: firebreak never repeats a change by itself. A throttled or failed call
    // is journaled with its hint ("run the action again"), and a retried PutRolePolicy after a
    // timeout could land twice behind the responder's back.
    maxAttempts: 1,
    // CloudTrail records it: the cockpit marks firebreak's own calls and shows when each landed.
    customUserAgent: firebreakCustomUserAgent(o.toolVersion ?? 'dev'),
    // Without a deadline that aborts, a dead VPN leaves an action "running" forever.
    requestHandler: awsRequestHandler(o.deadlineMs),
  };
  const at = (svc: AwsService) => {
    const url = endpointOf(svc);
    return url ? { ...common, endpoint: url } : common;
  };
  const sts = tagActionCalls(new STSClient(at('sts')));
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (e) {
    sts.destroy();
    throw e;
  }
  if (!account) {
    sts.destroy();
    throw new ActionError(
      'STS GetCallerIdentity returned no account: cannot tell which account the actions would change',
      'NoAccount',
    );
  }
  return {
    ec2: tagActionCalls(new EC2Client(at('ec2'))),
    iam: tagActionCalls(new IAMClient(at('iam'))),
    sts,
    // Path-style against a local endpoint: virtual-hosted style would put the bucket in the host name.
    s3: tagActionCalls(
      new S3Client({
        ...at('s3'),
        ...(o.endpoint || needsPathStyle(endpointOf('s3')) ? { forcePathStyle: true } : {}),
      }),
    ),
    cloudtrail: tagActionCalls(new CloudTrailClient(at('cloudtrail'))),
    eks: tagActionCalls(new EKSClient(at('eks'))),
    region: o.region,
    account,
    cloudtrailLimiter: limiterFor(account, o.region),
  };
}

/** Closes every client's sockets (end of session, end of test). */
export function destroyAwsClients(c: AwsClients): void {
  for (const client of [c.ec2, c.iam, c.sts, c.s3, c.cloudtrail, c.eks]) client?.destroy();
}
