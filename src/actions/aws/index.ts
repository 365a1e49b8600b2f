// The AWS actions: EC2 (ec2/), IAM (iam/) and S3 (s3/). See ../types.ts for the shape every action has.

import type { ActionDef } from '../types.js';
import { EC2_ACTIONS } from './ec2/index.js';
import { IAM_ACTIONS } from './iam/index.js';
import { S3_ACTIONS } from './s3/index.js';

export const AWS_ACTIONS: readonly ActionDef[] = [...EC2_ACTIONS, ...IAM_ACTIONS, ...S3_ACTIONS];
