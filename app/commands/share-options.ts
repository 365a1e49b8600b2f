// The `--share` options of review, export and verify, and what they resolve to. Kept apart from
// share.ts so the command line does not load the AWS SDK until a command uses it.

import type { Command } from 'commander';

export interface ShareReadFlags {
  share?: string;
  id?: string;
  profile?: string;
  region?: string;
}

export function withShareReadOptions(cmd: Command): Command {
  return cmd
    .option('--share <s3-url|dir>', 'a shared incident: s3://bucket/prefix, or a folder of downloaded segments')
    .option('--id <INC-YYYY-NNN>', 'with --share: the incident, when the prefix holds several')
    .option('--profile <name>', 'with --share s3://…: AWS profile (default: the standard credential chain)')
    .option('--region <region>', 'with --share s3://…: the bucket’s Region');
}

/** The journal file, or (with --share) nothing: exactly one of the two. */
export function fileOrShare(file: string | undefined, o: ShareReadFlags, usage: (m: string) => Error): void {
  if (file && o.share) throw usage('give a journal file or --share, not both');
  if (!file && !o.share) throw usage('give a journal file, or --share s3://bucket/prefix (or a folder of segments)');
}

export function shareClientOptions(o: ShareReadFlags) {
  return {
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.id ? { incidentId: o.id } : {}),
    retentionDays: 365,
  };
}
