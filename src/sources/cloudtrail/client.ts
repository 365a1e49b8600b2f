// The CloudTrail client for live polling. Credentials come from the standard chain — env, shared
// config and credentials files, SSO, process, web identity, container and instance metadata — or
// from one named profile (SSO profiles included) when the responder gives --profile.

import { CloudTrailClient, type CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { PRODUCT } from '../../domain/user-agent.js';
import { awsRequestHandler } from './deadline.js';
import { LIVE_LIMITS } from './limits.js';

export interface CloudTrailClientOptions {
  profile?: string;
  region: string;
  /**
   * Only for tests and local emulators. Without it the SDK still honours AWS_ENDPOINT_URL /
   * AWS_ENDPOINT_URL_CLOUDTRAIL: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
   */
  endpoint?: string;
  /** STS's endpoint when it differs (a profile's service-specific endpoints: profile-endpoints.ts). */
  stsEndpoint?: string;
  /** Static credentials for tests; overrides profile and chain. */
  credentials?: CloudTrailClientConfig['credentials'];
  /** Deadline of one call in ms (default 30 s); tests shorten it. The call aborts when it passes. */
  deadlineMs?: number;
}

/** The identity the source polls as (also what account.ts asks STS about). */
export function credentialsFor(opts: CloudTrailClientOptions): NonNullable<CloudTrailClientConfig['credentials']> {
  return (
    opts.credentials ??
    // A named profile must not silently fall back to env keys or instance metadata: the
    // responder chose that identity, so fromIni (which also resolves SSO profiles) alone.
    (opts.profile ? fromIni({ profile: opts.profile }) : fromNodeProviderChain())
  );
}

export function createCloudTrailClient(opts: CloudTrailClientOptions): CloudTrailClient {
  const credentials = credentialsFor(opts);
  return new CloudTrailClient({
    region: opts.region,
    credentials,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    // One attempt per send(): the poller owns retries. LookupEvents allows 2 req/s per account
    // and Region, and the SDK's own retries (default 3 attempts, 500 ms throttling base) would
    // add hidden delay, a second backoff policy and extra requests that the status line never
    // shows. Even maxAttempts 2 keeps one such retry, so 1; the poller backs off with jitter and
    // passes every attempt through the shared limiter.
    maxAttempts: 1,
    // Without a deadline that aborts, a dead VPN leaves a cycle hanging forever and the status stuck at "ok".
    requestHandler: awsRequestHandler(opts.deadlineMs),
    // The poller's own LookupEvents name firebreak too (src/domain/user-agent.ts).
    customUserAgent: [[PRODUCT, 'poller']],
  });
}

/** For the CLI help and the source's status pane (text lives in limits.ts: no SDK import needed to show help). */
export function describeLimits(): string {
  return LIVE_LIMITS;
}
