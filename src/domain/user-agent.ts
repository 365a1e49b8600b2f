// firebreak's own calls, recognisable in the cloud's logs: every AWS and Kubernetes call carries
// `firebreak/VERSION` and, inside an action, `firebreak-action/ACTION_ID` in its user agent.
// CloudTrail (`userAgent`) and the Kubernetes audit log (`userAgent`) record it, so the cockpit can
// mark those events as the response's own and show when each action landed.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html

/** The product token (the SDK escapes `/` in a name, so it is one token: firebreak/VERSION). */
export const PRODUCT = 'firebreak';
/** The action token's name: `firebreak-action/act-…`. */
export const ACTION_TOKEN = 'firebreak-action';

const ACTION_IN_UA = /(?:^|[\s(])firebreak-action\/(act-[a-z0-9]+-[0-9a-f]{8})(?=$|[\s)])/;

/** The user agent suffix for a call: `firebreak/VERSION` plus the action id when there is one. */
export function firebreakUserAgent(version: string, actionId?: string): string {
  return `${PRODUCT}/${version.replace(/[^\w.+-]/g, '-')}${actionId ? ` ${ACTION_TOKEN}/${actionId}` : ''}`;
}

/** The firebreak action a logged call belongs to, from the user agent the log recorded. */
export function ownActionOf(userAgent: string | undefined): string | undefined {
  return userAgent ? ACTION_IN_UA.exec(userAgent)?.[1] : undefined;
}
