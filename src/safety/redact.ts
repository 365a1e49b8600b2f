/**
 * Secret redaction: runs before every journal append and before rendering.
 * Attacker data carries live credentials: CloudTrail AssumeRole events hold
 * `responseElements.credentials.sessionToken`; Kubernetes audit at RequestResponse level
 * holds Secret bodies and TokenReview tokens. Kubernetes itself leaked bearer tokens into
 * logs (CVE-2019-11250, CVE-2020-8565) and docker config secrets (CVE-2020-8564).
 *
 * Two passes: a structural pass on field names anywhere in the JSON, then a pattern pass
 * over every remaining string: the token rules of secret-rules.ts (gitleaks and secretlint
 * preset-recommend formats, as data), plus context rules here that no token format covers —
 * headers, `key=value`, URL passwords, JWTs, PEM keys, STS session tokens, a bare AWS secret key
 * beside its key id, docker `auth`, and prose ("the password is …").
 * Secrets become `[REDACTED:<kind>:<fp>]`.
 * Access key IDs (AKIA/ASIA), ARNs, UIDs and digests are deliberately kept: they are the
 * identifiers investigators pivot on (trufflehog's own "Redacted" field is the key ID).
 */
import { createHash } from 'node:crypto';
import { ALL_KEYWORDS, SECRET_RULES } from './secret-rules.js';

const MARK = '[REDACTED:';

// Fingerprint = first 8 hex of SHA-256(label + secret), so the same secret correlates
// across records in a run. An HMAC keyed per session would also correlate, and it is
// stronger: with a public constant label, anyone holding the journal can confirm a GUESSED
// secret (a dictionary attack on weak passwords). We accept that because fingerprints must
// be deterministic for tests and replays, only 32 bits are exposed, and the AWS keys,
// session tokens and JWTs that dominate cannot be guessed.
const FP_LABEL = 'firebreak/redact/v1\u0000';

function mask(kind: string, secret: string): string {
  const fp = createHash('sha256').update(FP_LABEL).update(secret).digest('hex').slice(0, 8);
  return `${MARK}${kind}:${fp}]`;
}

// Exact field names after lower-casing and dropping `_`/`-`. Exact, so `tokenIssueTime`,
// `tokenExpiration`, `accessKeyId`, `passwordLastUsed` and `secretName` stay visible.
// Certificates (client-certificate-data) are public and kept.
const FIELD_KINDS = new Map<string, string>(
  Object.entries({
    'aws-secret-key': 'secretaccesskey awssecretaccesskey secretkey awssecretkey',
    'aws-session-token': 'sessiontoken awssessiontoken securitytoken xamzsecuritytoken',
    token: 'token accesstoken refreshtoken idtoken',
    password: 'password passwd newpassword oldpassword',
    secret: 'secret clientsecret secretstring secretbinary',
    'private-key': 'clientkeydata privatekey',
    authorization: 'authorization proxyauthorization bearer',
    cookie: 'cookie setcookie',
    'api-key': 'apikey',
  }).flatMap(([kind, names]) => names.split(' ').map((n) => [n, kind] as const)),
);

// Field names are few and repeat on every event; memoise, but bounded, since label and
// annotation keys are attacker-chosen.
const kindCache = new Map<string, string | null>();
function fieldKind(key: string): string | undefined {
  let kind = kindCache.get(key);
  if (kind === undefined) {
    kind = FIELD_KINDS.get(key.toLowerCase().replace(/[-_]/g, '')) ?? null;
    if (kindCache.size < 10_000) kindCache.set(key, kind);
  }
  return kind ?? undefined;
}

const SCHEME = /^(Bearer|Basic|Digest|Negotiate|NTLM|AWS4-HMAC-SHA256|Token)(\s+)([\s\S]+)$/i;

/** Mask one sensitive value; keeps an auth scheme visible so the same bearer token gets the
 * same fingerprint whether found in a header field or in free text. */
function maskValue(kind: string, s: string): string {
  if (s === '' || s.startsWith(MARK)) return s;
  if (kind === 'authorization') {
    const m = SCHEME.exec(s);
    if (m?.[1] && m[2] && m[3]) {
      if (m[3].startsWith(MARK)) return s;
      const scheme = m[1].toLowerCase();
      const k = scheme === 'bearer' || scheme === 'basic' ? scheme : kind;
      return m[1] + m[2] + mask(k, m[3]);
    }
  }
  return mask(kind, s);
}

// ---- pattern pass -------------------------------------------------------------------

