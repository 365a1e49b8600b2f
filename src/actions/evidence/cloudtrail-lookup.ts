// Paging LookupEvents for evidence within the account's 2 requests/s: the
// limiter is shared with the pollers, and it gates EVERY attempt — it sits inside the SDK's retry
// loop as a middleware, so even a client built with SDK retries never sends one past it. A
// throttling answer means the account is over its budget (other tools count too): we back off by
// leaving limiter slots unused, which also slows the pollers sharing it, exactly what the account
// needs; after a few tries the action fails rather than writing a partial file.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html

import {
  LookupEventsCommand,
  type CloudTrailClient,
  type Event,
  type LookupAttributeKey,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { RateLimiter } from '../../sources/cloudtrail/limiter.js';
import { ActionError, awsRequestId } from '../errors.js';

export interface Lookup {
  key: LookupAttributeKey;
  value: string;
}

export interface LookupWindow {
  /** Epoch ms, inclusive. */
  start: number;
  end: number;
}

/** Throttling answers tolerated per page before the action gives up (slots skipped: 2, 4, 8, 16). */
const MAX_THROTTLED = 4;

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/;

function isThrottling(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.test(err?.name ?? '') || err?.$metadata?.httpStatusCode === 429;
}

/** One LookupEvents call, every attempt through the limiter. */
export async function lookupPage(
  client: CloudTrailClient,
  limiter: RateLimiter,
  input: LookupEventsCommandInput,
): Promise<LookupEventsCommandOutput> {
  const cmd = new LookupEventsCommand(input);
  // finalizeRequest, low priority: inside the retry middleware (finalizeRequest, high), so each
  // attempt — not each send() — waits for a slot.
  cmd.middlewareStack.add(
    (next) => async (args) => {
      await limiter.acquire();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'firebreakLookupEventsLimiter' },
  );
  return client.send(cmd);
}

export interface LookupResult {
  events: Event[];
  pages: number;
  throttled: number;
  requestIds: string[];
  /** `signal` aborted before the last page: newest first, so what is missing is the oldest part. */
  stopped?: boolean;
}

export interface LookupHooks {
  /** Stops before the next page (the pages fetched are kept). */
  signal?: AbortSignal;
  /** After each page. */
  onPage?(r: LookupResult): void;
}

/** Every page of one lookup (one attribute: the API allows only one per request). */
export async function lookupAll(
  client: CloudTrailClient,
  limiter: RateLimiter,
  lookup: Lookup,
  w: LookupWindow,
  hooks: LookupHooks = {},
): Promise<LookupResult> {
  const out: LookupResult = { events: [], pages: 0, throttled: 0, requestIds: [] };
  let token: string | undefined;
  do {
    if (hooks.signal?.aborted) {
      out.stopped = true;
      return out;
    }
    let page: LookupEventsCommandOutput | undefined;
    for (let attempt = 0; !page; attempt++) {
      try {
        page = await lookupPage(client, limiter, {
          LookupAttributes: [{ AttributeKey: lookup.key, AttributeValue: lookup.value }],
          StartTime: new Date(w.start),
          EndTime: new Date(w.end),
          MaxResults: 50,
          ...(token ? { NextToken: token } : {}),
        });
      } catch (e) {
        if (!isThrottling(e)) throw e;
        out.throttled++;
        if (attempt >= MAX_THROTTLED) {
          throw new ActionError(
            `CloudTrail kept throttling LookupEvents (${lookup.key}=${lookup.value}, page ${out.pages + 1}, ${out.throttled} throttled answers): nothing was written`,
            'ThrottlingException',
            "another tool is using this account and Region's 2 requests/s: wait a minute and run the action again",
            awsRequestId(e as { $metadata?: { requestId?: string } }),
          );
        }
        for (let skip = 0; skip < 2 ** (attempt + 1); skip++) await limiter.acquire();
      }
    }
    out.pages++;
    out.requestIds.push(...awsRequestId(page));
    out.events.push(...(page.Events ?? []));
    token = page.NextToken;
    hooks.onPage?.(out);
  } while (token);
  return out;
}
