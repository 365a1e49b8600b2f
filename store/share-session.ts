// A cockpit in a shared incident: its own journal is published as sealed segments, the other
// writers' segments are fetched, verified and merged with it (store/merged.ts), and the approval
// commands and the action runner read the merged book. `sync` is one round (publish, fetch,
// merge); a failed round (offline) leaves the last merged view and tries again next time.

import { randomBytes } from 'node:crypto';
import { SegmentCache } from '../src/journal/share/fetch.js';
import { LocalJournalTail } from '../src/journal/share/local.js';
import { SegmentPublisher, type PublishResult } from '../src/journal/share/publisher.js';
import type { ShareTransport } from '../src/journal/share/transport.js';
import { describeRefusal, verifySegments, type Refusal, type VerifiedWriter } from '../src/journal/share/verify.js';
import type { RecordData } from '../src/journal/records.js';
import { attachApprovals } from './approval.js';
import { foldMerged, type MergedIncident } from './merged.js';
import type { IncidentStore } from './store.js';

export interface ShareOptions {
  store: IncidentStore;
  journalFile: string;
  transport: ShareTransport;
  prefix: string;
  /** Who writes: the writer id is `<actor>-<8 hex>` unless the journal already names one. */
  actor: string;
}

export interface SyncResult {
  publish: PublishResult;
  /** Why the other writers could not be fetched (offline). */
  fetchError?: string;
  merged: MergedIncident;
}

/** A writer id: one S3 key segment (records.ts WRITER_ID). */
export function newWriterId(actor: string): string {
  const base =
    actor
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 40) || 'writer';
  return `${base}-${randomBytes(4).toString('hex')}`;
}

export class ShareSession {
  readonly writerId: string;
  readonly incidentId: string;
  private readonly tail: LocalJournalTail;
  private readonly publisher: SegmentPublisher;
  private readonly cache: SegmentCache;
  private remote: { writers: VerifiedWriter[]; refusals: Refusal[] } = { writers: [], refusals: [] };
  merged: MergedIncident;

  private constructor(
    private readonly o: ShareOptions,
    writerId: string,
  ) {
    this.writerId = writerId;
    this.incidentId = o.store.getState().state.incident!.id;
    this.tail = new LocalJournalTail(o.journalFile);
    this.publisher = new SegmentPublisher({
      transport: o.transport,
      prefix: o.prefix,
      incidentId: this.incidentId,
      writerId,
      tail: this.tail,
    });
    this.cache = new SegmentCache(o.transport, o.prefix);
    this.merged = foldMerged([]);
    attachApprovals(o.store, { writerId, book: async () => (await this.remerge()).book });
  }

  /** Names the writer in the journal (once) and attaches to the store; nothing touches the network yet. */
  static async start(o: ShareOptions): Promise<ShareSession> {
    const s = o.store.getState().state;
    if (!s.incident) throw new Error('the journal has no incident.opened record');
    const writerId = s.writerId ?? newWriterId(o.actor);
    await o.store.getState().actions.recordShareWriter(writerId);
    const session = new ShareSession(o, writerId);
    await session.remerge();
    return session;
  }

  private async local(): Promise<VerifiedWriter> {
    await this.tail.read();
    const records = this.tail.lines.map((l) => ({
      writerId: this.writerId,
      record: l.record,
      hash: l.hash,
      key: this.o.journalFile,
    }));
    return { writerId: this.writerId, records, head: records.at(-1)?.hash };
  }

  /** Re-folds the last fetched segments with this journal as it is now (no network). */
  async remerge(): Promise<MergedIncident> {
    this.merged = foldMerged([await this.local(), ...this.remote.writers], this.remote.refusals);
    return this.merged;
  }

  /** One round: publish what is new here, fetch what is new there, verify and merge. */
  async sync(): Promise<SyncResult> {
    const publish = await this.publisher.publish();
    let fetchError: string | undefined;
    try {
      const { objects, unreadable } = await this.cache.fetch(this.incidentId, this.writerId);
      const set = verifySegments(this.o.prefix, objects, this.incidentId, unreadable);
      this.remote = { writers: set.writers, refusals: set.refusals };
    } catch (e) {
      fetchError = e instanceof Error ? e.message : String(e);
    }
    const merged = await this.remerge();
    return { publish, ...(fetchError ? { fetchError } : {}), merged };
  }
}

/**
 * A late joiner's first record: the incident as the earliest writer opened it, read from the
 * verified segments in the bucket. The joiner's own journal opens the same incident id (the same
 * genesis), and everything else comes from the merge.
 */
export async function openedFromShare(
  transport: ShareTransport,
  prefix: string,
  incidentId: string,
): Promise<RecordData<'incident.opened'>> {
  const { objects, unreadable } = await new SegmentCache(transport, prefix).fetch(incidentId);
  const set = verifySegments(prefix, objects, incidentId, unreadable);
  const first = foldMerged(set.writers).origins[0]?.record;
  if (first?.type !== 'incident.opened')
    throw new Error(
      `no verified segment of ${incidentId} under ${prefix || 'the bucket root'}${set.refusals.length ? ` (${set.refusals.map(describeRefusal).join('; ')})` : ''}`,
    );
  return first.data;
}