// Not glued to an identifier, and not inside one of our own tokens (`[REDACTED:aws-session-
// token:…]` must not be re-matched as `token:…`, or redaction would not be idempotent).
// Bounded: an unbounded `[a-z0-9-]*` look-behind rescans `a-a-a-…` at every position,
// which made a 400 kB string take 90 s (quadratic). Kind labels are under 24 characters.
const FREE = '(?<![A-Za-z0-9])(?<!\\[REDACTED:[a-z0-9-]{0,24})';
// `"key": "`, `key=`, `key: '`, and JSON escaped one level deeper (`\"key\":\"`).
const SEP = '(\\\\?["\']?[ \\t]*[:=][ \\t]*\\\\?["\']?)';

const PEM = /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const HEADER = new RegExp(`${FREE}((?:proxy-)?authorization|(?:set-)?cookie)${SEP}([^\\r\\n"'\\\\]+)`, 'gi');
const PRESIGNED = /(X-Amz-(Signature|Credential|Security-Token)=)([^&\s"'<>#\\]+)/gi;
const PRESIGNED_KINDS: Record<string, string> = { signature: 'aws-signature', credential: 'aws-credential' };
const KV_NAMES = [
  'passphrase',
  '(?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key',
  '(?:aws[_-]?)?session[_-]?token',
  '(?:x[_-]?amz[_-]?)?security[_-]?token',
  'token',
  'pass(?:word|wd)',
  'client[_-]?key[_-]?data',
  'private[_-]?key',
  'api[_-]?key',
  'client[_-]?secret',
].join('|');
// A quoted value runs to its closing quote; a bare one to whitespace or JSON/query punctuation.
const KV = new RegExp(`${FREE}(${KV_NAMES})${SEP}(?:(?<=["'])([^"'\\r\\n\\\\]+)|([^\\s"',;&}\\]\\\\]+))`, 'gi');
const TRIVIAL = /^(?:null|true|false|none|undefined|\*+)$/i;
// The user may be empty (`redis://:pw@host`) and the password may hold `/` or `@`: it runs
// to the last `@` that is followed by a host.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/@:]{0,256}:)([^\s"']{1,256})(?=@[^\s@/?#"']+)/gi;
// Service-account tokens and OIDC tokens: base64url `{"` header, `{` payload, signature.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g;
// STS session tokens: long base64 carrying `origin_ec` (IQoJb3JpZ2luX2Vj…, today's
// prefix) or `aws` (FQoGZXIvYXdz…, AQoDYXdz…, older ones) — as trufflehog's AWS session-key detector
// does (https://github.com/trufflesecurity/trufflehog, pkg/detectors/aws).
// A token may follow `=` (`AWS_SESSION_TOKEN=IQoJ…`). The mark must open the run: `YXdz` is
// just "aws" in base64 and sits inside any base64 config blob that mentions aws.
const B64_RUN = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{100,}={0,2}/g;
const SESSION_MARK = /Jb3JpZ2luX2Vj|YXdz/;
const SESSION_START = /Jb3JpZ2luX2Vj|^(?:[FA][QwW]oGZXIvYXdz|AQoDYXdz)/; // `origin_ec` is specific enough anywhere
const BEARER = /(?<![A-Za-z0-9])(bearer)(\s+)([A-Za-z0-9._~+/-]{16,}=*)/gi;
const BASIC = /(?<![A-Za-z0-9])(basic)(\s+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=._-])/gi;
const WORD = /^[A-Z]?[a-z]+$/; // "Basic Instructions" is prose, not base64 credentials

// One cheap test before any replacement: almost every string in an event fails it. Every rule
// below needs one of these words (the token rules their keywords, gitleaks's prefilter), matched
// on the lower-cased string: a case-sensitive regex over it is ~30 % cheaper than an /i one.
// `auth` alone is not a trigger: CloudTrail's `AuthenticationMethod: "AuthHeader"` is on every S3
// data event, and only `authorization` and docker's `"auth"` need it.
const TRIGGER = new RegExp(
  [
    'private key|eyj|jb3jpz2lux2vj|yxdz|bearer|basic|x-amz-|pass|secret|token|key|authoriz|"auth|cookie|pw|:\\/\\/[^\\s@]{0,512}@',
    ...ALL_KEYWORDS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  ].join('|'),
);
const MIN_LEN = 7; // `token:x`, the shortest thing any rule can match
// A key id alone is kept (it is what investigators pivot on), so it triggers the full pass only
// when a secret key could sit beside it: id, one separator, 40 characters.
const PAIR_LEN = 61;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The pattern pass on one string. Context rules that take a whole value (PEM, headers,
 * `key=value`) run before content rules that may take only part of it, so a session token
 * is never half-masked by one rule and left half-visible by another.
 * A 40-character secret access key is only recognised after a key name: it cannot be told
 * from a SHA-1 (trufflehog can only because it verifies against STS, which we must not do).
 */
export function redactText(s: string): string {
  if (s.length < MIN_LEN) return s;
  if (!TRIGGER.test(s.toLowerCase()) && !(s.length >= PAIR_LEN && AKID.test(s))) return s;
  // A mask can open a boundary a pattern needed (a bearer value swallowing `password=` leaves a
  // session token after `]` that was glued to `=` before): run to a fixed point, so what is
  // written is exactly what a second redaction would leave (the journal's hash depends on it).
  // A pass that changed nothing is already that point.
  let out = redactPass(s);
  if (out === s) return s;
  for (let i = 0; i < 3; i++) {
    const again = redactPass(out);
    if (again === out) break;
    out = again;
  }
  return out;
}

// A bare AWS secret key (40 base64 characters) is only told apart from a SHA-1 or a random
// id by context: here, an access key id in the same string (`AKIA… wJalr…`, a pasted
// credentials line). All-hex runs are kept: those are digests and commit hashes.
const AKID = /(?<![A-Z0-9])A[KS]IA[A-Z2-7]{16}(?![A-Z0-9])/;
const AWS_SECRET = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
const HEXISH = /^(?:[0-9a-f]{40}|[0-9A-F]{40}|[A-Z0-9]{40}|[a-z]+|[A-Za-z]+)$/;
// `"auth": "dXNlcjpwYXNz"` in a docker config (`~/.docker/config.json`, .dockerconfigjson).
const DOCKER_AUTH = /(\\?"auth\\?"\s*:\s*\\?")([A-Za-z0-9+/]{8,}={0,2})/g;
function isDockerAuth(v: string): boolean {
  return Buffer.from(v, 'base64').toString('latin1').includes(':');
}
// Prose: "the leaked secret is X", "password is X", "db password X", "token was X".
const PROSE =
  /((?<![A-Za-z0-9_-])(?:password|passwd|passphrase|secret|token|pw|api key)(?: (?:is|was|were|=))?:? +(?:now +)?["'`]?)([^\s"'`]{6,128})/gi;
const PLAIN_WORD = /^[A-Za-z]+(?:-[a-z]+)*$/; // "bearer authentication", "bearer-token" are prose
const STOP = new Set([
  'required',
  'expired',
  'invalid',
  'missing',
  'incorrect',
  'rotated',
  'changed',
  'updated',
  'reset',
]);

/** A value that reads as a credential, not a word: mixed letters and digits/symbols, no
 * identifier shape investigators need (ARN, UUID, digest, key id). */
function secretish(v: string): boolean {
  if (v.length < 8 || STOP.has(v.toLowerCase()) || v.startsWith(MARK)) return false;
  if (/^[A-Za-z]+$/.test(v) || /^\d+$/.test(v) || /^(?:arn|sha256|sha1|https?):/i.test(v)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) || AKID.test(v)) return false;
  return /[A-Za-z]/.test(v) && /[^A-Za-z]/.test(v);
}

/** Provider token formats (secret-rules.ts), each rule run only when a keyword is present. */
function ruleTokens(s: string): string {
  let lower = s.toLowerCase();
  let out = s;
  for (const rule of SECRET_RULES) {
    if (!rule.keywords.some((k) => lower.includes(k))) continue;
    const next = out.replace(rule.re, (m: string, ...g: unknown[]) => {
      const head = typeof g[0] === 'string' && typeof g[1] === 'string' ? g[0] : undefined;
      const secret = head !== undefined ? (g[1] as string) : m;
      if (secret.startsWith(MARK)) return m;
      return head !== undefined ? head + mask(rule.kind, secret) : mask(rule.kind, secret);
    });
    if (next !== out) {
      out = next;
      lower = out.toLowerCase();
    }
  }
  return out;
}

function redactPass(s: string): string {
  let out = s;
  if (out.includes('PRIVATE KEY')) out = out.replace(PEM, (m) => mask('private-key', m));
  out = out.replace(HEADER, (_m, name: string, sep: string, val: string) => {
    const v = val.trimEnd();
    const kind = /cookie/i.test(name) ? 'cookie' : 'authorization';
    return name + sep + maskValue(kind, v) + val.slice(v.length);
  });
  out = out.replace(PRESIGNED, (m, prefix: string, which: string, val: string) => {
    const kind = PRESIGNED_KINDS[which.toLowerCase()] ?? 'aws-session-token';
    return val.startsWith(MARK) ? m : prefix + mask(kind, safeDecode(val));
  });
  out = out.replace(
    KV,
    (m, name: string, sep: string, quoted: string | undefined, bare: string | undefined, at: number, all: string) => {
      const val = quoted ?? bare ?? '';
      if (val.startsWith(MARK) || TRIVIAL.test(val)) return m;
      // "password: reset requested by …" is a sentence, not a value.
      if (
        bare !== undefined &&
        /^[A-Za-z]+$/.test(bare) &&
        /^ +[a-z]/.test(all.slice(at + m.length, at + m.length + 4))
      )
        return m;
      return name + sep + maskValue(fieldKind(name) ?? 'secret', val);
    },
  );
  if (out.includes('://')) {
    out = out.replace(URL_USERINFO, (m, head: string, pw: string) =>
      pw.startsWith(MARK) ? m : head + mask('password', safeDecode(pw)),
    );
  }
  if (out.includes('eyJ')) out = out.replace(JWT, (m) => mask('jwt', m));
  if (SESSION_MARK.test(out)) {
    out = out.replace(B64_RUN, (m) => (SESSION_START.test(m) ? mask('aws-session-token', m) : m));
  }
  out = out.replace(BEARER, (m, b: string, ws: string, tok: string) =>
    tok.startsWith(MARK) || PLAIN_WORD.test(tok) ? m : b + ws + mask('bearer', tok),
  );
  out = ruleTokens(out);
  if (AKID.test(out)) out = out.replace(AWS_SECRET, (m) => (HEXISH.test(m) ? m : mask('aws-secret-key', m)));
  if (out.includes('"auth')) {
    out = out.replace(DOCKER_AUTH, (m, head: string, v: string) =>
      isDockerAuth(v) ? head + mask('docker-auth', v) : m,
    );
  }
  out = out.replace(PROSE, (m, head: string, v: string) => {
    const val = v.replace(/[.,;:!?)]+$/, '');
    return val.startsWith(MARK) || !secretish(val) ? m : head + mask('password', val) + v.slice(val.length);
  });
  out = out.replace(BASIC, (m, b: string, ws: string, tok: string) =>
    tok.length % 4 !== 0 || WORD.test(tok) ? m : b + ws + mask('basic', tok),
  );
  return out;
}

// ---- structural pass ----------------------------------------------------------------

type Obj = Record<string, unknown>;

function isPlain(v: unknown): v is Obj {
  const proto: unknown = typeof v === 'object' && v !== null ? Object.getPrototypeOf(v) : undefined;
  return proto === Object.prototype || proto === null;
}

// Spread copies a JSON.parse'd own `__proto__` key as an own data property, so assigning
// to it later sets that field and never swaps the copy's prototype.
function cloneObject(o: Obj): Obj {
  return Object.getPrototypeOf(o) === null ? Object.assign(Object.create(null) as Obj, o) : { ...o };
}

/** Copy-on-write map over an array: the same array back when `f` changed nothing. */
function mapArray(a: unknown[], f: (v: unknown) => unknown): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const next = f(a[i]);
    if (next !== a[i]) (copy ??= a.slice())[i] = next;
  }
  return copy ?? a;
}

