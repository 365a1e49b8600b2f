// CloudTrail's event history, for the simulated CloudTrail: seeded events (a drill scenario writes
// them), the lookup attributes LookupEvents filters on with their defaults, and a minimal valid
// CloudTrail record for an event seeded without one.

/** One seeded event, as plain data (a drill scenario writes these). */
export interface CloudTrailSeedEvent {
  eventId: string;
  /** ISO-8601 UTC, or epoch ms. */
  eventTime: string | number;
  eventName: string;
  eventSource?: string;
  /** What LookupEvents calls `Username`: the IAM user name, or the role SESSION name for assumed roles. */
  username?: string;
  accessKeyId?: string;
  readOnly?: boolean;
  resources?: { type: string; name: string }[];
  /**
   * The `CloudTrailEvent` string exactly as sent. Undefined: built from the fields above.
   * Null: the item is sent without one (the API documents every member as optional).
   */
  cloudTrailEvent?: string | null;
}

export interface CloudTrailSeed {
  events?: CloudTrailSeedEvent[];
  account?: string;
  region?: string;
  /** CloudTrail Lake's event data store ids (the query's FROM name); default one, DEFAULT_EVENT_DATA_STORE. */
  eventDataStores?: string[];
}

/** The event data store a seed without its own holds (an id in the shape Lake gives them). */
export const DEFAULT_EVENT_DATA_STORE = 'a1b2c3d4-5678-90ab-cdef-0000000e0d51';

export interface StoredEvent {
  seed: CloudTrailSeedEvent;
  /** Epoch ms. */
  time: number;
}

/** The attribute keys the API accepts (API_LookupAttribute). */
export const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

export class CloudTrailModel {
  protected readonly stored: StoredEvent[] = [];
  protected readonly account: string;
  protected readonly region: string;

  constructor(seed: CloudTrailSeed = {}) {
    this.account = seed.account ?? '123456789012';
    this.region = seed.region ?? 'us-east-1';
    for (const e of seed.events ?? []) this.add(e);
  }

  /** Adds an event at any time (an old time models CloudTrail's late delivery). */
  add(e: CloudTrailSeedEvent): void {
    const time = typeof e.eventTime === 'number' ? e.eventTime : Date.parse(e.eventTime);
    if (!Number.isFinite(time)) throw new Error(`seed event ${e.eventId}: bad eventTime ${String(e.eventTime)}`);
    this.stored.push({ seed: e, time });
  }

  /** Removes every event (a drill reset). */
  clear(): void {
    this.stored.length = 0;
  }

  /** The stored events in [start, end] (epoch ms) that pass one lookup attribute, newest first. */
  events(start: number, end: number, attr?: { key: string; value: string }): StoredEvent[] {
    return this.stored
      .filter((e) => e.time >= start && e.time <= end && (!attr || matchesAttribute(e.seed, attr.key, attr.value)))
      .sort((a, b) => b.time - a.time);
  }

  /**
   * Every stored event as the CloudTrail record a trail would deliver (what Lake and Athena
   * query): the seeded CloudTrailEvent when it is a JSON object, else the minimal record.
   */
  records(): Record<string, unknown>[] {
    return [...this.stored]
      .sort((a, b) => a.time - b.time)
      .map((e) => {
        const raw = e.seed.cloudTrailEvent;
        if (typeof raw === 'string') {
          try {
            const r = JSON.parse(raw) as unknown;
            if (r && typeof r === 'object' && !Array.isArray(r)) return r as Record<string, unknown>;
          } catch {
            // A seeded string that is not JSON: the trail would hold the minimal record.
          }
        }
        return this.record(e);
      });
  }

  /** A minimal but valid CloudTrail record for a seed event without its own. */
  protected record(e: StoredEvent): Record<string, unknown> {
    const s = e.seed;
    return {
      eventVersion: '1.11',
      userIdentity: {
        type: 'IAMUser',
        arn: `arn:aws:iam::${this.account}:user/${s.username ?? 'alice'}`,
        accountId: this.account,
        ...(s.accessKeyId ? { accessKeyId: s.accessKeyId } : {}),
      },
      eventTime: new Date(e.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: s.eventSource ?? 'ec2.amazonaws.com',
      eventName: s.eventName,
      awsRegion: this.region,
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.30',
      requestParameters: null,
      responseElements: null,
      eventID: s.eventId,
      readOnly: s.readOnly ?? true,
      eventType: 'AwsApiCall',
      recipientAccountId: this.account,
    };
  }
}

/** Whether an event passes one LookupEvents attribute (AttributeKey = value). */
export function matchesAttribute(s: CloudTrailSeedEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventId':
      return s.eventId === value;
    case 'EventName':
      return s.eventName === value;
    case 'ReadOnly':
      return String(s.readOnly ?? true) === value;
    case 'Username':
      return (s.username ?? 'alice') === value;
    case 'EventSource':
      return (s.eventSource ?? 'ec2.amazonaws.com') === value;
    case 'AccessKeyId':
      return s.accessKeyId === value;
    case 'ResourceName':
      return (s.resources ?? []).some((r) => r.name === value);
    case 'ResourceType':
      return (s.resources ?? []).some((r) => r.type === value);
    default:
      return false;
  }
}
