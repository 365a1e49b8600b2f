import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactSecrets, redactText } from '../../../src/safety/redact.js';

// Deterministic corpus generator (mulberry32): failures reproduce exactly.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(0x5eed);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';
const pick = (alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

const gen = {
  accessKeyId: () => (rand() < 0.5 ? 'ASIA' : 'AKIA') + pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16),
  secretKey: () => pick(B64, 40),
  // Today's STS prefix and the two older `aws` families, as trufflehog matches them:
  // https://github.com/trufflesecurity/trufflehog/blob/main/pkg/detectors/aws/session_keys/sessionkey.go
  sessionToken: () =>
    [`IQoJb3JpZ2luX2Vj`, `FwoGZXIvYXdzE`, `AQoDYXdzE`][int(0, 2)] +
    pick(B64, int(200, 900)) +
    ['', '=', '=='][int(0, 2)],
  jwt: () => {
    const header = b64url(JSON.stringify({ alg: 'RS256', kid: pick(B64URL, 20) }));
    const payload = b64url(
      JSON.stringify({
        iss: 'https://kubernetes.default.svc.cluster.local',
        sub: `system:serviceaccount:ns-${pick(HEX, 4)}:sa`,
        exp: int(1e9, 2e9),
        'kubernetes.io': { pod: { name: `p-${pick(HEX, 6)}`, uid: uuid() } },
      }),
    );
    return `${header}.${payload}.${pick(B64URL, 342)}`;
  },
  pem: () => {
    const label = ['RSA ', 'EC ', 'OPENSSH ', '', 'ENCRYPTED '][int(0, 4)];
    const body = Array.from({ length: int(3, 12) }, () => pick(B64, 64)).join('\n');
    return `-----BEGIN ${label}PRIVATE KEY-----\n${body}\n-----END ${label}PRIVATE KEY-----`;
  },
  opaque: () => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-', int(20, 64)),
  bootstrap: () =>
    `${pick('abcdefghijklmnopqrstuvwxyz0123456789', 6)}.${pick('abcdefghijklmnopqrstuvwxyz0123456789', 16)}`,
  password: () => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^*()_+-=.~', int(14, 28)),
};
function uuid(): string {
  return `${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-a${pick(HEX, 3)}-${pick(HEX, 12)}`;
}
const sha1 = () => pick(HEX, 40);
const arn = () =>
  `arn:aws:iam::${pick('0123456789', 12)}:role/${['Admin', 'token-rotator', 'password-reset', 'ci'][int(0, 3)]}`;

type Case = { record: unknown; secrets: string[]; keep: string[] };

function assumeRole(): Case {
  const akid = gen.accessKeyId(),
    secret = gen.secretKey(),
    token = gen.sessionToken();
  const roleArn = arn(),
    eventId = uuid(),
    callerKey = gen.accessKeyId();
  return {
    record: {
      eventVersion: '1.08',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      eventID: eventId,
      userIdentity: { type: 'IAMUser', arn: roleArn, accessKeyId: callerKey },
      requestParameters: { roleArn, roleSessionName: 'sess', durationSeconds: 3600 },
      responseElements: {
        credentials: {
          accessKeyId: akid,
          secretAccessKey: secret,
          sessionToken: token,
          expiration: 'Jan 1, 2030 12:00:00 AM',
        },
        assumedRoleUser: { assumedRoleId: `AROA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}:sess`, arn: roleArn },
      },
    },
    secrets: [secret, token],
    keep: [akid, callerKey, roleArn, eventId],
  };
}

function cloudTrailFreeText(): Case {
  const secret = gen.secretKey(),
    token = gen.sessionToken(),
    akid = gen.accessKeyId(),
    digest = sha1();
  const sig = pick(HEX, 64),
    pw = gen.password(),
    urlToken = gen.sessionToken(),
    bareToken = gen.sessionToken();
  const cred = encodeURIComponent(`${akid}/20240101/us-east-1/s3/aws4_request`);
  const url =
    `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${cred}` +
    `&X-Amz-Security-Token=${encodeURIComponent(urlToken)}&X-Amz-Signature=${sig}`;
  return {
    record: {
      eventName: 'PutObject',
      additionalEventData: `client cached ${bareToken} (expired)`,
      errorMessage: `commit ${digest}: aws_secret_access_key = ${secret}\naws_session_token=${token}`,
      requestParameters: {
        note: `{"AccessKeyId": "${akid}", "SecretAccessKey": "${secret}"}`,
        url,
        cmd: `mysql --password=${pw} -h db`,
      },
    },
    secrets: [secret, token, sig, encodeURIComponent(urlToken), urlToken, pw, bareToken],
    keep: [akid, digest],
  };
}