/** Copy-on-write map over an object's own enumerable fields. */
function mapObject(o: Obj, f: (v: unknown, k: string) => unknown): Obj {
  let copy: Obj | undefined;
  for (const k of Object.keys(o)) {
    const next = f(o[k], k);
    if (next !== o[k]) (copy ??= cloneObject(o))[k] = next;
  }
  return copy ?? o;
}

function maskField(kind: string, v: unknown): unknown {
  if (typeof v === 'string') return maskValue(kind, v);
  // Header maps log values as arrays (`Authorization: ["Bearer …"]`).
  if (Array.isArray(v)) return mapArray(v, (x) => (typeof x === 'string' ? maskValue(kind, x) : walk(x)));
  // Objects are walked, not wiped: a Pod's `volumes[].secret` is `{secretName}`, a
  // reference investigators need. Numbers and booleans are left as they are.
  return walk(v);
}

// Secret-looking names in {name, value} pairs: container env (`DB_PASSWORD`), ECS task
// definitions, CloudFormation parameters. Suffix match here, since these are free names.
const PAIR_KEYS = [
  ['name', 'value'],
  ['Name', 'Value'],
  ['parameterKey', 'parameterValue'],
  ['ParameterKey', 'ParameterValue'],
] as const;
const SECRET_SUFFIX = /(?:password|passwd|secret|token|apikey|secretkey|secretaccesskey|privatekey|clientkeydata)$/;

