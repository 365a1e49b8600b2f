// The record shapes Sigma rules run on, so a loaded rule whose field can never match is said so at
// load: a name the record does not have (SigmaHQ's `status: success` on CloudTrail), or a value
// the field cannot hold ('ALLOW' for the numeric responseStatus.code). The rule still loads and
// runs exactly as written; the warning tells the responder it will be silent on that part.
// CloudTrail: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
// Kubernetes audit Event (audit.k8s.io/v1): https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/

import type { SigmaTarget } from './parse.js';

/** `free`: an object whose keys depend on the API called (requestParameters, requestObject, …). */
type Leaf = 'string' | 'number' | 'boolean' | 'free';
type Shape = Leaf | { [key: string]: Shape } | { items: Shape };

const S = 'string' as const;
const ids = { type: S, principalId: S, arn: S, accountId: S, userName: S };
const user = { username: S, uid: S, groups: { items: S }, extra: 'free' as const };

const SHAPES: Record<SigmaTarget, { [key: string]: Shape }> = {
  cloudtrail: {
    eventVersion: S,
    userIdentity: {
      ...ids,
      accessKeyId: S,
      invokedBy: S,
      identityProvider: S,
      credentialId: S,
      sessionContext: {
        attributes: { creationDate: S, mfaAuthenticated: S },
        sessionIssuer: ids,
        webIdFederationData: 'free',
        sourceIdentity: S,
        ec2RoleDelivery: S,
        assumedRoot: S,
      },
      onBehalfOf: 'free',
      inScopeOf: 'free',
    },
    eventTime: S,
    eventSource: S,
    eventName: S,
    awsRegion: S,
    sourceIPAddress: S,
    userAgent: S,
    errorCode: S,
    errorMessage: S,
    requestParameters: 'free',
    responseElements: 'free',
    additionalEventData: 'free',
    serviceEventDetails: 'free',
    requestID: S,
    eventID: S,
    eventType: S,
    apiVersion: S,
    managementEvent: 'boolean',
    readOnly: 'boolean',
    resources: { items: { ARN: S, accountId: S, type: S } },
    recipientAccountId: S,
    sharedEventID: S,
    vpcEndpointId: S,
    vpcEndpointAccountId: S,
    eventCategory: S,
    addendum: { reason: S, updatedFields: S, originalRequestID: S, originalEventID: S },
    sessionCredentialFromConsole: S,
    edgeDeviceDetails: 'free',
    tlsDetails: { tlsVersion: S, cipherSuite: S, clientProvidedHostHeader: S },
    insightDetails: 'free',
  },
  'k8s-audit': {
    kind: S,
    apiVersion: S,
    level: S,
    auditID: S,
    stage: S,
    requestURI: S,
    verb: S,
    user,
    impersonatedUser: user,
    sourceIPs: { items: S },
    userAgent: S,
    objectRef: {
      resource: S,
      namespace: S,
      name: S,
      uid: S,
      apiGroup: S,
      apiVersion: S,
      resourceVersion: S,
      subresource: S,
    },
    responseStatus: { metadata: 'free', status: S, message: S, reason: S, details: 'free', code: 'number' },
    requestObject: 'free',
    responseObject: 'free',
    requestReceivedTimestamp: S,
    stageTimestamp: S,
    annotations: 'free',
  },
};

const SOURCE_NAME: Record<SigmaTarget, string> = { cloudtrail: 'CloudTrail records', 'k8s-audit': 'audit events' };

type Found = { leaf: Leaf | 'object' } | { missing: string };

/** Where `field` lands in the shape; a key under a `free` object is always possible. */
function locate(shape: { [key: string]: Shape }, field: string): Found {
  let cur: Shape = shape;
  const segs = field.split('.');
  for (let i = 0; i < segs.length; i++) {
    while (typeof cur === 'object' && 'items' in cur && Object.keys(cur).length === 1) cur = cur.items;
    if (cur === 'free') return { leaf: 'free' };
    if (typeof cur !== 'object') return { missing: segs.slice(0, i + 1).join('.') };
    const next: Shape | undefined = Object.prototype.hasOwnProperty.call(cur, segs[i]!)
      ? (cur as Record<string, Shape>)[segs[i]!]
      : undefined;
    if (next === undefined) return { missing: segs.slice(0, i + 1).join('.') };
    cur = next;
  }
  while (typeof cur === 'object' && 'items' in cur && Object.keys(cur).length === 1) cur = cur.items;
  return { leaf: typeof cur === 'object' ? 'object' : cur };
}

/** Top-level objects holding a key named `name` (for "did you mean objectRef.apiGroup"). */
function nestedHomes(shape: { [key: string]: Shape }, name: string): string[] {
  return Object.entries(shape)
    .filter(([, s]) => typeof s === 'object' && !('items' in s) && Object.prototype.hasOwnProperty.call(s, name))
    .map(([k]) => `${k}.${name}`);
}

const STRING_MODS = ['contains', 'startswith', 'endswith', 're', 'cidr'];

/**
 * The warnings for one `field|mods: values` entry of search identifier `search`. `bareInBody` is
 * true where the logsource looks a bare unknown name up inside the request body (audit rules).
 */
export function fieldWarnings(
  target: SigmaTarget,
  search: string,
  spec: string,
  raw: unknown,
  bareInBody: boolean,
): string[] {
  const [field = '', ...mods] = spec.split('|');
  const shape = SHAPES[target];
  const where = SOURCE_NAME[target];
  const values = (Array.isArray(raw) ? raw : [raw]) as unknown[];
  const out: string[] = [];
  const check = (f: string): void => {
    const at = locate(shape, f);
    if ('missing' in at) {
      const homes = nestedHomes(shape, f);
      const hint = homes.length ? ` (${homes.join(', ')} is)` : '';
      if (bareInBody && !f.includes('.') && homes.includes(`objectRef.${f}`))
        out.push(`"${f}" in "${search}" is not an audit event field: read as objectRef.${f}`);
      else if (bareInBody && !f.includes('.'))
        out.push(`"${f}" in "${search}" is not an audit event field: looked up by name inside requestObject`);
      else out.push(`"${f}" in "${search}" is not a field of ${where}${hint}: that part never matches`);
      return;
    }
    if (mods.includes('exists') || mods.includes('fieldref')) return;
    if (at.leaf === 'number' && !mods.includes('re')) {
      const bad = values.filter((v) => typeof v === 'string' && /[A-Za-z]/.test(v));
      if (bad.length)
        out.push(
          `"${f}" in "${search}" holds a number in ${where}: ${bad.map((v) => JSON.stringify(v)).join(', ')} never matches`,
        );
    }
    if ((at.leaf === 'object' || (at.leaf === 'free' && !f.includes('.'))) && values.some((v) => v !== null))
      out.push(`"${f}" in "${search}" is an object in ${where}: each value inside it is tested`);
    if (target === 'cloudtrail' && f === 'errorCode') {
      const never = values.filter(
        (v) => typeof v === 'string' && /^(success|null)$/i.test(v) && !STRING_MODS.some((m) => mods.includes(m)),
      );
      if (never.length)
        out.push(
          `"errorCode" in "${search}": ${never.map((v) => JSON.stringify(v)).join(', ')} never matches (a successful call has no errorCode; null matches that)`,
        );
    }
  };
  check(field);
  if (mods.includes('fieldref')) for (const v of values) if (typeof v === 'string') check(v);
  return out;
}