function k8sSecret(): Case {
  const pw = gen.password(),
    pem = gen.pem(),
    sd = gen.opaque(),
    uid = uuid();
  const dockercfg = JSON.stringify({ auths: { 'registry.example': { auth: b64(`bot:${pw}`) } } });
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'db', namespace: 'prod', uid, resourceVersion: String(int(1, 9e6)) },
    data: { password: b64(pw), 'tls.key': b64(pem) },
    stringData: { 'api-url-token': sd },
  };
  const annotated = {
    ...secret,
    metadata: {
      ...secret.metadata,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(secret),
      },
    },
  };
  return {
    record: {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'RequestResponse',
      auditID: uuid(),
      verb: 'create',
      objectRef: { resource: 'secrets', namespace: 'prod', name: 'db' },
      requestObject: annotated,
      responseObject: {
        kind: 'SecretList',
        items: [{ metadata: { name: 'db', uid }, data: { '.dockerconfigjson': b64(dockercfg) } }],
      },
    },
    secrets: [b64(pw), b64(pem), sd, pw, b64(dockercfg)],
    keep: [uid],
  };
}

function k8sTokens(): Case {
  const jwt = gen.jwt(),
    freeJwt = gen.jwt(),
    pem = gen.pem(),
    bearer = gen.opaque(),
    boot = gen.bootstrap(),
    keyData = b64(gen.pem()),
    pw = gen.password();
  const basicCreds = b64(`admin:${pw}`),
    uid = uuid(),
    cert = b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
  return {
    record: {
      kind: 'Event',
      verb: 'create',
      auditID: uid,
      objectRef: { resource: 'tokenreviews', apiGroup: 'authentication.k8s.io' },
      requestObject: { kind: 'TokenReview', spec: { token: jwt } },
      headers: { Authorization: [`Bearer ${bearer}`] },
      message: `GET /api HTTP/1.1\r\nAuthorization: Basic ${basicCreds}\r\nUser-Agent: kubectl/v1.30.0`,
      note: `projected volume token ${freeJwt} mounted for pod`,
      configmap: {
        data: {
          'tls.key': pem,
          kubeconfig: `users:\n- name: admin\n  user:\n    token: ${boot}\n    client-key-data: ${keyData}\n    client-certificate-data: ${cert}\n`,
        },
      },
      env: [
        { name: 'DB_PASSWORD', value: pw },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
      log: `dial failed, retrying with Bearer ${bearer} from pod`,
    },
    secrets: [jwt, freeJwt, bearer, boot, keyData, pw, basicCreds, ...pem.split('\n').slice(1, -1)],
    keep: [uid, cert, 'debug'],
  };
}

// `kubectl apply` / `kubectl patch` on an existing Secret: the audit requestObject is a
// kind-less patch, recognisable only through objectRef.resource.
function k8sSecretPatch(): Case {
  const pw = gen.password(),
    pem = gen.pem(),
    uid = uuid();
  const merge = {
    data: { 'tls.key': b64(pem) },
    metadata: {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          kind: 'Secret',
          stringData: { 'db.conf': pw },
        }),
      },
    },
  };
  const json = [
    { op: 'replace', path: '/data/db.conf', value: b64(pw) },
    { op: 'add', path: '/metadata/labels/app', value: 'web' },
  ];
  return {
    record: [
      {
        kind: 'Event',
        auditID: uid,
        verb: 'patch',
        objectRef: { resource: 'secrets', name: 'db', uid },
        requestObject: merge,
      },
      { kind: 'Event', verb: 'patch', objectRef: { resource: 'secrets', name: 'db' }, requestObject: json },
    ],
    secrets: [b64(pem), pw, b64(pw)],
    keep: [uid, 'web', '/data/db.conf'],
  };
}

const KINDS = { assumeRole, cloudTrailFreeText, k8sSecret, k8sSecretPatch, k8sTokens };

