// Which account a poller reads: STS GetCallerIdentity for the poller's own credentials. The
// LookupEvents quota is per account and Region, so the account — not the profile — keys the
// budget the poller shares with the preservation actions (limiter.ts). Asked once, on the first
// request (opening the cockpit calls nothing); a failure is forgotten so the next cycle asks again.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { PRODUCT } from '../../domain/user-agent.js';
import { credentialsFor, type CloudTrailClientOptions } from './client.js';

export function callerAccount(opts: CloudTrailClientOptions): () => Promise<string> {
  let pending: Promise<string> | undefined;
  const ask = async (): Promise<string> => {
    const sts = new STSClient({
      region: opts.region,
      credentials: credentialsFor(opts),
      ...((opts.stsEndpoint ?? opts.endpoint) ? { endpoint: opts.stsEndpoint ?? opts.endpoint } : {}),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
      customUserAgent: [[PRODUCT, 'poller']],
    });
    try {
      const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
      if (!account) throw new Error('STS GetCallerIdentity returned no account');
      return account;
    } finally {
      sts.destroy();
    }
  };
  return () =>
    (pending ??= ask().catch((e: unknown) => {
      pending = undefined;
      throw e;
    }));
}
