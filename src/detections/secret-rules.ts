// CloudTrail rules for reading stored secrets: a secret read from an address its identity never
// read secrets from, and many secrets read at once (Stratus Red Team's
// secretsmanager-batch-retrieve-secrets and ssm-retrieve-securestring-parameters).
// https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.secretsmanager-batch-retrieve-secrets/
// https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ssm-retrieve-securestring-parameters/
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html

import { BoundedMap } from '../domain/bounded-map.js';
import { BoundedSet } from '../domain/bounded-set.js';
import { eventKey, type IncidentEvent } from '../domain/event.js';
import { cloudTrailView, shortPrincipal, type CloudTrailView } from './cloudtrail-view.js';
import { createDistinctWindow } from './distinct-window.js';
import { arr, at, clip, isPrivateIp, isPublicIp, str } from './read.js';
import type { Rule, RuleHit } from './types.js';

const SSM_READS = ['GetParameter', 'GetParameters', 'GetParametersByPath'];

/**
 * The secrets a call returns in the clear: GetSecretValue's secretId, BatchGetSecretValue's
 * secretIdList, or SSM parameter names read WithDecryption (SecureString values). Undefined when
 * the call is not a secret read at all; an empty list when it is one that names no secret
 * (BatchGetSecretValue by filters, which logs a GetSecretValue per secret anyway).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html
 */
function secretsRead(v: CloudTrailView): string[] | undefined {
  const names = (x: unknown) => arr(x).flatMap((n) => (typeof n === 'string' && n ? [n] : []));
  if (v.eventSource === 'secretsmanager.amazonaws.com') {
    if (v.eventName === 'GetSecretValue') return names([at(v.params, 'secretId')]);
    if (v.eventName === 'BatchGetSecretValue') return names(at(v.params, 'secretIdList'));
    return undefined;
  }
  if (v.eventSource === 'ssm.amazonaws.com' && SSM_READS.includes(v.eventName)) {
    if (at(v.params, 'withDecryption') !== true) return undefined;
    if (v.eventName === 'GetParameter') return names([at(v.params, 'name')]);
    if (v.eventName === 'GetParameters') return names(at(v.params, 'names'));
    const path = str(at(v.params, 'path'));
    return path ? [`${path}*`] : [];
  }
  return undefined;
}

/**
 * Who a secret read is remembered under: the role for a role session (a session ARN carries the
 * session name, a fresh random id per ECS task or Lambda container, so every task would look
 * new), else the caller's ARN.
 */
function identityOf(v: CloudTrailView): string {
  const issuer = at(v.raw, 'userIdentity', 'sessionContext', 'sessionIssuer');
  const role = at(issuer, 'type') === 'Role' ? str(at(issuer, 'arn')) : undefined;
  return v.identityType === 'AssumedRole' && role ? role : v.principal;
}

const MAX_IDENTITIES = 5_000;
const MAX_ADDRESSES = 32;

export const secretReadUnknownIp: Rule = {
  id: 'cloudtrail.secret-read-unknown-ip',
  title: 'Secret read from an address its identity never used',
  severity: 2,
  why: 'A Secrets Manager secret or SecureString parameter was read, successfully, from a public address this role or user had never read secrets from in the stream: stolen credentials used from outside. The first read seen for an identity sets its baseline; reads from private addresses (inside the VPC) are learned, never flagged.',
  runbook:
    'credentials-leak: rotate the secret now, then revoke the sessions of the role (AWSRevokeOlderSessions) and find where the caller got its credentials',
  createMatcher() {
    // Addresses per identity, in the order identities were last seen (the oldest is forgotten).
    const known = new BoundedMap<string, BoundedSet<string>>(MAX_IDENTITIES);
    return (e: IncidentEvent): RuleHit | false => {
      const v = cloudTrailView(e);
      if (!v || v.failed) return false;
      const secrets = secretsRead(v);
      const ip = v.sourceIp;
      // CloudTrail writes a service name ("secretsmanager.amazonaws.com", "AWS Internal") when a
      // service calls on the caller's behalf: not an address the caller used.
      if (!secrets || !ip || !(isPublicIp(ip) || isPrivateIp(ip))) return false;
      const id = identityOf(v);
      const addresses = known.get(id) ?? new BoundedSet<string>(MAX_ADDRESSES);
      known.set(id, addresses); // the newest: the identity seen longest ago is forgotten first
      // Every private address counts as one "inside the network": tasks change IPs all day.
      const where = isPrivateIp(ip) ? 'private' : ip;
      const before = addresses.size;
      if (!addresses.add(where) || before === 0 || where === 'private') return false;
      const what = secrets.length ? clip(secrets.slice(0, 3).join(', '), 100) : 'a secret';
      return {
        title: `Secret ${what} read from new address ${ip} by ${shortPrincipal(v.principal)}`,
        why: `${v.eventName} of ${what} by ${clip(v.principal, 200)} from ${ip}: ${shortPrincipal(id)} had read secrets only from ${before} other address${before === 1 ? '' : 'es'} in this stream. If the caller is not expected there, the secret is in the hands of whoever holds the credentials.`,
      };
    };
  },
};

const BULK_THRESHOLD = 5;
const BULK_WINDOW_MS = 10 * 60_000;

export const secretsBulkRead: Rule = {
  id: 'cloudtrail.secrets-bulk-read',
  title: 'Many secrets read by one principal',
  severity: 1,
  why: `${BULK_THRESHOLD} or more distinct Secrets Manager secrets or SecureString parameters read by one principal within ${BULK_WINDOW_MS / 60_000} minutes: an application reads the few it needs, a credential harvest reads them all. Sev2 when every read was refused.`,
  runbook:
    'credentials-leak: rotate every secret in the list, revoke the caller’s sessions and deactivate its source key after preserving CloudTrail',
  createMatcher() {
    const window = createDistinctWindow({ threshold: BULK_THRESHOLD, windowMs: BULK_WINDOW_MS });
    return (e: IncidentEvent): RuleHit | false => {
      const v = cloudTrailView(e);
      if (!v) return false;
      const secrets = secretsRead(v);
      if (!secrets?.length) return false;
      const burst = window.add(e, v.principal, secrets, eventKey(e), v.failed);
      if (!burst) return false;
      const names = burst.touches.map((x) => x.item);
      const denied = burst.touches.filter((x) => x.failed).length;
      const all = denied === burst.touches.length;
      return {
        severity: all ? 2 : 1,
        title: `${names.length} secrets read by ${shortPrincipal(v.principal)}${all ? ' (denied)' : ''}`,
        why: `${names.length} distinct secrets within ${BULK_WINDOW_MS / 60_000} minutes (from ${new Date(burst.start).toISOString()}) by ${clip(v.principal, 200)}${denied ? `, ${denied} of them refused` : ''}: ${clip(names.join(', '), 300)}.`,
        eventKeys: [...new Set(burst.touches.map((x) => x.key))],
        dedupeKey: `${v.principal}@${burst.start}`,
      };
    };
  },
};

export const SECRET_RULES: readonly Rule[] = [secretReadUnknownIp, secretsBulkRead];
