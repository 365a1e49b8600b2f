// What failed and what to do: every API error an action meets becomes one message, the request id
// (for the provider's support and for the journal) and a hint the responder can act on at 03:00.

import { redactText } from '../safety/redact.js';

export interface ApiFailure {
  code: string | undefined;
  message: string;
  hint: string | undefined;
  requestIds: string[];
}

/** Thrown by action steps for a failure they diagnosed themselves (precondition found at run time). */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly hint?: string,
    readonly requestIds: string[] = [],
    /** The API error this one explains: kept so a deadline or a cut connection is still seen as one. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ActionError';
  }
}

const HINTS: [RegExp, string][] = [
  [
    /AccessDenied|UnauthorizedOperation|Forbidden|^403$|AuthorizationError/i,
    'the credentials lack permission for this call: use a responder role that allows it (the plan lists every call), or ask the account owner',
  ],
  [
    /NotFound|NoSuch|^404$|InvalidInstanceID|InvalidGroup\.NotFound|InvalidVolume/i,
    'the target is not there (already deleted, wrong region / account / context?): refresh and re-plan',
  ],
  [
    /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|^429$/i,
    'the API is rate-limiting: wait a little and run the action again (firebreak never retries a change by itself)',
  ],
  [
    /ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|^401$|Unauthorized/i,
    'the credentials are expired or invalid: refresh them (aws sso login / kubectl auth) and re-plan',
  ],
  [
    /Conflict|^409$|AlreadyExists|IdempotentParameterMismatch/i,
    'the object changed or already exists: re-plan to see the current state',
  ],
  [/DryRunOperation/i, 'the dry run passed'],
  [
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|TimeoutError/i,
    'the endpoint is unreachable: check the network / VPN and the region or context',
  ],
  [/LimitExceeded|QuotaExceeded/i, 'an account quota is reached: raise it or free resources, then re-plan'],
];

export function hintFor(code: string | undefined, message: string): string | undefined {
  for (const [re, hint] of HINTS) if ((code && re.test(code)) || re.test(message)) return hint;
  return undefined;
}

interface AwsLike {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { requestId?: string; extendedRequestId?: string; httpStatusCode?: number };
}

interface KubeLike {
  code?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One failure from anything an action can throw: AWS SDK v3, client-node ApiException, fetch, ours. */
export function describeApiError(e: unknown): ApiFailure {
  if (e instanceof ActionError) {
    return {
      code: e.code,
      message: redactText(e.message),
      hint: e.hint ?? hintFor(e.code, e.message),
      requestIds: e.requestIds,
    };
  }
  const err = (e ?? {}) as AwsLike & KubeLike & { cause?: { code?: string; message?: string } };
  // client-node: ApiException with the HTTP status and the raw Status body.
  if (typeof err.code === 'number' && 'body' in err) {
    let reason: string | undefined;
    let msg = '';
    try {
      const st = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
      reason = st?.reason;
      msg = st?.message ?? '';
    } catch {
      msg = String(err.body ?? '').slice(0, 300);
    }
    const code = reason ?? String(err.code);
    const message = `HTTP ${err.code}${reason ? ` ${reason}` : ''}: ${msg || 'no message'}`;
    const auditId = err.headers?.['audit-id'];
    return {
      code,
      message: redactText(message),
      hint: hintFor(code, message) ?? hintFor(String(err.code), ''),
      requestIds: auditId ? [auditId] : [],
    };
  }
  // AWS SDK v3 ServiceException.
  if (err.$metadata) {
    const code = err.name ?? err.Code;
    const message = err.message || code || 'AWS error';
    const ids = [err.$metadata.requestId, err.$metadata.extendedRequestId].filter((x): x is string => !!x);
    const status = err.$metadata.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : '';
    return {
      code,
      message: redactText(`${code && !message.startsWith(code) ? `${code}: ` : ''}${message}${status}`),
      hint: hintFor(code, message),
      requestIds: ids,
    };
  }
  const base = e instanceof Error ? e : new Error(String(e));
  const cause = err.cause?.code ?? err.cause?.message;
  const message = `${base.message}${cause ? ` (${cause})` : ''}`;
  const code = (err as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : cause;
  return { code: c, message: redactText(message), hint: hintFor(c, message), requestIds: [] };
}

/** The request id of a successful AWS SDK v3 response (or none). */
export function awsRequestId(out: { $metadata?: { requestId?: string } } | undefined): string[] {
  const id = out?.$metadata?.requestId;
  return id ? [id] : [];
}
