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

/** Kinds that live in an AWS account, and kinds that live in a Kubernetes cluster. */
export const AWS_KINDS: ReadonlySet<TargetKind> = new Set(['iam-role', 'access-key', 'iam-user', 'instance', 'bucket']);
export const KUBE_KINDS: ReadonlySet<TargetKind> = new Set(['pod', 'namespace', 'node']);

/** `kind:id@where` as `:act` takes it back (splitWhere's inverse). */
export function withWhere(t: { kind: string; id: string; account?: string; cluster?: string }): string {
  const where = t.account ?? t.cluster;
  return `${t.kind}:${t.id}${where ? `@${where}` : ''}`;
}

/**
 * Splits `:act`'s `ID@WHERE` into the id and the account (AWS kinds: twelve digits) or cluster
 * (Kubernetes kinds) it is in. An IAM user name may hold `@` (alice@example.com), so only a
 * trailing `@` + account id counts there; Kubernetes names never hold `@` (DNS labels).
 */
export function splitWhere(kind: TargetKind, text: string): { id: string; account?: string; cluster?: string } {
  const at = text.lastIndexOf('@');
  if (at <= 0) return { id: text };
  const id = text.slice(0, at);
  const where = text.slice(at + 1);
  if (AWS_KINDS.has(kind) && /^\d{12}$/.test(where)) return { id, account: where };
  if (KUBE_KINDS.has(kind) && where.length > 0) return { id, cluster: where };
  return { id: text };
}
