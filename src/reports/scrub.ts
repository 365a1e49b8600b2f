// The customer draft's scrubber: what leaves the company carries no indicators (IPs, hosts,
// hashes), no credentials or key ids, no ARNs or account ids, and no internal names (roles,
// buckets, pods, people, the codename). Each is replaced by a generic phrase ("an internal role",
// "a storage bucket"), so the sentence still reads and the customer learns what kind of thing was
// affected without learning what to attack next. Patterns first (they see whole identifiers),
// then the names the journal knows, then anything still shaped like an identifier: a scrubber that
// only knew patterns would let "prod-data" through. Over-scrubbing prose is the safe failure; a
// person edits the draft before it is sent.

const KIND_NOUN: Record<string, string> = {
  'iam-role': 'an internal role',
  role: 'an internal role',
  identity: 'an internal identity',
  'access-key': 'a credential',
  'iam-user': 'a user account',
  instance: 'a server',
  node: 'a server',
  bucket: 'a storage bucket',
  pod: 'a workload',
  namespace: 'an environment',
  scope: 'an environment',
  ip: 'an IP address',
  person: 'a member of our team',
  codename: 'the incident',
  path: 'a file',
  resource: 'a system',
};

export function kindNoun(kind: string): string {
  return KIND_NOUN[kind] ?? 'an internal system';
}

const ARN = /arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:\d{0,12}:[^\s"'`,;()<>]+/gi;

function arnNoun(arn: string): string {
  const [, , service = '', , , ...rest] = arn.split(':');
  const res = rest.join(':');
  if (service === 's3') return 'a storage bucket';
  if ((service === 'iam' || service === 'sts') && /^(role|assumed-role)\//.test(res)) return 'an internal role';
  if (service === 'iam' && res.startsWith('user/')) return 'a user account';
  if (service === 'ec2' && res.startsWith('instance/')) return 'a server';
  if (service === 'eks') return 'a cluster';
  return 'a cloud resource';
}

// ARN resource-type words: structure, not names.
const ARN_WORDS = new Set([
  'role',
  'assumed-role',
  'user',
  'group',
  'policy',
  'instance',
  'volume',
  'snapshot',
  'cluster',
  'key',
  'secret',
  'function',
  'table',
  'service-role',
  'aws-service-role',
]);

/** Names an ARN carries, with what they name ("ci-deployer" in …:role/ci-deployer, "prod-data" in arn:aws:s3:::prod-data/x). */
function namesInArns(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of text.matchAll(ARN)) {
    const noun = arnNoun(m[0]);
    const segs = m[0].split(':').slice(5).join(':').split(/[/:]/);
    segs.forEach((seg, i) => {
      if (seg.length < 3 || ARN_WORDS.has(seg.toLowerCase())) return;
      // In S3 the first segment is the bucket and the rest an object key.
      out.push([seg, noun === 'a storage bucket' && i > 0 ? 'a file' : noun]);
    });
  }
  return out;
}

const PATTERNS: [RegExp, string | ((m: string) => string)][] = [
  [/\[REDACTED:[^\]]*\]/g, 'a credential'],
  [ARN, arnNoun],
  [/\bs3:\/\/[^\s"'`<>]+/gi, 'a storage bucket'],
  [/\bhttps?:\/\/[^\s"'`<>]+/gi, 'a web address'],
  [/-----BEGIN [^-]*-----[\s\S]*?(?:-----END [^-]*-----|$)/g, 'a credential'],
  [/\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA|APKA|ABIA|ACCA)[A-Z0-9]{12,20}\b/g, 'a credential'],
  [/\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){0,2}/g, 'a credential'],
  [/[A-Za-z0-9+/]{32,}={0,2}/g, 'a credential'],
  [/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, 'a member of our team'],
  [
    /\b(?:i|sg|vol|snap|vpc|subnet|eni|ami|igw|nat|rtb|acl|eipalloc|lt)-[0-9a-f]{8,17}\b/g,
    (m) => (m.startsWith('i-') ? 'a server' : 'a cloud resource'),
  ],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, 'a record'],
  [/\b[0-9a-f]{16,}\b/gi, 'a fingerprint'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2}|:\d{1,5})?\b/g, 'an IP address'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?:\/\d{1,3})?(?![\w:])/gi, 'an IP address'],
  [
    /(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?:\/\d{1,3})?(?![\w:])/gi,
    'an IP address',
  ],
  [/\b\d{12}\b/g, 'an account'],
  [/\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}\b/gi, 'an internet host'],
];

// Hyphenated English a customer update may well use: not identifiers.
const PROSE = new Set(
  'follow-up read-only write-once third-party multi-factor two-factor end-to-end long-term short-term real-time up-to-date well-known day-to-day non-production pre-authorised step-by-step in-place self-service e-mail high-severity low-severity so-called check-in sign-in log-in built-in opt-in'.split(
    ' ',
  ),
);

function looksInternal(token: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(token) || /^\d{1,2}:\d{2}(:\d{2})?$/.test(token)) return false;
  if (/[_/\\:@]/.test(token)) return true;
  if (token.includes('-')) return !PROSE.has(token.toLowerCase()) && !/^\d+(-\d+)*$/.test(token);
  return /\d/.test(token) && /[A-Za-z]/.test(token) && !/^\d+(st|nd|rd|th|h|s|min|am|pm|d)$/i.test(token);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Scrubber {
  (text: string): string;
}

/**
 * A scrubber for the customer draft. `names` are the internal names the journal knows (with their
 * kind, for the generic phrase); `seen` is every text the draft will draw on, so the names inside
 * ARNs anywhere in the incident are known before any one text is scrubbed.
 */
export function customerScrubber(
  names: readonly { name: string; kind: string }[],
  seen: readonly string[] = [],
): Scrubber {
  const byName = new Map<string, string>();
  for (const t of [...seen, ...names.map((n) => n.name)])
    for (const [n, noun] of namesInArns(t)) if (!byName.has(n)) byName.set(n, noun);
  for (const n of names) if (!ARN.test(n.name)) byName.set(n.name, kindNoun(n.kind));
  ARN.lastIndex = 0;
  const known = [...byName.entries()].filter(([n]) => n.length >= 3).sort((a, b) => b[0].length - a[0].length);
  const knownRe = known.length
    ? new RegExp(`(?<![A-Za-z0-9])(?:${known.map(([n]) => escapeRe(n)).join('|')})(?![A-Za-z0-9])`, 'gi')
    : undefined;
  const nounOf = new Map(known.map(([n, k]) => [n.toLowerCase(), k]));
  return (text) => {
    let out = text;
    for (const [re, rep] of PATTERNS) out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep);
    if (knownRe) out = out.replace(knownRe, (m) => nounOf.get(m.toLowerCase()) ?? 'an internal system');
    out = out.replace(/(?<![\w./:@\\-])[A-Za-z0-9][\w./:@\\-]*[A-Za-z0-9](?![\w-])/g, (m) =>
      looksInternal(m) ? 'an internal system' : m,
    );
    // "a storage bucket/a file" and the like read as one thing.
    return out.replace(/\b(an? [a-z ]+?|the incident)([/:]\s*(an? [a-z ]+?|the incident))+\b(?=[\s.,;)]|$)/g, '$1');
  };
}
