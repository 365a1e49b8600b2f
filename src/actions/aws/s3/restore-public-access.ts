// Undo of blockPublicAccess: the bucket's Block Public Access configuration back to exactly what
// the block replaced (its execute's `previous`), or deleted when the bucket had none. Giving public
// access back is as consequential as taking it away: armed and typed, like every undo.

import { z } from 'zod';
import { defineAction, parseJournaled } from '../../define.js';
import { ActionError } from '../../errors.js';
import { actionMeta } from '../../meta.js';
import { BUCKET_NAME } from '../../target-checks.js';
import type { ActionEnv, ActionPlan, Target, UndoSource } from '../../types.js';
import { blockPublicAccessParams } from './block-public-access.js';
import {
  describePublicAccess,
  publicAccessState,
  readPublicAccess,
  s3Of,
  samePublicAccess,
  writePublicAccess,
} from './public-access-block.js';

const restorePublicAccessParams = z.strictObject({
  bucket: z.string().regex(BUCKET_NAME),
  /** The configuration to put back; null: delete the block (the bucket had none). */
  restore: publicAccessState,
});
type RestorePublicAccessParams = z.infer<typeof restorePublicAccessParams>;

const blocked = z.looseObject({ previous: publicAccessState });

export const restorePublicAccess = defineAction<RestorePublicAccessParams>({
  ...actionMeta('aws.restorePublicAccess'),
  params: restorePublicAccessParams,
  async plan(_t: Target, _env: ActionEnv, undoOf?: UndoSource): Promise<ActionPlan<RestorePublicAccessParams>> {
    if (!undoOf)
      throw new ActionError('restoring public access only reverses a block: start it from that action', 'NotAnUndo');
    const p = parseJournaled(blockPublicAccessParams, undoOf.params, 'the parameters of the block being reversed');
    // The execute's read, right before the change; an action left in doubt has none: the plan's.
    const known = 'previous' in undoOf.outputs;
    const restore = known
      ? parseJournaled(blocked, undoOf.outputs, 'the outputs of the block being reversed').previous
      : p.observed;
    return {
      params: { bucket: p.bucket, restore },
      calls: [
        restore
          ? {
              service: 's3',
              op: 'PutPublicAccessBlock',
              summary: `Bucket=${p.bucket} ${describePublicAccess(restore)}`,
              mutating: true,
            }
          : {
              service: 's3',
              op: 'DeletePublicAccessBlock',
              summary: `Bucket=${p.bucket} (it had no public access block before)`,
              mutating: true,
            },
        { service: 's3', op: 'GetPublicAccessBlock', summary: 'read back the configuration', mutating: false },
      ],
      blastRadius: [
        `bucket ${p.bucket} back to ${describePublicAccess(restore)}: whatever its policy and ACLs make public is public again`,
      ],
      warnings: known
        ? []
        : [
            'the block was left in doubt, so its own read of the previous configuration is missing: this restores what the plan saw',
          ],
    };
  },
  async dryRun(_t, plan, env) {
    const { bucket, restore } = plan.params;
    const cur = await readPublicAccess(s3Of(env), bucket);
    const change = samePublicAccess(cur.state, restore)
      ? 'already as before'
      : `${describePublicAccess(cur.state)} → would be ${describePublicAccess(restore)}`;
    return {
      kind: 'simulated',
      ok: true,
      message: `simulated (S3 has no dry run): bucket ${bucket} ${change}`,
      requestIds: cur.requestIds,
    };
  },
  async execute(_t, plan, env) {
    const s3 = s3Of(env);
    const { bucket, restore } = plan.params;
    const cur = await readPublicAccess(s3, bucket);
    if (samePublicAccess(cur.state, restore))
      return {
        requestIds: cur.requestIds,
        outputs: { replaced: cur.state },
        message: `already restored: bucket ${bucket} has ${describePublicAccess(restore)}`,
      };
    const ids = await writePublicAccess(s3, bucket, restore);
    return {
      requestIds: [...cur.requestIds, ...ids],
      outputs: { replaced: cur.state },
      message: `bucket ${bucket} restored to ${describePublicAccess(restore)}`,
    };
  },
  async verify(_t, plan, env) {
    const { bucket, restore } = plan.params;
    const { state } = await readPublicAccess(s3Of(env), bucket);
    return samePublicAccess(state, restore)
      ? { ok: true, detail: `bucket ${bucket}: ${describePublicAccess(state)}` }
      : {
          ok: false,
          detail: `bucket ${bucket} has ${describePublicAccess(state)}, not ${describePublicAccess(restore)}`,
        };
  },
});
