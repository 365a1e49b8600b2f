// What an action can act on, as a closed list: the journal's target schema (src/journal/records.ts),
// the action table, the actions pane and the palette's `act <id> <kind:id>` all take their kinds
// from here, so a kind that no action knows cannot be journaled or typed in.

export const TARGET_KINDS = [
  'iam-role',
  'access-key',
  'iam-user',
  'instance',
  'bucket',
  'pod',
  'namespace',
  'node',
  'evidence',
  'vault-prefix',
] as const;

export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * How the manual and the cockpit name each kind. 'evidence': an evidence record (id EV-001, label =
 * its file path), for uploading it to the Object Lock bucket. 'vault-prefix': a Vault lease prefix
 * such as aws/creds/prod-db-reader.
 */
export const TARGET_KIND_NAMES: { readonly [K in TargetKind]: string } = {
  'iam-role': 'IAM role',
  'access-key': 'access key',
  'iam-user': 'IAM user',
  instance: 'EC2 instance',
  bucket: 'S3 bucket',
  pod: 'pod',
  namespace: 'namespace',
  node: 'node',
  evidence: 'evidence file',
  'vault-prefix': 'Vault lease prefix',
};

export function isTargetKind(x: string): x is TargetKind {
  return (TARGET_KINDS as readonly string[]).includes(x);
}
