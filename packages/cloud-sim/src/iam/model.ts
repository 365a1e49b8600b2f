// IAM's state and rules, for the simulated IAM: roles and users with their inline policies,
// instance profiles and access keys, seeded from plain data so a drill scenario can populate it.
// Service-linked roles refuse inline policy changes (UnmodifiableEntity), and a policy document
// must be JSON with a Statement, as IAM checks at the door. Errors are IAM's own codes.

import { QueryError } from '../server/aws-query.js';

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

/** A stable IAM unique id (AROA… for roles, AIDA… for users) derived from the name. */
export function uniqueId(prefix: string, name: string): string {
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
  if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed))
    throw new QueryError(400, 'MalformedPolicyDocument', 'Policy document must contain a Statement.');
}

export class IamModel {
  readonly account: string;
  readonly roles = new Map<string, IamRole>();
  readonly users = new Map<string, IamUser>();

  constructor(seed: IamSeed) {
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
        keys: (u.accessKeys ?? []).map((k) => ({
          id: k.id,
          status: k.status ?? 'Active',
          createDate: k.createDate ?? EPOCH,
          ...(k.lastUsed ? { lastUsed: k.lastUsed } : {}),
        })),
        console: u.console ?? false,
        createDate: u.createDate ?? EPOCH,
      });
    }
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

  /** Stores an inline policy after IAM's syntax check. */
  protected putPolicy(policies: Map<string, string>, name: string, doc: string): void {
    checkPolicy(doc);
    policies.set(name, doc);
  }

  /** AWS refuses inline policy changes on service-linked roles. */
  protected modifiable(r: IamRole): IamRole {
    if (r.serviceLinked)
      throw new QueryError(
        400,
        'UnmodifiableEntity',
        `Cannot perform the operation on the protected role '${r.name}' - this role is only modifiable by AWS`,
      );
    return r;
  }
}
