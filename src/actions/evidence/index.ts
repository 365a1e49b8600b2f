// The evidence actions (see ../types.ts for the shape every action has): preserving CloudTrail for
// a role, key or user; uploading an evidence file to the Object Lock bucket; and revoking Vault
// leases by prefix (destructive, but it lives with the evidence side's HTTP clients).

import type { ActionDef } from '../types.js';
import { PRESERVE_CLOUDTRAIL } from './preserve-cloudtrail.js';
import { REVOKE_VAULT_LEASES } from './revoke-vault-leases.js';
import { UPLOAD_EVIDENCE } from './upload-evidence.js';

export const EVIDENCE_ACTIONS: readonly ActionDef[] = [...PRESERVE_CLOUDTRAIL, UPLOAD_EVIDENCE, REVOKE_VAULT_LEASES];
