// The S3 containment actions: block public access on a bucket, and its undo.

import type { ActionDef } from '../../types.js';
import { blockPublicAccess } from './block-public-access.js';
import { restorePublicAccess } from './restore-public-access.js';

export const S3_ACTIONS: readonly ActionDef[] = [blockPublicAccess, restorePublicAccess];
