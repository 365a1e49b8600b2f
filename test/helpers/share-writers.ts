// Writers of one shared incident for tests: each its own journal (own writer id) on a clock the
// test moves, and its lines read back as they are on disk.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalJournalTail } from '../../src/journal/share/local.js';
import { sealSegment, type SealedSegment } from '../../src/journal/share/segment.js';
import { newIncident, openIncident, type OpenedIncident } from '../../store/open.js';
import { OPENED } from '../unit/store/fixtures.js';

export const INC = OPENED.incidentId;
export const PREFIX = 'team/shared';

export class TestClock {
  constructor(public t = Date.parse('2026-04-20T14:00:00Z')) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestWriter extends OpenedIncident {
  name: string;
  writerId: string;
  file: string;
  clock: TestClock;
}

export async function testWriter(dir: string, name: string, clock = new TestClock()): Promise<TestWriter> {
  const file = join(dir, `${name}.jsonl`);
  const opened = await newIncident(file, OPENED, { actor: name, now: clock.now, signer: null });
  const writerId = `${name}-0a1b2c3d`;
  await opened.store.getState().actions.recordShareWriter(writerId);
  return { ...opened, name, writerId, file, clock };
}

/** A copy of a writer's journal as it is now, opened for writing: the seed of a fork. */
export async function forkOf(dir: string, w: TestWriter): Promise<TestWriter> {
  const file = join(dir, `${w.name}-fork.jsonl`);
  copyFileSync(w.file, file);
  const opened = await openIncident(file, { actor: w.name, now: w.clock.now, signer: null });
  return { ...opened, name: w.name, writerId: w.writerId, file, clock: w.clock };
}

/** Seals records first..last of a writer's journal as one segment. */
export async function segmentOf(w: TestWriter, first: number, last: number): Promise<SealedSegment> {
  const tail = new LocalJournalTail(w.file);
  await tail.read();
  const lines = tail.lines.slice(first - 1, last);
  if (lines.length !== last - first + 1) throw new Error(`${w.file} has ${tail.lines.length} records`);
  return sealSegment(
    PREFIX,
    { incidentId: INC, writerId: w.writerId, first },
    lines.map((l) => l.bytes),
    lines.at(-1)!.hash,
  );
}

export function records(w: TestWriter): number {
  return w.store.getState().state.seq;
}
