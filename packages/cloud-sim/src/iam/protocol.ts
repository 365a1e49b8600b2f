// A stateful IAM on 127.0.0.1 speaking the real query protocol (Version 2010-05-08), for drills and
// wire tests: the real @aws-sdk/client-iam talks to it unchanged. It answers the calls the IAM
// containment actions make over the state in model.ts. Policy documents come back URL-encoded, as
// IAM returns them (GetRolePolicy / GetUserPolicy / GetRole).

import { QueryError, el, isoDate, listenQuery, members, required, type QueryService } from '../server/aws-query.js';
import { SimRecorder, type RunningSim } from '../server/http.js';
import { IamModel, uniqueId, type IamRole, type IamSeed, type IamUser } from './model.js';

export type { IamKey, IamKeySeed, IamRole, IamRoleSeed, IamSeed, IamUser, IamUserSeed } from './model.js';

export class IamSim extends IamModel implements QueryService {
  readonly name = 'iam';
  readonly version = '2010-05-08';
  readonly xmlns = 'https://iam.amazonaws.com/doc/2010-05-08/';

  constructor(
    seed: IamSeed,
    readonly recorder: SimRecorder = new SimRecorder(),
  ) {
    super(seed);
  }

  /** Starts this IAM alone on 127.0.0.1 (use listenQuery(iam, sts) to share one endpoint). */
  listen(): Promise<RunningSim> {
    return listenQuery(this);
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
    return (
      el('Path', u.path) +
      el('UserName', u.name) +
      el('UserId', u.id) +
      el('Arn', this.arn('user', u.path, u.name)) +
      el('CreateDate', isoDate(u.createDate))
    );
  }

  private putPolicyFrom(policies: Map<string, string>, p: Record<string, string>): string {
    this.putPolicy(policies, required(p, 'PolicyName'), required(p, 'PolicyDocument'));
    return '';
  }

  private getPolicy(
    kind: 'role' | 'user',
    owner: string,
    policies: Map<string, string>,
    p: Record<string, string>,
  ): string {
    const name = required(p, 'PolicyName');
    const doc = policies.get(name);
    if (doc === undefined)
      throw new QueryError(404, 'NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`);
    const ownerEl = kind === 'role' ? el('RoleName', owner) : el('UserName', owner);
    return ownerEl + el('PolicyName', name) + el('PolicyDocument', encodeURIComponent(doc));
  }

  private deletePolicy(kind: 'role' | 'user', policies: Map<string, string>, p: Record<string, string>): string {
    const name = required(p, 'PolicyName');
    if (!policies.delete(name))
      throw new QueryError(404, 'NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`);
    return '';
  }

  private listPolicies(policies: Map<string, string>): string {
    return members('PolicyNames', [...policies.keys()].sort()) + el('IsTruncated', false);
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
        return this.putPolicyFrom(this.modifiable(this.role(required(p, 'RoleName'))).policies, p);
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
        return this.putPolicyFrom(this.user(required(p, 'UserName')).policies, p);
      case 'DeleteUserPolicy':
        return this.deletePolicy('user', this.user(required(p, 'UserName')).policies, p);
      case 'GetLoginProfile': {
        const u = this.user(required(p, 'UserName'));
        if (!u.console) throw new QueryError(404, 'NoSuchEntity', `Login Profile for User ${u.name} cannot be found.`);
        return `<LoginProfile>${el('UserName', u.name)}${el('CreateDate', isoDate(u.createDate))}${el('PasswordResetRequired', false)}</LoginProfile>`;
      }
      case 'ListAccessKeys': {
        const u = this.user(required(p, 'UserName'));
        const keys = u.keys.map(
          (k) =>
            el('UserName', u.name) +
            el('AccessKeyId', k.id) +
            el('Status', k.status) +
            el('CreateDate', isoDate(k.createDate)),
        );
        return members('AccessKeyMetadata', keys) + el('IsTruncated', false);
      }
      case 'UpdateAccessKey': {
        const id = required(p, 'AccessKeyId');
        const status = required(p, 'Status');
        if (status !== 'Active' && status !== 'Inactive')
          throw new QueryError(
            400,
            'ValidationError',
            `Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
          );
        const { user, key } = this.key(id);
        if (p['UserName'] !== undefined && p['UserName'] !== user.name)
          throw new QueryError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
        key.status = status;
        return '';
      }
      case 'GetAccessKeyLastUsed': {
        const { user, key } = this.key(required(p, 'AccessKeyId'));
        const used = key.lastUsed
          ? el('LastUsedDate', isoDate(key.lastUsed.date)) +
            el('ServiceName', key.lastUsed.service) +
            el('Region', key.lastUsed.region)
          : el('ServiceName', 'N/A') + el('Region', 'N/A');
        return el('UserName', user.name) + `<AccessKeyLastUsed>${used}</AccessKeyLastUsed>`;
      }
      default:
        return undefined;
    }
  }
}
