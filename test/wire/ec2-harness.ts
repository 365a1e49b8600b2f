// The EC2 wire-test harness: a seeded EC2 sim on 127.0.0.1, a REAL EC2Client pointed at it
// (static test credentials, one attempt so each call the sim records is exactly one the action
// made), and an ActionEnv carrying that client for the ActionRunner.

import { tagActionCalls } from '../../src/actions/aws/user-agent.js';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { ActionEnv, AwsClients } from '../../src/actions/types.js';
import { startEc2Sim, type Ec2Seed, type Ec2Sim } from '@firebreak/cloud-sim';
import { baseEnv } from '../helpers/action-fixture.js';

export const VPC = 'vpc-0a1b2c3d4e5f60718';

/** A compromised web server: two interfaces (so ModifyInstanceAttribute Groups would fail), two volumes, in an ASG. */
export function webServerSeed(): Ec2Seed {
  return {
    securityGroups: [
      {
        groupId: 'sg-0web00000000000001',
        groupName: 'web',
        vpcId: VPC,
        ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }],
      },
      {
        groupId: 'sg-0mgmt0000000000002',
        groupName: 'mgmt',
        vpcId: VPC,
        ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' }],
      },
      { groupId: 'sg-0other000000000003', groupName: 'other-vpc', vpcId: 'vpc-0ffffffffffffffff' },
    ],
    instances: [
      {
        instanceId: 'i-0abc1234def567890',
        vpcId: VPC,
        subnetId: 'subnet-0123456789abcdef0',
        tags: { Name: 'web-1', 'aws:autoscaling:groupName': 'web-asg', team: 'payments' },
        networkInterfaces: [
          { networkInterfaceId: 'eni-0primary000000001', groupIds: ['sg-0web00000000000001', 'sg-0mgmt0000000000002'] },
          { networkInterfaceId: 'eni-0second000000002', groupIds: ['sg-0mgmt0000000000002'] },
        ],
        volumes: [
          { volumeId: 'vol-0root00000000001', device: '/dev/xvda', sizeGiB: 8, tags: { Name: 'web-1-root' } },
          { volumeId: 'vol-0data00000000002', device: '/dev/xvdf', sizeGiB: 100, tags: { Name: 'web-1-data' } },
        ],
      },
      {
        instanceId: 'i-0peer000000000001',
        vpcId: VPC,
        subnetId: 'subnet-0123456789abcdef0',
        tags: { Name: 'web-2' },
        networkInterfaces: [{ networkInterfaceId: 'eni-0peer0000000000001', groupIds: ['sg-0web00000000000001'] }],
        volumes: [{ volumeId: 'vol-0peer00000000001', device: '/dev/xvda' }],
      },
    ],
  };
}

export const WEB = 'i-0abc1234def567890';

/** Tagged like createAwsClients' clients: the user agent, and each mutating call reported to its action. */
export function ec2Client(sim: Ec2Sim, maxAttempts = 1): EC2Client {
  return tagActionCalls(
    new EC2Client({
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      maxAttempts,
    }),
  );
}

export function ec2Env(dir: string, sim: Ec2Sim): ActionEnv {
  const aws = { ec2: ec2Client(sim), region: 'us-east-1', account: '123456789012' } as unknown as AwsClients;
  return baseEnv(dir, { aws });
}
