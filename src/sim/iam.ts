// A stateful IAM on 127.0.0.1 speaking the real query protocol (Version 2010-05-08), for drills and
// wire tests: the real @aws-sdk/client-iam talks to it unchanged. It holds roles and users with
// their inline policies, instance profiles and access keys, seeded from plain data so a drill
// scenario can populate it, and answers the calls the IAM containment actions make. Policy
// documents come back URL-encoded, as IAM returns them (GetRolePolicy / GetUserPolicy / GetRole).
// Service-linked roles refuse inline policies (UnmodifiableEntity), as AWS does.

import { QueryError, el, isoDate, listenQuery, members, required, type QueryService } from './aws-query.js';
import { SimRecorder, type RunningSim } from './http.js';

export interface IamKeySeed {
  id: string;
  status?: 'Active' | 'Inactive';
  createDate?: string;
  lastUsed?: { date: string; service: string; region: string };
}

export interface IamRoleSeed {
  name: string;
  /** '/aws-service-role/…/' makes it service-linked. */
  path?: string;
  serviceLinked?: boolean;
  /** Inline policies: name → JSON document. */
  policies?: Record<string, string>;
  instanceProfiles?: string[];
  /** The trust policy (JSON). */
  trust?: string;
  createDate?: string;
}

export interface IamUserSeed {
  name: string;
  path?: string;
  policies?: Record<string, string>;
  accessKeys?: IamKeySeed[];
  /** A console password (login profile) is set. */
  console?: boolean;
  createDate?: string;
}

export interface IamSeed {
  account: string;
  roles?: IamRoleSeed[];
  users?: IamUserSeed[];
}

export interface IamRole {
  name: string;
  id: string;
  path: string;
  serviceLinked: boolean;
  policies: Map<string, string>;
  instanceProfiles: string[];
  trust: string;
  createDate: string;
}

export interface IamKey {
  id: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  lastUsed?: { date: string; service: string; region: string };
}

export interface IamUser {
  name: string;
  id: string;
  path: string;
  policies: Map<string, string>;
  keys: IamKey[];
  console: boolean;
  createDate: string;
}

const EPOCH = '2024-01-15T09:00:00Z';
const SERVICE_ROLE = '/aws-service-role/';