describe('redactSecrets corpus', () => {
  for (const [name, make] of Object.entries(KINDS)) {
    it(`redacts 100% of 150 generated ${name} records and keeps identifiers`, () => {
      for (let i = 0; i < 150; i++) {
        const { record, secrets, keep } = make();
        const before = JSON.stringify(record);
        const out = JSON.stringify(redactSecrets(record));
        for (const s of secrets)
          expect(out.includes(s), `leaked ${s.slice(0, 24)}… in ${out.slice(0, 400)}`).toBe(false);
        for (const k of keep) expect(out).toContain(JSON.stringify(k).slice(1, -1));
        expect(out).toMatch(/\[REDACTED:[a-z0-9-]+:[0-9a-f]{8}\]/);
        expect(JSON.stringify(record)).toBe(before); // input not mutated
        expect(redactSecrets(redactSecrets(record))).toEqual(redactSecrets(record));
      }
    });
  }

  it('fingerprints the same secret identically wherever it is found', () => {
    const token = gen.sessionToken();
    const a = redactSecrets({ credentials: { sessionToken: token } });
    const b = redactText(`https://x/?X-Amz-Security-Token=${encodeURIComponent(token)}`);
    const c = redactText(`aws_session_token = ${token}`);
    const fp = a.credentials.sessionToken;
    expect(fp).toMatch(/^\[REDACTED:aws-session-token:[0-9a-f]{8}\]$/);
    expect(b.endsWith(fp)).toBe(true);
    expect(c.endsWith(fp)).toBe(true);
    expect(redactSecrets({ sessionToken: gen.sessionToken() }).sessionToken).not.toBe(fp);
  });

  it('keeps the auth scheme visible and correlates header fields with free text', () => {
    const tok = gen.opaque();
    const field = redactSecrets({ authorization: `Bearer ${tok}` }).authorization;
    expect(field.startsWith('Bearer [REDACTED:bearer:')).toBe(true);
    expect(redactText(`proxy said Bearer ${tok}`)).toBe(`proxy said ${field}`);
  });
});

describe('redactSecrets structure', () => {
  it('returns the same reference when nothing was redacted', () => {
    const rec = { a: 'plain', b: [1, { c: arn(), tokenIssueTime: 'x', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }], n: null };
    expect(redactSecrets(rec)).toBe(rec);
    const withSecret = { keep: { x: 1 }, hit: { password: 'hunter2-hunter2' } };
    const out = redactSecrets(withSecret);
    expect(out).not.toBe(withSecret);
    expect(out.keep).toBe(withSecret.keep); // unchanged subtrees are shared, copy-on-write
    expect(withSecret.hit.password).toBe('hunter2-hunter2');
  });

  it('matches exact normalized field names only', () => {
    const rec = {
      Token: 'a1',
      'X-Amz-Security-Token': 'a2',
      aws_secret_access_key: 'a3',
      'client-key-data': 'a4',
      Cookie: 'a5',
      API_KEY: 'a6',
      secret: 'a7',
      tokenIssueTime: 'k1',
      tokenExpiration: 'k2',
      accessKeyId: 'k3',
      secretName: 'k4',
      passwordLastUsed: 'k5',
      'client-certificate-data': 'k6',
      nextToken: 'k7',
    };
    const out = redactSecrets(rec) as Record<string, string>;
    for (const [k, v] of Object.entries(rec)) expect(out[k] === v, k).toBe(v.startsWith('k'));
  });

  it('walks objects under sensitive names instead of wiping references', () => {
    const pod = { spec: { volumes: [{ name: 'creds', secret: { secretName: 'db-creds' } }] } };
    expect(redactSecrets(pod)).toBe(pod);
  });

  it('copies __proto__ keys as data, never as a prototype', () => {
    const rec = JSON.parse('{"__proto__": {"password": "pw-1234567890"}, "x": 1}') as object;
    const out = redactSecrets(rec);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).not.toContain('pw-1234567890');
  });

  it('passes non-JSON values through untouched', () => {
    const d = new Date(0);
    expect(redactSecrets(d)).toBe(d);
    expect(redactSecrets(42)).toBe(42);
    expect(redactSecrets(null)).toBe(null);
  });
});

