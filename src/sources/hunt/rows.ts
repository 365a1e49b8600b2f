// A hunt's result rows → IncidentEvents through the CloudTrail normaliser, so a hunted event is the
// same event (same eventKey) as the one LookupEvents or an import brings, and the detection rules
// read it the same way. Every value is attacker-influenced (user agents, ARNs of forged requests,
// request parameters), so the row is read as a Map (no `__proto__` key reaches an object), each
// field keeps only its documented type, and a row the normaliser refuses is a problem with the
// reason, never a half event.

import type { IncidentEvent } from '../../domain/event.js';
import { normaliseCloudTrailRecord } from '../cloudtrail/normalise.js';

/** One result row, column name → value, as either engine returns it (all values are text). */
export type HuntRow = ReadonlyMap<string, string>;

/** The longest request-parameters text parsed into the record (longer is left out, with a warning). */
export const MAX_PARAMS_CHARS = 256 * 1024;

/** Column spellings → the CloudTrail record's field (compared lower-case, without `_`). */
const TOP: Record<string, string> = {
  eventid: 'eventID',
  eventtime: 'eventTime',
  eventsource: 'eventSource',
  eventname: 'eventName',
  awsregion: 'awsRegion',
  sourceipaddress: 'sourceIPAddress',
  useragent: 'userAgent',
  errorcode: 'errorCode',
  recipientaccountid: 'recipientAccountId',
  eventcategory: 'eventCategory',
  eventtype: 'eventType',
};

const IDENTITY: Record<string, string> = {
  identitytype: 'type',
  identityarn: 'arn',
  identityaccesskeyid: 'accessKeyId',
  identityprincipalid: 'principalId',
  identityaccountid: 'accountId',
  identityusername: 'userName',
  // A dotted column selected without an alias is named by its last part.
  arn: 'arn',
  accesskeyid: 'accessKeyId',
  principalid: 'principalId',
  username: 'userName',
};

/** Lake prints `2026-04-20 12:00:00.000` (UTC); Athena's column holds CloudTrail's ISO text. */
export function huntTime(v: string): string | undefined {
  const t = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) return undefined;
  const iso = t.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The CloudTrail record a row stands for (only the fields the row has). */
export function rowRecord(row: HuntRow): { record: Record<string, unknown>; warnings: string[] } {
  const record: Record<string, unknown> = {};
  const identity: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [col, value] of row) {
    if (typeof value !== 'string') continue;
    const k = col.toLowerCase().replace(/_/g, '');
    if (Object.hasOwn(TOP, k)) {
      const field = TOP[k]!;
      if (field === 'eventTime') {
        const t = huntTime(value);
        record.eventTime = t ?? value;
      } else record[field] = value;
    } else if (Object.hasOwn(IDENTITY, k)) identity[IDENTITY[k]!] = value;
    else if (k === 'readonly') {
      if (value === 'true' || value === 'false') record.readOnly = value === 'true';
    } else if (k === 'requestparameters') {
      if (value.length > MAX_PARAMS_CHARS)
        warnings.push(`requestParameters over ${MAX_PARAMS_CHARS} characters left out`);
      else {
        try {
          const p = JSON.parse(value) as unknown;
          if (p && typeof p === 'object' && !Array.isArray(p)) record.requestParameters = p;
        } catch {
          warnings.push('requestParameters is not JSON: left out');
        }
      }
    }
  }
  if (Object.keys(identity).length) record.userIdentity = identity;
  return { record, warnings };
}

export interface RowsResult {
  events: IncidentEvent[];
  /** Rows that did not make an event, with why (`row N: …`). */
  problems: string[];
}

/** Result rows → events; `firstRow` numbers the rows across pages for the problems. */
export function rowsToEvents(rows: readonly HuntRow[], discoveredAt: string, firstRow = 1): RowsResult {
  const events: IncidentEvent[] = [];
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const { record, warnings } = rowRecord(row);
    const r = normaliseCloudTrailRecord(record, discoveredAt);
    if (!r.ok) problems.push(`row ${firstRow + i}: ${r.reason}`);
    else
      events.push(
        warnings.length ? { ...r.event, warnings: [...(r.event.warnings ?? []), ...warnings].slice(0, 10) } : r.event,
      );
  });
  return { events, problems };
}