function uniqueId(prefix: string, name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${prefix}${h.toString(36).toUpperCase().padStart(17, 'X')}`.slice(0, 21);
}

const DEFAULT_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Validates a policy document the way IAM would at the door (JSON with a Statement). */
function checkPolicy(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw new QueryError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed)) throw new QueryError(400, 'MalformedPolicyDocument', 'Policy document must contain a Statement.');
}

export class IamSim implements QueryService {
  readonly name = 'iam';
  readonly version = '2010-05-08';
  readonly xmlns = 'https://iam.amazonaws.com/doc/2010-05-08/';
  readonly account: string;
  readonly roles = new Map<string, IamRole>();
  readonly users = new Map<string, IamUser>();

  constructor(
    seed: IamSeed,
    readonly recorder: SimRecorder = new SimRecorder(),
  ) {
    this.account = seed.account;
    for (const r of seed.roles ?? []) {
      const path = r.path ?? (r.serviceLinked ? `${SERVICE_ROLE}${r.name.toLowerCase()}.amazonaws.com/` : '/');
      this.roles.set(r.name, {
        name: r.name,
        id: uniqueId('AROA', r.name),
        path,
        serviceLinked: r.serviceLinked ?? path.startsWith(SERVICE_ROLE),
        policies: new Map(Object.entries(r.policies ?? {})),
        instanceProfiles: [...(r.instanceProfiles ?? [])],
        trust: r.trust ?? DEFAULT_TRUST,
        createDate: r.createDate ?? EPOCH,
      });
    }
    for (const u of seed.users ?? []) {
      this.users.set(u.name, {
        name: u.name,
        id: uniqueId('AIDA', u.name),
        path: u.path ?? '/',
        policies: new Map(Object.entries(u.policies ?? {})),
        keys: (u.accessKeys ?? []).map((k) => ({ id: k.id, status: k.status ?? 'Active', createDate: k.createDate ?? EPOCH, ...(k.lastUsed ? { lastUsed: k.lastUsed } : {}) })),
        console: u.console ?? false,
        createDate: u.createDate ?? EPOCH,
      });
    }
  }

  /** Starts this IAM alone on 127.0.0.1 (use listenQuery(iam, sts) to share one endpoint). */
  listen(): Promise<RunningSim> {
    return listenQuery(this);
  }

  role(name: string): IamRole {
    const r = this.roles.get(name);
    if (!r) throw new QueryError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
    return r;
  }

  user(name: string): IamUser {
    const u = this.users.get(name);
    if (!u) throw new QueryError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
    return u;
  }

  /** The key and its owner. */
  key(id: string): { user: IamUser; key: IamKey } {
    for (const user of this.users.values()) {
      const key = user.keys.find((k) => k.id === id);
      if (key) return { user, key };
    }
    throw new QueryError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
  }

  private arn(kind: 'role' | 'user' | 'instance-profile', path: string, name: string): string {
    return `arn:aws:iam::${this.account}:${kind}${path}${name}`;
  }

  private roleXml(r: IamRole): string {
    return (
      el('Path', r.path) +
      el('RoleName', r.name) +
      el('RoleId', r.id) +
      el('Arn', this.arn('role', r.path, r.name)) +
      el('CreateDate', isoDate(r.createDate)) +
      el('AssumeRolePolicyDocument', encodeURIComponent(r.trust)) +
      el('MaxSessionDuration', 3600)
    );
  }

  private userXml(u: IamUser): string {
    return el('Path', u.path) + el('UserName', u.name) + el('UserId', u.id) + el('Arn', this.arn('user', u.path, u.name)) + el('CreateDate', isoDate(u.createDate));
  }

  private putPolicy(policies: Map<string, string>, p: Record<string, string>): string {
    const name = required(p, 'PolicyName');
    const doc = required(p, 'PolicyDocument');
    checkPolicy(doc);
    policies.set(name, doc);
    return '';
  }

  private getPolicy(kind: 'role' | 'user', owner: string, policies: Map<string, string>, p: Record<string, string>): string {
    const name = required(p, 'PolicyName');
    const doc = policies.get(name);
    if (doc === undefined) throw new QueryError(404, 'NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`);
    const ownerEl = kind === 'role' ? el('RoleName', owner) : el('UserName', owner);
    return ownerEl + el('PolicyName', name) + el('PolicyDocument', encodeURIComponent(doc));
  }

  private deletePolicy(kind: 'role' | 'user', policies: Map<string, string>, p: Record<string, string>): string {
    const name = required(p, 'PolicyName');
    if (!policies.delete(name)) throw new QueryError(404, 'NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`);
    return '';
  }

  private listPolicies(policies: Map<string, string>): string {
    return members('PolicyNames', [...policies.keys()].sort()) + el('IsTruncated', false);
  }

  /** AWS refuses inline policy changes on service-linked roles. */
  private modifiable(r: IamRole): IamRole {
    if (r.serviceLinked) throw new QueryError(400, 'UnmodifiableEntity', `Cannot perform the operation on the protected role '${r.name}' - this role is only modifiable by AWS`);
    return r;
  }

  handle(action: string, p: Record<string, string>): string | undefined {
    switch (action) {
      case 'GetRole':
        return `<Role>${this.roleXml(this.role(required(p, 'RoleName')))}</Role>`;
      case 'ListRolePolicies':
        return this.listPolicies(this.role(required(p, 'RoleName')).policies);
      case 'GetRolePolicy': {
        const r = this.role(required(p, 'RoleName'));
        return this.getPolicy('role', r.name, r.policies, p);
      }
      case 'PutRolePolicy':
        return this.putPolicy(this.modifiable(this.role(required(p, 'RoleName'))).policies, p);
      case 'DeleteRolePolicy':
        return this.deletePolicy('role', this.modifiable(this.role(required(p, 'RoleName'))).policies, p);
      case 'ListInstanceProfilesForRole': {
        const r = this.role(required(p, 'RoleName'));
        const profiles = r.instanceProfiles.map(
          (ip) =>
            el('Path', '/') +
            el('InstanceProfileName', ip) +
            el('InstanceProfileId', uniqueId('AIPA', ip)) +
            el('Arn', this.arn('instance-profile', '/', ip)) +
            el('CreateDate', isoDate(r.createDate)) +
            members('Roles', [this.roleXml(r)]),
        );
        return members('InstanceProfiles', profiles) + el('IsTruncated', false);
      }
      case 'GetUser':
        return `<User>${this.userXml(this.user(required(p, 'UserName')))}</User>`;
      case 'ListUserPolicies':
        return this.listPolicies(this.user(required(p, 'UserName')).policies);
      case 'GetUserPolicy': {
        const u = this.user(required(p, 'UserName'));
        return this.getPolicy('user', u.name, u.policies, p);
      }
      case 'PutUserPolicy':
        return this.putPolicy(this.user(required(p, 'UserName')).policies, p);
      case 'DeleteUserPolicy':
        return this.deletePolicy('user', this.user(required(p, 'UserName')).policies, p);
      case 'GetLoginProfile': {
        const u = this.user(required(p, 'UserName'));
        if (!u.console) throw new QueryError(404, 'NoSuchEntity', `Login Profile for User ${u.name} cannot be found.`);
        return `<LoginProfile>${el('UserName', u.name)}${el('CreateDate', isoDate(u.createDate))}${el('PasswordResetRequired', false)}</LoginProfile>`;
      }
      case 'ListAccessKeys': {
        const u = this.user(required(p, 'UserName'));
        const keys = u.keys.map((k) => el('UserName', u.name) + el('AccessKeyId', k.id) + el('Status', k.status) + el('CreateDate', isoDate(k.createDate)));
        return members('AccessKeyMetadata', keys) + el('IsTruncated', false);
      }
      case 'UpdateAccessKey': {
        const id = required(p, 'AccessKeyId');
        const status = required(p, 'Status');
        if (status !== 'Active' && status !== 'Inactive') throw new QueryError(400, 'ValidationError', `Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
        const { user, key } = this.key(id);
        if (p['UserName'] !== undefined && p['UserName'] !== user.name) throw new QueryError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
        key.status = status;
        return '';
      }
      case 'GetAccessKeyLastUsed': {
        const { user, key } = this.key(required(p, 'AccessKeyId'));
        const used = key.lastUsed
          ? el('LastUsedDate', isoDate(key.lastUsed.date)) + el('ServiceName', key.lastUsed.service) + el('Region', key.lastUsed.region)
          : el('ServiceName', 'N/A') + el('Region', 'N/A');
        return el('UserName', user.name) + `<AccessKeyLastUsed>${used}</AccessKeyLastUsed>`;
      }
      default:
        return undefined;
    }
  }
}
