// The IAM client of the session, or a clear refusal when the session has no AWS clients.

import type { IAMClient } from '@aws-sdk/client-iam';
import { ActionError } from '../../errors.js';
import type { ActionEnv } from '../../types.js';

export function iamOf(env: ActionEnv): IAMClient {
  if (!env.aws)
    throw new ActionError('no AWS session: start with firebreak live --profile P --region R', 'NoAwsSession');
  return env.aws.iam;
}

export { isTemporaryKey } from '../../target-checks.js';

/**
 * The shared caveats of every IAM containment action.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 */
export const IAM_CONSISTENCY =
  'IAM is eventually consistent: "applied" is not yet "effective" — the change can take a few minutes to reach every endpoint; keep watching the activity';
export const ROOT_CAVEAT =
  'the root user cannot be restricted by IAM policies (nor credentials root obtained with GetSessionToken / GetFederationToken)';
