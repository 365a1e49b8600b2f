// `--share`: the commands' side of a shared incident. `live --share s3://bucket/prefix` publishes
// this cockpit's journal as sealed segments and merges the other writers' every few seconds;
// `review`, `export` and `verify` read the merged incident from the bucket or from a folder of
// downloaded segments (`aws s3 cp --recursive s3://bucket/prefix DIR`).

import { existsSync, statSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { readSegmentDir, SegmentCache } from '../../src/journal/share/fetch.js';
import { S3Transport } from '../../src/journal/share/s3-transport.js';
import { parseSegmentKey, parseShareUrl } from '../../src/journal/share/segment.js';
import {
  describeRefusal,
  verifySegments,
  type SegmentObject,
  type VerifiedSet,
} from '../../src/journal/share/verify.js';
import { foldMerged, type MergedIncident } from '../../store/merged.js';
import { openedFromShare, ShareSession } from '../../store/share-session.js';
import { awaitingOthers } from '../../src/journal/share/approval.js';
import type { IncidentStore } from '../../store/store.js';
import type { RecordData } from '../../src/journal/records.js';
import type { SourceHealth } from '../../views/context.js';

export interface ShareClientOptions {
  profile?: string;
  region?: string;
  /** Object Lock retention of every segment, in days. */
  retentionDays: number;
}

/**
 * The bucket through the real client. AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), which the SDK
 * reads itself, points it at another endpoint (an S3-compatible store, the sim): those are
 * addressed path-style.
 */
export function shareTransport(url: string, o: ShareClientOptions): { transport: S3Transport; prefix: string } {
  const { bucket, prefix } = parseShareUrl(url);
  const custom = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const client = new S3Client({
    ...(o.region ? { region: o.region } : {}),
    credentials: o.profile ? fromIni({ profile: o.profile }) : fromNodeProviderChain(),
    ...(custom ? { forcePathStyle: true } : {}),
  });
  return { transport: new S3Transport({ client, bucket, retentionDays: o.retentionDays }), prefix };
}

const isS3 = (source: string) => source.startsWith('s3://');

/** Every segment under `source` (an s3:// URL or a folder) and the prefix their keys are under. */
async function readSource(
  source: string,
  o: ShareClientOptions & { incidentId?: string },
): Promise<{ objects: SegmentObject[]; prefix: string; unreadable: VerifiedSet['refusals']; incidentId: string }> {
  let objects: SegmentObject[];
  let prefix: string;
  let unreadable: VerifiedSet['refusals'] = [];
  if (isS3(source)) {
    const t = shareTransport(source, o);
    prefix = t.prefix;
    const listed = await t.transport.list(prefix ? `${prefix}/` : '');
    const ids = new Set(
      listed.map((l) => parseSegmentKey(prefix, l.key)).flatMap((n) => ('error' in n ? [] : [n.incidentId])),
    );
    const id = pickIncident(ids, source, o.incidentId);
    const got = await new SegmentCache(t.transport, prefix).fetch(id);
    return { objects: got.objects, unreadable: got.unreadable, prefix, incidentId: id };
  }
  if (!existsSync(source) || !statSync(source).isDirectory())
    throw new Error(`${source}: not an s3:// URL or a folder of downloaded segments`);
  objects = await readSegmentDir(source);
  prefix = '';
  const ids = new Set(
    objects.map((l) => parseSegmentKey(prefix, l.key)).flatMap((n) => ('error' in n ? [] : [n.incidentId])),
  );
  const id = pickIncident(ids, source, o.incidentId);
  return { objects, prefix, unreadable, incidentId: id };
}

function pickIncident(ids: Set<string>, source: string, wanted: string | undefined): string {
  if (wanted) return wanted;
  if (ids.size === 1) return [...ids][0]!;
  if (ids.size === 0) throw new Error(`${source}: no segments of any incident`);
  throw new Error(`${source} holds ${[...ids].join(', ')}: choose one with --id`);
}

/** The merged incident from the bucket or a folder, every segment verified first. */
export async function loadShared(
  source: string,
  o: ShareClientOptions & { incidentId?: string },
): Promise<{ merged: MergedIncident; set: VerifiedSet; incidentId: string }> {
  const r = await readSource(source, o);
  const set = verifySegments(r.prefix, r.objects, r.incidentId, r.unreadable);
  return { merged: foldMerged(set.writers, set.refusals), set, incidentId: r.incidentId };
}

/** `verify --share`: every segment and the set; ok only when nothing was refused. */
export async function verifyShared(
  source: string,
  o: ShareClientOptions & { incidentId?: string },
): Promise<{ ok: boolean; message: string }> {
  const { merged, set, incidentId } = await loadShared(source, o);
  const writers = set.writers.map((w) => `${w.writerId} (${w.records.length} records, head ${w.head?.slice(0, 12)})`);
  const head = `${incidentId}: ${set.objects} segments from ${set.writers.length} writer(s): ${writers.join(', ')}`;
  if (set.refusals.length === 0) {
    const open = merged.conflicts.filter((c) => c.open).length;
    return { ok: true, message: `OK ${head}${open ? `; ${open} open conflict(s) (not tampering)` : ''}` };
  }
  return { ok: false, message: `NOT INTACT ${head}\n${set.refusals.map(describeRefusal).join('\n')}` };
}

/** A late joiner's first record, from the bucket. */
export async function joinOpened(
  url: string,
  incidentId: string,
  o: ShareClientOptions,
): Promise<RecordData<'incident.opened'>> {
  const t = shareTransport(url, o);
  return openedFromShare(t.transport, t.prefix, incidentId);
}

export interface LiveShare {
  session: ShareSession;
  health(): SourceHealth;
  /** One last round (publish what is left), then no more. */
  stop(): Promise<void>;
}

/** `live --share`: one round now, then every `everyMs`; `onChange` after each round. */
export async function startLiveShare(
  store: IncidentStore,
  journalFile: string,
  url: string,
  o: ShareClientOptions & { actor: string; everyMs: number; onChange: () => void },
): Promise<LiveShare> {
  const t = shareTransport(url, o);
  const session = await ShareSession.start({
    store,
    journalFile,
    transport: t.transport,
    prefix: t.prefix,
    actor: o.actor,
  });
  let health: SourceHealth = { name: 'share', state: 'starting', message: url };
  let running: Promise<void> | undefined;
  const round = () =>
    (running ??= session
      .sync()
      .then((r) => {
        const problems = [r.publish.error && `publish: ${r.publish.error}`, r.fetchError && `fetch: ${r.fetchError}`];
        const err = problems.filter(Boolean).join('; ');
        // Another responder's request is this one's to answer: it stays on the header until decided.
        const asks = awaitingOthers(r.merged.book, session.writerId).map(
          (q) => `${q.requestId} waits for approval: ${q.action} on ${q.targetLabel} (${q.actor})`,
        );
        const attention = err || asks.length || r.merged.refusals.length || r.merged.conflicts.some((c) => c.open);
        health = {
          name: `share ${session.writerId}`,
          state: attention ? 'degraded' : 'ok',
          message: [err && `${err} (${r.publish.pending} records wait)`, ...asks, r.merged.report]
            .filter(Boolean)
            .join('; '),
        };
      })
      .catch((e: unknown) => {
        health = { name: `share ${session.writerId}`, state: 'error', message: String(e) };
      })
      .finally(() => {
        running = undefined;
        o.onChange();
      }));
  await round();
  const timer = setInterval(() => void round(), o.everyMs);
  timer.unref();
  return {
    session,
    health: () => health,
    stop: async () => {
      clearInterval(timer);
      await running;
      await round();
    },
  };
}