describe('redactText', () => {
  it('does not redact a bare SHA-1, an access key id, or prose', () => {
    for (const s of [
      'commit 3f786850e387550fdab836ed7e6dc881de23001b',
      'key AKIAIOSFODNN7EXAMPLE used',
      'Basic Instructions for operators',
      'The security token included in the request is invalid.',
      'ExpiredToken: The security token included in the request is expired',
      'bearer of bad news',
    ]) {
      expect(redactText(s)).toBe(s);
    }
  });

  it('redacts credentials in URLs', () => {
    expect(redactText('postgres://admin:s3cr3t-pw@db:5432/app')).toMatch(
      /^postgres:\/\/admin:\[REDACTED:password:[0-9a-f]{8}\]@db/,
    );
  });

  it('redacts a truncated PEM block to the end of the string', () => {
    const out = redactText('key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(out).not.toContain('MIIEvQ');
  });

  const fragment = fc.constantFrom(
    'password=',
    'token: ',
    '"SecretAccessKey": "',
    'Authorization: ',
    'Bearer ',
    'Basic ',
    'X-Amz-Signature=',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.',
    'IQoJb3JpZ2luX2Vj',
    'https://u:',
    '@h',
    '-----BEGIN PRIVATE KEY-----',
    '[REDACTED:token:',
    ']',
    ' ',
    '\n',
    '"',
    "'",
    ':',
    '=',
    '&',
    'client-key-data:',
  );
  const text = fc
    .array(
      fc.oneof(
        fragment,
        fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
        fc.stringMatching(/^[A-Za-z0-9+/]{40,140}$/),
      ),
      { maxLength: 12 },
    )
    .map((a) => a.join(''));

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(text, (s) => redactText(redactText(s)) === redactText(s)),
      { numRuns: 5000 },
    );
  });

  // ReDoS guard. Before look-behinds and scheme lengths were bounded, these ~200 kB strings
  // took 10-30 s each (quadratic rescans); linear code takes milliseconds. A sync test cannot
  // be interrupted by vitest's timeout, hence the (very generous) elapsed-time bound.
  it('stays linear on adversarial 200 kB inputs', () => {
    for (const junk of ['a-', '-token', 'abcdefghij-', 'x-']) {
      const started = performance.now();
      const out = redactText(`${junk.repeat(200_000 / junk.length)} token:hunter2-hunter2 https://u:pw-1234567@h`);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(out).not.toContain('hunter2');
      expect(out).not.toContain('pw-1234567');
    }
  });

  it('never redacts realistic non-secret strings', () => {
    const agents = [
      'aws-cli/2.15.0 Python/3.11.6 Linux/5.10.0 exe/x86_64.amzn.2 prompt/off command/sts.get-session-token',
      'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.15 lang/python#3.12',
      'kubectl/v1.30.0 (linux/amd64) kubernetes/7c48c2b',
      'console.amazonaws.com',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    ];
    const makers = [
      arn,
      uuid,
      sha1,
      () => pick(HEX, 64),
      gen.accessKeyId,
      () => String(int(1, 1e9)),
      () =>
        `arn:aws:secretsmanager:us-east-1:${pick('0123456789', 12)}:secret:prod/db-password-${pick(B64URL.slice(0, 62), 6)}`,
      () => `ip-10-0-${int(0, 255)}-${int(0, 255)}.ec2.internal`,
      () => `${pick('abcdefghij', 8)}.s3.us-west-2.amazonaws.com`,
      () => agents[int(0, agents.length - 1)] ?? '',
      () => `system:serviceaccount:kube-system:token-cleaner-${pick(HEX, 5)}`,
      () => `User: ${arn()} is not authorized to perform: secretsmanager:GetSecretValue on resource: db-password`,
      () => `{"tokenIssueTime":"2024-01-0${int(1, 9)}T00:00:00Z","accessKeyId":"${gen.accessKeyId()}"}`,
      () =>
        `secrets "db-password-${pick(HEX, 4)}" is forbidden: User "system:serviceaccount:default:x" cannot get resource "secrets"`,
      () => `sts:GetSessionToken iam:CreateAccessKey kms:GenerateDataKey ${uuid()}`,
    ];
    let redactions = 0;
    for (let i = 0; i < 4000; i++) {
      const s = makers[i % makers.length]?.() ?? '';
      if (redactText(s) !== s) (redactions++, expect.soft(redactText(s)).toBe(s));
    }
    expect(redactions).toBe(0);
  });
});

describe('redactText fixed point', () => {
  it('a bearer value ending at "password=" does not leave the session token after it for a second pass', () => {
    // fast-check found this: the first pass masked the bearer, which exposed a token boundary.
    const s =
      'Bearer 0+AaA0/00+a0A0//AaA/aA+a//+/+A/A/aA/+AA0password=/a++/a+A0Aa+A/+aaAAA+AAA+0/A0+0+0+/+a0a0IQoJb3JpZ2luX2Vj+/+AaA/+/0a/0a//a00/A/a0/0a0A+Aaa/+0Aa/Aa/A/';
    const once = redactText(s);
    expect(redactText(once)).toBe(once);
    expect(once).not.toContain('IQoJb3JpZ2luX2Vj');
  });
});