function secretPairValueKey(o: Obj): string | undefined {
  for (const [label, value] of PAIR_KEYS) {
    const l = o[label];
    if (
      typeof l === 'string' &&
      typeof o[value] === 'string' &&
      SECRET_SUFFIX.test(l.toLowerCase().replace(/[-_.]/g, ''))
    )
      return value;
  }
  return undefined;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
// JSON-patch ops that write Secret data (`kubectl patch --type=json`).
const SECRET_PATCH_PATH = /^\/(?:data|stringData)(?:\/|$)|last-applied-configuration$/;

function maskLeaves(v: unknown, kind: string): unknown {
  if (typeof v === 'string') return maskValue(kind, v);
  if (Array.isArray(v)) return mapArray(v, (x) => maskLeaves(x, kind));
  return isPlain(v) ? mapObject(v, (x) => maskLeaves(x, kind)) : v;
}

const isSecretsAudit = (o: Obj): boolean => isPlain(o.objectRef) && o.objectRef.resource === 'secrets';

function walkObject(o: Obj, asSecret: boolean): Obj {
  const special =
    asSecret ||
    o.kind === 'Secret' ||
    o.kind === 'SecretList' ||
    secretPairValueKey(o) !== undefined ||
    isSecretsAudit(o);
  let copy: Obj | undefined;
  for (const k of Object.keys(o)) {
    const v = o[k];
    const kind =
      k === 'auth' && typeof v === 'string' && isDockerAuth(v) && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(v)
        ? 'docker-auth'
        : fieldKind(k);
    // Plain loop on the hot path: this runs for every field of every ingested event.
    const next = kind !== undefined ? maskField(kind, v) : special ? walkSpecial(o, k, v, asSecret) : walk(v);
    if (next !== v) (copy ??= cloneObject(o))[k] = next;
  }
  return copy ?? o;
}

// A Secret's data/stringData values are all secret (keys kept). SecretList items carry no
// `kind`, so the list marks them; so do audit events on `secrets`, whose requestObject is
// often a kind-less patch (`kubectl apply` to an existing Secret sends one). `kubectl
// apply` also copies the whole Secret, data included, into the last-applied annotation.
function walkSpecial(o: Obj, k: string, v: unknown, asSecret: boolean): unknown {
  const isSecret = asSecret || o.kind === 'Secret';
  if (k === secretPairValueKey(o)) return maskValue('secret', v as string);
  if (isSecret && (k === 'data' || k === 'stringData')) return maskLeaves(v, 'k8s-secret');
  if (isSecret && k === 'metadata' && isPlain(v)) {
    return mapObject(v, (x, mk) =>
      mk === 'annotations' && isPlain(x)
        ? mapObject(x, (a, ak) => (ak === LAST_APPLIED ? maskLeaves(a, 'k8s-secret') : walk(a)))
        : walk(x),
    );
  }
  if (o.kind === 'SecretList' && k === 'items' && Array.isArray(v)) {
    return mapArray(v, (x) => (isPlain(x) ? walkObject(x, true) : walk(x)));
  }
  if ((k === 'requestObject' || k === 'responseObject') && isSecretsAudit(o)) {
    if (isPlain(v)) return walkObject(v, true);
    if (Array.isArray(v)) {
      return mapArray(v, (op) =>
        isPlain(op) && SECRET_PATCH_PATH.test(String(op.path))
          ? mapObject(op, (x, ok) => (ok === 'value' ? maskLeaves(x, 'k8s-secret') : walk(x)))
          : walk(op),
      );
    }
  }
  return walk(v);
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return mapArray(v, walk);
  if (isPlain(v)) return walkObject(v, false);
  return v; // numbers, booleans, null, Dates, Buffers, class instances
}

/**
 * Redact secrets anywhere in a JSON-like value: strings, arrays and plain objects.
 * Never mutates the input. Copy-on-write: returns the SAME reference when nothing was
 * redacted (so callers can skip work with `out === input`), and otherwise a copy in which
 * every object or array on a path to a redaction is new while unchanged subtrees are
 * shared with the input. Treat both as immutable. Idempotent.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value) as T;
}
