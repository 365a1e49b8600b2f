// Athena's view of a CloudTrail trail: the table AWS documents for CloudTrail logs
// (https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html), whose columns are the
// record's field names in lower case, with userIdentity and resources as structs and
// requestParameters, responseElements and additionalEventData kept as JSON strings. The records
// come from the simulated CloudTrail (the same events LookupEvents and Lake answer with).

export interface AthenaTableSeed {
  database: string;
  table: string;
  /** Default AwsDataCatalog. */
  catalog?: string;
}

export interface AthenaSeed {
  /** Default one table, cloudtrail.cloudtrail_logs (DEFAULT_ATHENA_TABLE). */
  tables?: AthenaTableSeed[];
  /** Work groups and their result location; default `primary` with one. */
  workGroups?: Record<string, { outputLocation?: string }>;
}

export const DEFAULT_ATHENA_TABLE: Required<AthenaTableSeed> = {
  database: 'cloudtrail',
  table: 'cloudtrail_logs',
  catalog: 'AwsDataCatalog',
};

/** The table's columns for `SELECT *`, in the documented CREATE TABLE's order. */
export const ATHENA_CLOUDTRAIL_COLUMNS = [
  'eventversion',
  'useridentity',
  'eventtime',
  'eventsource',
  'eventname',
  'awsregion',
  'sourceipaddress',
  'useragent',
  'errorcode',
  'errormessage',
  'requestparameters',
  'responseelements',
  'additionaleventdata',
  'requestid',
  'eventid',
  'resources',
  'eventtype',
  'apiversion',
  'readonly',
  'recipientaccountid',
  'serviceeventdetails',
  'sharedeventid',
  'vpcendpointid',
];

/** Columns the table declares STRING although CloudTrail writes JSON objects into them. */
const JSON_STRING_COLUMNS = new Set([
  'requestparameters',
  'responseelements',
  'additionaleventdata',
  'serviceeventdetails',
]);

/** One CloudTrail record as a row of the Athena table: lower-case columns, JSON kept as text. */
export function athenaRow(rec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    const col = k.toLowerCase();
    if (JSON_STRING_COLUMNS.has(col)) out[col] = v === null || v === undefined ? null : JSON.stringify(v);
    else if (typeof v === 'boolean') out[col] = String(v);
    else out[col] = v;
  }
  return out;
}

export class AthenaModel {
  readonly tables: Required<AthenaTableSeed>[];
  readonly workGroups: Record<string, { outputLocation?: string }>;

  constructor(
    seed: AthenaSeed,
    private readonly records: () => Record<string, unknown>[],
  ) {
    this.tables = (seed.tables ?? [DEFAULT_ATHENA_TABLE]).map((t) => ({ catalog: 'AwsDataCatalog', ...t }));
    this.workGroups = seed.workGroups ?? { primary: { outputLocation: 's3://aws-athena-query-results-sim/' } };
  }

  /** The rows of `database.table` in `catalog`, or undefined when the catalog has no such table. */
  rows(catalog: string, database: string, table: string): Record<string, unknown>[] | undefined {
    const t = this.tables.find(
      (x) =>
        x.catalog.toLowerCase() === catalog.toLowerCase() &&
        x.database.toLowerCase() === database.toLowerCase() &&
        x.table.toLowerCase() === table.toLowerCase(),
    );
    return t ? this.records().map(athenaRow) : undefined;
  }
}
