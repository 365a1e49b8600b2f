// The AWS clients every AWS action uses, for one profile and Region. MINIMAL VERSION written by
// the cockpit helper so the live env builds; the AWS actions helper owns the full one (same
// signature) — keep theirs when merging. Credentials: one named profile (fromIni, which also
// resolves SSO profiles; never silently another identity), else the standard chain.

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { limiterFor } from '../../sources/cloudtrail/limiter.js';
import type { AwsClients } from '../types.js';

export interface AwsClientOptions {
  profile?: string;
  region: string;
  /** Tests and local emulators only (the SDK honours AWS_ENDPOINT_URL by itself). */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export async function createAwsClients(o: AwsClientOptions): Promise<AwsClients> {
  const credentials = o.credentials ?? (o.profile ? fromIni({ profile: o.profile }) : fromNodeProviderChain());
  const common = {
    region: o.region,
    credentials,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    // A dead VPN must fail the action with a message, not hang the cockpit.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
  const sts = new STSClient(common);
  // The account id is what arming asks the responder to type back.
  const who = await sts.send(new GetCallerIdentityCommand({}));
  if (!who.Account) throw new Error('STS GetCallerIdentity returned no account id');
  return {
    ec2: new EC2Client(common),
    iam: new IAMClient(common),
    sts,
    // Path-style only against an explicit endpoint (a local emulator has no bucket subdomains).
    s3: new S3Client({ ...common, ...(o.endpoint ? { forcePathStyle: true } : {}) }),
    cloudtrail: new CloudTrailClient(common),
    region: o.region,
    account: who.Account,
    cloudtrailLimiter: limiterFor(who.Account, o.region),
  };
}
