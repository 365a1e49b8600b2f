// The request handler settings every AWS client firebreak builds shares (actions and the CloudTrail
// poller). The SDK's requestTimeout alone only logs a warning when it passes; throwOnRequestTimeout
// makes it abort the call, so a hung call ends as a timeout error instead of "planning…" forever.
// See @smithy/types HttpHandlerInitialization (dist-types/http/httpHandlerInitialization.d.ts).

/** The default deadline of one AWS call, from sending the request to the last byte of the answer. */
export const AWS_DEADLINE_MS = 30_000;

export function awsRequestHandler(deadlineMs: number = AWS_DEADLINE_MS) {
  return {
    connectionTimeout: Math.min(5_000, deadlineMs),
    requestTimeout: deadlineMs,
    throwOnRequestTimeout: true,
  };
}
