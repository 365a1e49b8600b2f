// The inline policies the IAM containment actions write, and how their read-back is compared.
// A Deny * on * cannot be outdone by any Allow; the console's
// "Revoke active sessions" writes `AWSRevokeOlderSessions` denying every session whose token was
// issued before a cut-off (`aws:TokenIssueTime`), which is the only way to cut off temporary
// credentials already handed out (they cannot be revoked, but every request is re-authorised).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html

import { canonicalJson } from '../../../journal/canonical.js';

export const DENY_ALL_POLICY = 'firebreak-deny-all';
export const REVOKE_SESSIONS_POLICY = 'AWSRevokeOlderSessions';

export function denyAllDocument(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'FirebreakIncidentDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
  });
}

/** The console's own shape, so a responder who opens the role in the console recognises it. */
export function revokeSessionsDocument(cutoff: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } },
    ],
  });
}

/**
 * The cut-off: now, rounded UP to the whole second (ISO-8601 UTC, as the console writes it).
 * Rounding up can only revoke a session issued in the same second, never spare one issued before.
 */
export function cutoffAt(now: Date): string {
  return new Date(Math.ceil(now.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** IAM returns policy documents URL-encoded (RFC 3986) from GetRolePolicy / GetUserPolicy / GetRole. */
export function decodePolicy(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** Same policy as JSON (IAM may re-space or re-order keys): false when either is not JSON. */
export function samePolicy(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** Who may assume a role, from its trust policy (URL-encoded as GetRole returns it): the blast radius. */
export function trustedPrincipals(encodedTrust: string | undefined): string[] {
  if (!encodedTrust) return [];
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(decodePolicy(encodedTrust)) as { Statement?: unknown };
  } catch {
    return [];
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const out: string[] = [];
  for (const s of statements as { Effect?: string; Principal?: unknown }[]) {
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    if (p === '*') out.push('anyone (Principal "*")');
    else if (p && typeof p === 'object') {
      for (const [kind, v] of Object.entries(p as Record<string, unknown>)) {
        for (const who of Array.isArray(v) ? v : [v]) out.push(`${kind} ${String(who)}`);
      }
    }
  }
  return [...new Set(out)];
}
