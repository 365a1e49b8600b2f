// Cockpit target 3: a live feed of 1,000 events/s (batches of 50 every 50 ms, each through
// store.getState().actions.ingestEvents — real journal group commit, not awaited before the next
// batch) for 60 s, with 100k events held and the cockpit mounted (fake 120×40 TTY, as in the key
// bench). Event-loop delay p99 ≤ 20 ms (perf_hooks.monitorEventLoopDelay, 1 ms resolution — the
// figures include that 1 ms), and no event lost: the store holds 100k + 60k at the end, and the
// journal re-opened read-only (verified, folded afresh) holds the same.
// Baseline, same run: the same feed into the same store with no cockpit mounted (what the journal
// and store cost alone), for min(8 s, the feed's length); and the mounted cockpit idle for 2 s
// before the feed starts.
//   BENCH_FEED_SECONDS (60)

import { dist, profileWanted, runChild } from './cockpit-lib.js';
import { envInt, int, log, ratio } from './lib.js';
import { formatSummary } from './profile.js';

export const FEED_LAG_TARGET_MS = 20;

const f1 = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const lagLine = (l) => `p50 ${f1(l.p50)} / p95 ${f1(l.p95)} / p99 ${f1(l.p99)} / max ${f1(l.max)} ms`;

export async function benchLiveFeed({ seconds = envInt('BENCH_FEED_SECONDS', 60), events = 100_000 } = {}) {
  const baseSeconds = Math.min(8, seconds);
  const base = await runChild('feed', { events, seconds: baseSeconds, ui: false, idleSeconds: 0 });
  const live = await runChild('feed', { events, seconds, ui: true });
  const lossless =
    live.failures === 0 &&
    live.storeEvents === live.expected &&
    live.reopenedEvents === live.expected &&
    live.reopenedRecords === live.storeSeq &&
    live.reopenedHealthy;
  const missed = live.lag.p99 > FEED_LAG_TARGET_MS;

  log(
    `\n[6] live feed: ${int(live.sent / seconds)} events/s (${live.batch} every ${live.everyMs} ms) for ${seconds} s, ${int(events)} held, cockpit mounted 120×40`,
  );
  log(`    event-loop delay, cockpit + feed      ${lagLine(live.lag)}`);
  log(`    event-loop delay, feed, no cockpit    ${lagLine(base.lag)}   (baseline, ${baseSeconds} s)`);
  log(
    `    event-loop delay, cockpit idle (2 s)  p50 ${f1(live.idleLag.p50)} / p99 ${f1(live.idleLag.p99)} / max ${f1(live.idleLag.max)} ms`,
  );
  log(`    ratio p99 cockpit+feed / feed alone   ${ratio(live.lag.p99, base.lag.p99)}`);
  log(
    `    CPU ${int(live.cpuMsPerS)} ms per s (feed alone ${int(base.cpuMsPerS)}); ingest rate achieved ${int(live.rate)} events/s; ` +
      `batches in flight at most ${live.maxInFlight}`,
  );
  log(`    ingest call → durable + applied       ${dist(live.ack)}   (feed alone ${dist(base.ack)})`);
  log(
    `    frames ${int(live.frames)} (${live.framesPerS.toFixed(1)}/s), Ink renderTime ${dist(live.renderTime)}, ${live.kbPerS.toFixed(1)} kB/s written`,
  );
  log(
    `    events: sent ${int(live.sent)}, added ${int(live.added)}, store ${int(live.storeEvents)} of ${int(live.expected)} expected; ` +
      `journal re-opened read-only: ${int(live.reopenedEvents)} events, ${int(live.reopenedRecords)} records (store seq ${int(live.storeSeq)})` +
      `${live.reopenedHealthy ? ', verified' : ', NOT CLEAN'}; ${live.failures} failed batches → ${lossless ? 'nothing lost' : 'LOSS OR MISMATCH'}`,
  );

  let profile;
  if (missed || profileWanted()) {
    const s = Math.min(6, seconds);
    const p = await runChild('feed', { events, seconds: s, ui: true, idleSeconds: 0, profile: true });
    profile = p.profile;
    log(
      `    CPU profile of ${s} s more of the same feed with the cockpit mounted (profiled: delay p99 ${f1(p.lag.p99)} ms):`,
    );
    for (const line of formatSummary(profile)) log(line);
  }
  return { base, live, lossless, missed, profile };
}
