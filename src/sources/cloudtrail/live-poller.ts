// A live session's poller for one Region: the SDK client for the responder's credentials, and the
// LookupEvents budget of the account those credentials reach (learned from STS), the same budget
// the preservation actions of that account and Region wait on (src/actions/aws/clients.ts).

import { callerAccount } from './account.js';
import { createCloudTrailClient, type CloudTrailClientOptions } from './client.js';
import { accountBudget } from './limiter.js';
import { CloudTrailPoller, type CloudTrailPollerOptions } from './poller.js';

export type LivePollerOptions = CloudTrailClientOptions & Omit<CloudTrailPollerOptions, 'client' | 'limiter'>;

export function createLivePoller(o: LivePollerOptions): CloudTrailPoller {
  const { endpoint, stsEndpoint, credentials, ...poller } = o;
  const clientOpts: CloudTrailClientOptions = {
    region: o.region,
    ...(o.profile ? { profile: o.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(stsEndpoint ? { stsEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
  return new CloudTrailPoller({
    ...poller,
    client: createCloudTrailClient(clientOpts),
    limiter: accountBudget(callerAccount(clientOpts), o.region),
  });
}
