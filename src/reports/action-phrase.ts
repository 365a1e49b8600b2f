// An action as a report sentence says it: "Isolate instance i-0f9e8d7c6b5a43210", "Preserve
// CloudTrail for the window of role orders-api-prod". Derived from the catalog's own title
// (src/actions/meta.ts), so there is no second table to keep in step: the title loses what only
// the actions pane needs (the "(hashed evidence file)" detail, the "+ revoke sessions" rider), and
// the target's name takes the place of "the role" / "the pod" instead of being pasted after it —
// pasting gave "Deny all on the role on role orders-api-prod".

import type { ActionFact, TargetFact } from './facts.js';

/** What a title calls each kind of target ("the role", "the access key"). */
const NOUN: Record<string, string> = {
  'iam-role': 'role',
  role: 'role',
  'access-key': 'access key',
  'iam-user': 'user',
  instance: 'instance',
  bucket: 'bucket',
  pod: 'pod',
  namespace: 'namespace',
  node: 'node',
  evidence: 'evidence file',
  'vault-prefix': 'prefix',
};

/** The words a reader would call each kind by in front of its name ("role ci-deployer"). */
const NAMED: Record<string, string> = { ...NOUN, evidence: 'evidence', 'vault-prefix': 'Vault prefix' };

/** The catalog title without the pane's detail: no parentheses, no "+ …" rider, no ", …" tail. */
export function shortTitle(title: string): string {
  const s = title
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+\+\s.*$/, '')
    .replace(/,\s.*$/, '')
    .trim();
  return s || title;
}

/** A target as a sentence names it: "role ci-deployer", "instance i-0abc (build-runner-7)". */
export function targetName(t: Pick<TargetFact, 'kind' | 'id' | 'label'>): string {
  const called = NAMED[t.kind];
  if (t.kind === 'evidence' || t.kind === 'vault-prefix') return `${called} ${t.id}`;
  // "(signed this call)" is the events pane's note on why the key is offered, not its name.
  const label = (t.label || t.id).replace(/\s*\(signed this call\)$/, '').trim();
  if (!called || label.toLowerCase().startsWith(`${called.toLowerCase()} `)) return label;
  return `${called} ${label}`;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Isolate instance i-0abc", "Lift the quarantine on pod payments/api-7d9", "Snapshot every EBS volume for instance …". */
export function actionPhrase(a: Pick<ActionFact, 'title' | 'target'>): string {
  const s = shortTitle(a.title);
  const name = targetName(a.target);
  const noun = NOUN[a.target.kind];
  if (noun) {
    const n = esc(noun);
    // "Preserve CloudTrail for the role's window" → "… for the window of role X".
    const owned = new RegExp(`\\bthe ${n}'s (.+?)(?=( (?:at|on|in|under|for|to) )|$)`, 'i');
    if (owned.test(s)) return s.replace(owned, (_, what: string) => `the ${what} of ${name}`);
    // "Lift the pod quarantine" → "Lift the quarantine on pod X".
    const modifier = new RegExp(`\\bthe ${n} (\\w+)$`, 'i');
    if (modifier.test(s) && !/^(?:to|at|on|in|into|from|under|with)$/.test(modifier.exec(s)![1]!))
      return s.replace(modifier, (_, what: string) => `the ${what} on ${name}`);
    // "Isolate the instance" → "Isolate instance X"; "Upload the evidence file to …" → "Upload evidence EV-001 to …".
    const plain = new RegExp(`\\bthe ${n}(?=$|[,.;:]| (?:to|at|on|in|into|from|under|with) )`, 'i');
    if (plain.test(s)) return s.replace(plain, () => name);
    // "Capture pod evidence" → "Capture evidence from pod X".
    const bare = new RegExp(`^(\\w+) ${n} (\\w+)$`, 'i');
    if (bare.test(s)) return s.replace(bare, (_, verb: string, what: string) => `${verb} ${what} from ${name}`);
  }
  return `${s} for ${name}`;
}
