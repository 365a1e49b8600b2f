// What went wrong with a LookupEvents call, and what the responder should do about it. The SDK
// names errors after the wire `__type`; the throttling names are the
// ones smithy's retry classifier treats as throttling, plus any HTTP 429.
// https://github.com/aws/aws-sdk-js-v3/blob/main/packages/core/src/submodules/protocols/json/AwsJsonRpcProtocol.ts
// https://github.com/smithy-lang/smithy-typescript/blob/main/packages/service-error-classification/src/constants.ts

export type LookupErrorKind = 'throttled' | 'credentials' | 'denied' | 'network' | 'other';

export interface ClassifiedError {
  kind: LookupErrorKind;
  /** One line for the status bar, saying what to do. */
  message: string;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
  'TokenProviderError',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'OperationNotPermittedException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function classifyLookupError(
  err: unknown,
  ctx: { region: string; profile?: string | undefined },
): ClassifiedError {
  const e = (err && typeof err === 'object' ? err : {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? e.code : '';
  const text = typeof e.message === 'string' && e.message ? e.message : String(err);
  const status = e.$metadata?.httpStatusCode;
  const profileArg = ctx.profile ? ` --profile ${ctx.profile}` : '';

  if (THROTTLING.has(name) || status === 429) {
    return {
      kind: 'throttled',
      message: `throttled by CloudTrail in ${ctx.region} (2 req/s per account and Region, shared with other tools)`,
    };
  }
  if (CREDENTIALS.has(name) || /token.*expired|expired.*token|sso session/i.test(text)) {
    return {
      kind: 'credentials',
      message: `credentials expired or invalid (${name}): run aws sso login${profileArg}, or refresh your keys`,
    };
  }
  if (DENIED.has(name) || status === 403) {
    return {
      kind: 'denied',
      message: `access denied to cloudtrail:LookupEvents in ${ctx.region}${ctx.profile ? ` for profile ${ctx.profile}` : ''}: ${text} — grant it or use another profile`,
    };
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return {
      kind: 'network',
      message: `cannot reach CloudTrail in ${ctx.region} (${code || name}): check the network, VPN or proxy`,
    };
  }
  return { kind: 'other', message: `LookupEvents failed in ${ctx.region}: ${name}: ${text}` };
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries from
 * several pollers spread out but none retries immediately.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(d / 2 + random() * (d / 2));
}

/** "4s", "1m 30s", "250ms" — for "throttled, retrying in 4s". */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
}
