// The simulated AWS estate the live e2e tests act on (packages/cloud-sim): one web instance with
// its interface, security group and root volume, and the environment that points the standard
// AWS configuration (AWS_ENDPOINT_URL, env credentials) at the sim.

import type { SimCloud } from '@firebreak/cloud-sim';

export const ACCOUNT = '123456789012';
export const INSTANCE = 'i-0f9e8d7c6b5a43210';

/** The EC2 part of the seed: the instance, its interface, its group and its root volume. */
export function webEc2() {
  return {
    securityGroups: [{ groupId: 'sg-0web0000000000001', groupName: 'web', vpcId: 'vpc-0live00000000001' }],
    instances: [
      {
        instanceId: INSTANCE,
        vpcId: 'vpc-0live00000000001',
        subnetId: 'subnet-0live0000000001',
        networkInterfaces: [{ networkInterfaceId: 'eni-0live0000000001', groupIds: ['sg-0web0000000000001'] }],
        volumes: [{ volumeId: 'vol-0liveroot000001', device: '/dev/xvda' }],
      },
    ],
  };
}

/** `base` plus the AWS configuration that reaches the sim, with test-only credentials. */
export function simAwsEnv(base: Record<string, string>, cloud: SimCloud): Record<string, string> {
  return {
    ...base,
    AWS_ENDPOINT_URL: cloud.endpoints.aws!.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
