// Ready-made hunts from a selection (an access key, a principal ARN, a role session, a source IP)
// and the SQL each engine runs for them. Nothing is filtered by account, Region or event category,
// so an organisation event data store or trail table answers across accounts and Regions, data
// events included. Every value reaches the SQL as a string literal with its quotes doubled
// (Trino's only escape: https://trino.io/docs/current/language/types.html#varchar), and
// identifiers are checked against the names AWS allows, so a hostile value never leaves its literal.

export type PivotKind = 'access-key' | 'principal' | 'session' | 'source-ip';

export interface Pivot {
  kind: PivotKind;
  value: string;
}

/** Epoch ms bounds; either may be absent (unbounded on that side). */
export interface HuntWindow {
  sinceMs?: number;
  untilMs?: number;
}

export class HuntQueryError extends Error {}

/** A SQL string literal: quotes doubled; control characters refused (no engine needs them in a value). */
export function sqlString(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new HuntQueryError(`a hunt value may not hold control characters`);
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * An event data store as Lake's FROM names it: the id, the ARN's last part. The API's pattern for
 * it: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetQueryResults.html
 */
export function eventDataStoreId(arnOrId: string): string {
  const id = arnOrId.includes('/') ? arnOrId.slice(arnOrId.lastIndexOf('/') + 1) : arnOrId;
  if (!/^[A-Za-z0-9._-]{3,256}$/.test(id))
    throw new HuntQueryError(`not an event data store ARN or id: ${JSON.stringify(arnOrId)}`);
  return id;
}

/** A Glue database or table name, double-quoted (Glue allows lower-case letters, digits and _). */
export function athenaIdentifier(name: string, what: string): string {
  if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) throw new HuntQueryError(`not a Glue ${what} name: ${JSON.stringify(name)}`);
  return `"${name.toLowerCase()}"`;
}

/** The time bounds as each engine compares them: Lake's timestamp text, Athena's ISO string column. */
function bound(ms: number, engine: 'lake' | 'athena'): string {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return sqlString(engine === 'lake' ? iso.replace('T', ' ').replace('Z', '') : iso);
}

const ROLE_SESSION = /^[\w+=,.@-]{2,64}$/;

function pivotWhere(p: Pivot, engine: 'lake' | 'athena'): string {
  const c = (lake: string) => (engine === 'lake' ? lake : lake.toLowerCase());
  // Not trimmed: a hunted value is matched exactly as it was logged (a forged one may hold a BOM).
  const v = p.value;
  if (!v.trim()) throw new HuntQueryError(`empty ${p.kind}`);
  switch (p.kind) {
    case 'access-key':
      return `${c('userIdentity.accessKeyId')} = ${sqlString(v)}`;
    case 'source-ip':
      return `${c('sourceIPAddress')} = ${sqlString(v)}`;
    case 'principal':
      // A role's ARN also finds its sessions: CloudTrail names the role as the session's issuer.
      return `(${c('userIdentity.arn')} = ${sqlString(v)} OR ${c('userIdentity.sessionContext.sessionIssuer.arn')} = ${sqlString(v)})`;
    case 'session':
      // RoleSessionName's own pattern (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
      // holds no % and no quote; its _ is LIKE's one-character wildcard, so a name with _ may
      // also find a session whose name differs there, never fewer.
      if (!ROLE_SESSION.test(v)) throw new HuntQueryError(`not a role session name: ${JSON.stringify(v)}`);
      return `${c('userIdentity.arn')} LIKE ${sqlString(`%:assumed-role/%/${v}`)}`;
  }
}

const LAKE_COLUMNS = [
  'eventID',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'readOnly',
  'recipientAccountId',
  'eventCategory',
  'userIdentity.type AS identityType',
  'userIdentity.arn AS identityArn',
  'userIdentity.accessKeyId AS identityAccessKeyId',
  'userIdentity.principalId AS identityPrincipalId',
  'userIdentity.accountId AS identityAccountId',
  'userIdentity.userName AS identityUserName',
];

const ATHENA_COLUMNS = [
  'eventid',
  'eventtime',
  'eventsource',
  'eventname',
  'awsregion',
  'sourceipaddress',
  'useragent',
  'errorcode',
  'readonly',
  'recipientaccountid',
  'requestparameters',
  'useridentity.type AS identity_type',
  'useridentity.arn AS identity_arn',
  'useridentity.accesskeyid AS identity_accesskeyid',
  'useridentity.principalid AS identity_principalid',
  'useridentity.accountid AS identity_accountid',
  'useridentity.username AS identity_username',
];

function where(p: Pivot, w: HuntWindow, engine: 'lake' | 'athena'): string {
  const t = engine === 'lake' ? 'eventTime' : 'eventtime';
  return [
    pivotWhere(p, engine),
    ...(w.sinceMs !== undefined ? [`${t} >= ${bound(w.sinceMs, engine)}`] : []),
    ...(w.untilMs !== undefined ? [`${t} <= ${bound(w.untilMs, engine)}`] : []),
  ].join(' AND ');
}

/** Everything the pivot did in the window, from a Lake event data store. */
export function lakeQuery(eventDataStore: string, p: Pivot, w: HuntWindow): string {
  return `SELECT ${LAKE_COLUMNS.join(', ')} FROM ${eventDataStoreId(eventDataStore)} WHERE ${where(p, w, 'lake')} ORDER BY eventTime`;
}

/** Everything the pivot did in the window, from Athena's CloudTrail table. */
export function athenaQuery(t: { database: string; table: string }, p: Pivot, w: HuntWindow): string {
  const from = `${athenaIdentifier(t.database, 'database')}.${athenaIdentifier(t.table, 'table')}`;
  return `SELECT ${ATHENA_COLUMNS.join(', ')} FROM ${from} WHERE ${where(p, w, 'athena')} ORDER BY eventtime`;
}

/** Whether free SQL bounds the event time at all (else the scan is the whole store). */
export function sqlHasTimeBound(sql: string): boolean {
  return /\bwhere\b[\s\S]*\beventtime\b\s*(>=|>|<=|<|between)/i.test(sql);
}
