// Publishing this writer's journal as sealed segments. On start the writer's own folder is listed
// to learn what is already out (a restarted cockpit carries on where it stopped); each publish
// seals the records since then into one segment. Offline, publish fails and nothing is lost: the
// records stay in the local journal and go out in the next segment that gets through.

import type { LocalJournalTail } from './local.js';
import { incidentPrefix, parseSegmentKey, sealSegment, type SealedSegment } from './segment.js';
import type { ShareTransport } from './transport.js';

/** At most this many records per segment: an object stays small enough to fetch and check at once. */
export const MAX_SEGMENT_RECORDS = 5_000;

export interface PublishResult {
  published: SealedSegment[];
  /** Records in the local journal not yet in the bucket. */
  pending: number;
  /** Why the bucket could not be reached (offline): the records wait for the next publish. */
  error?: string;
}

export class SegmentPublisher {
  /** The last seq known to be in the bucket (0: none; undefined: not listed yet). */
  private publishedSeq: number | undefined;

  constructor(
    private readonly o: {
      transport: ShareTransport;
      prefix: string;
      incidentId: string;
      writerId: string;
      tail: LocalJournalTail;
    },
  ) {}

  get published(): number {
    return this.publishedSeq ?? 0;
  }

  private async learn(): Promise<number> {
    const folder = `${incidentPrefix(this.o.prefix, this.o.incidentId)}${this.o.writerId}/`;
    let last = 0;
    for (const o of await this.o.transport.list(folder)) {
      const n = parseSegmentKey(this.o.prefix, o.key);
      // Contiguous from 1: a hole (never expected from this writer) is filled by publishing again.
      if (!('error' in n) && n.first <= last + 1) last = Math.max(last, n.last);
    }
    return last;
  }

  async publish(): Promise<PublishResult> {
    const out: SealedSegment[] = [];
    try {
      await this.o.tail.read();
      this.publishedSeq ??= await this.learn();
      const lines = this.o.tail.lines;
      while (this.publishedSeq < lines.length) {
        const from = this.publishedSeq;
        const slice = lines.slice(from, from + MAX_SEGMENT_RECORDS);
        const seg = sealSegment(
          this.o.prefix,
          { incidentId: this.o.incidentId, writerId: this.o.writerId, first: from + 1 },
          slice.map((l) => l.bytes),
          slice.at(-1)!.hash,
        );
        const put = await this.o.transport.put(seg);
        if (put === 'exists') {
          // A PUT that landed but whose answer was lost: the same bytes are there, or it is not ours.
          const held = await this.o.transport.get(seg.key);
          if (!held.equals(seg.body))
            throw new Error(`${seg.key} exists with other bytes: another process publishes as ${this.o.writerId}`);
        }
        out.push(seg);
        this.publishedSeq = seg.last;
      }
      return { published: out, pending: 0 };
    } catch (e) {
      return {
        published: out,
        pending: this.o.tail.lines.length - (this.publishedSeq ?? 0),
        error: e instanceof Error ? e.message : String(e),
      };
    }
  }
}
