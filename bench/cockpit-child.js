// The in-process cockpit benches, run in a fresh Node per measurement (NODE_ENV=production is set
// by the parent before React loads; each run starts with a clean heap). Mounts the real App as
// app/run.tsx does — same render options — on the fake TTY from tty.js, and prints one JSON line
// (prefixed RESULT) for the parent.
//
//   node bench/cockpit-child.js keys '{"events":100000,"presses":300,"gapMs":20}'
//   node bench/cockpit-child.js feed '{"events":100000,"seconds":60,"ui":true}'
// Add "profile":true to either to get a CPU profile summary of the measured section.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cloudTrailEvent } from './fixtures.js';
import { incidentWithEvents } from './cockpit-fixture.js';
import { now, percentile, removeDir, tempDir } from './lib.js';
import { startProfile, summarise } from './profile.js';
import { FakeStdin, FakeStdout, KEY_BYTES, isFrameEnd } from './tty.js';

// React and Ink choose their builds when first imported: set the environment, then import them.
process.env.NODE_ENV ??= 'production';
const React = (await import('react')).default;
const { render } = await import('ink');
const { App } = await import('../dist/views/App.js');
const { createUiStore } = await import('../dist/views/ui-state.js');
const { themeFromEnv } = await import('../dist/views/theme.js');
const { readRecordAt } = await import('../dist/src/journal/scan.js');
const { openIncident } = await import('../dist/store/open.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = () => globalThis.gc?.();
const stats = (xs) => ({
  n: xs.length,
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  p99: percentile(xs, 99),
  max: xs.length ? Math.max(...xs) : NaN,
});

/** Mounts the cockpit with the options of app/run.tsx (plus onRender, to read Ink's frame time). */
function mount(opened, { columns = 120, rows = 40 } = {}) {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const ui = createUiStore();
  const renderTimes = [];
  let instance;
  const deps = {
    store: opened.store,
    ui,
    theme: themeFromEnv(),
    mode: 'live',
    now: () => Date.now(),
    quit: () => instance.unmount(),
    readEvent: (offset, length) => readRecordAt(opened.file, offset, length),
  };
  instance = render(React.createElement(App, { deps }), {
    alternateScreen: true,
    incrementalRendering: true,
    maxFps: 60,
    exitOnCtrlC: false,
    patchConsole: false,
    stdin,
    stdout,
    onRender: ({ renderTime }) => renderTimes.push(renderTime),
  });
  return { instance, stdin, stdout, ui, renderTimes };
}

/** Resolves at the next frame end (ESU), or after `timeoutMs`. */
function nextFrame(stdout, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const prev = stdout.onWrite;
    const timer = setTimeout(() => {
      stdout.onWrite = prev;
      resolve(false);
    }, timeoutMs);
    stdout.onWrite = (text, t) => {
      prev?.(text, t);
      if (isFrameEnd(text)) {
        clearTimeout(timer);
        stdout.onWrite = prev;
        resolve(true);
      }
    };
  });
}

async function unmount(m) {
  m.instance.unmount();
  await m.instance.waitUntilExit();
}

// ---- key → frame -----------------------------------------------------------------------------

// Every key in the cycle changes the screen (a key that changes nothing writes no frame).
const CYCLE = ['g', 'j', 'PgDn', 'k', 'G', 'k', 'PgDn'];

async function keys({ events, presses = 300, warmup = 35, gapMs = 20, timeoutMs = 500, profile = false }) {
  const dir = tempDir('keys');
  try {
    const opened = await incidentWithEvents(dir, events);
    gc();
    const m = mount(opened);
    if (!(await nextFrame(m.stdout))) throw new Error('the cockpit wrote no first frame');
    const firstFrameBytes = m.stdout.bytes;
    await sleep(100);
    // Focus the events pane (it is the default focus; pressing 3 makes sure).
    m.stdin.write('3');
    await sleep(50);
    if (m.ui.getState().focus !== 'events') throw new Error(`focus is ${m.ui.getState().focus}, not events`);

    const latency = [];
    const frameEnd = [];
    const byKey = {};
    let missing = 0;
    let wrong = 0;
    let pending;
    let unsolicited = 0;
    m.stdout.onWrite = (text, t) => {
      if (!pending) {
        if (isFrameEnd(text)) unsolicited++;
        return;
      }
      if (pending.first === undefined) pending.first = t;
      if (isFrameEnd(text)) pending.done(t);
    };
    let stopProfile;
    let renderFrom = 0;
    let bytesFrom = 0;
    let unsolicitedFrom = 0;
    let cpu0;
    for (let i = 0; i < warmup + presses; i++) {
      if (i === warmup) {
        gc();
        renderFrom = m.renderTimes.length;
        bytesFrom = m.stdout.bytes;
        unsolicitedFrom = unsolicited;
        if (profile) stopProfile = await startProfile();
        cpu0 = process.cpuUsage();
      }
      const name = CYCLE[i % CYCLE.length];
      const frame = new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        pending = { first: undefined, done: (t) => (clearTimeout(timer), resolve(t)) };
      });
      const t0 = now();
      m.stdin.write(KEY_BYTES[name]);
      const end = await frame;
      const first = pending.first;
      pending = undefined;
      // Did the key do what it should? (g → top, not following; G → following the newest row.)
      const c = m.ui.getState().cursors.events;
      if ((name === 'g' && (c.sel !== 0 || c.follow)) || (name === 'G' && !c.follow)) wrong++;
      if (i >= warmup) {
        if (first === undefined) missing++;
        else {
          latency.push(first - t0);
          if (end !== undefined) frameEnd.push(end - t0);
          (byKey[name] ??= []).push(first - t0);
        }
      }
      await sleep(gapMs);
    }
    const cpu = process.cpuUsage(cpu0);
    const prof = stopProfile ? summarise(await stopProfile()) : undefined;
    const renderTimes = m.renderTimes.slice(renderFrom);
    const result = {
      events,
      held: opened.store.getState().state.events.length,
      fixture: { genMs: opened.genMs, openMs: opened.openMs, topUpMs: opened.topUpMs },
      presses,
      gapMs,
      latency: stats(latency),
      frameEnd: stats(frameEnd),
      byKey: Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k, stats(v)])),
      renderTime: stats(renderTimes),
      framesPerKey: renderTimes.length / presses,
      // CPU time of the whole process per key (includes the 20 ms gaps' idle work, e.g. the clock).
      cpuMsPerKey: (cpu.user + cpu.system) / 1000 / presses,
      unsolicitedFrames: unsolicited - unsolicitedFrom,
      bytesPerKey: (m.stdout.bytes - bytesFrom) / presses,
      firstFrameBytes,
      missing,
      wrong,
      profile: prof,
    };
    await unmount(m);
    await opened.journal?.close();
    return result;
  } finally {
    removeDir(dir);
  }
}

// ---- live feed -------------------------------------------------------------------------------

async function feed({ events, seconds = 60, ui = true, batch = 50, everyMs = 50, idleSeconds = 2, profile = false }) {
  const dir = tempDir('feed');
  try {
    const opened = await incidentWithEvents(dir, events);
    const { store } = opened;
    const actions = store.getState().actions;
    // The events the sources will deliver, made up front so their making is not timed.
    const total = Math.round((seconds * 1000 * batch) / everyMs);
    const batches = [];
    for (let i = 0; i < total; i += batch) {
      const b = [];
      for (let j = i; j < Math.min(total, i + batch); j++) b.push(cloudTrailEvent(events + j));
      batches.push(b);
    }
    gc();
    const m = ui ? mount(opened) : undefined;
    if (m && !(await nextFrame(m.stdout))) throw new Error('the cockpit wrote no first frame');

    // Reference: the same process idle (mounted, clock ticking) before the feed starts.
    const idleH = monitorEventLoopDelay({ resolution: 1 });
    idleH.enable();
    await sleep(idleSeconds * 1000);
    idleH.disable();

    let frames = 0;
    if (m) m.stdout.onWrite = (text) => void (isFrameEnd(text) && frames++);
    const renderFrom = m?.renderTimes.length ?? 0;
    const bytesFrom = m?.stdout.bytes ?? 0;
    const ackMs = [];
    const acks = [];
    let added = 0;
    let failures = 0;
    let maxInFlight = 0;
    let inFlight = 0;
    const stopProfile = profile ? await startProfile(500) : undefined;
    const h = monitorEventLoopDelay({ resolution: 1 });
    const cpu0 = process.cpuUsage();
    h.enable();
    const t0 = now();
    let b = 0;
    const fire = (batchNo) => {
      const s = now();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      acks.push(
        actions.ingestEvents(batches[batchNo]).then(
          (n) => {
            inFlight--;
            added += n.length;
            ackMs.push(now() - s);
          },
          (e) => {
            inFlight--;
            failures++;
            process.stderr.write(`ingest failed: ${e.message}\n`);
          },
        ),
      );
    };
    // Batches go out on a fixed schedule (t0 + k·everyMs), not "everyMs after the last one", so a
    // slow loop cannot quietly lower the rate; the feed does not wait for one batch's ack first.
    await new Promise((resolve) => {
      const tick = () => {
        const t = now();
        while (b < batches.length && t0 + b * everyMs <= t) fire(b++);
        if (b >= batches.length) return resolve();
        setTimeout(tick, Math.max(0, t0 + b * everyMs - now()));
      };
      tick();
    });
    const sentMs = now() - t0;
    await Promise.all(acks);
    const wallMs = now() - t0;
    h.disable();
    const cpu = process.cpuUsage(cpu0);
    const prof = stopProfile ? summarise(await stopProfile()) : undefined;
    // Let the last frame out, then take the cockpit down and close the journal.
    await sleep(100);
    const renderTimes = m ? m.renderTimes.slice(renderFrom) : [];
    const bytes = m ? m.stdout.bytes - bytesFrom : 0;
    const storeEvents = store.getState().state.events.length;
    const storeSeq = store.getState().state.seq;
    if (m) await unmount(m);
    await opened.journal?.close();
    const reopened = await openIncident(opened.file, { readOnly: true });
    const ns = (x) => x / 1e6;
    return {
      events,
      ui,
      seconds,
      batch,
      everyMs,
      sent: total,
      added,
      failures,
      expected: events + total,
      storeEvents,
      storeSeq,
      reopenedEvents: reopened.store.getState().state.events.length,
      reopenedRecords: reopened.scan.records,
      reopenedHealthy: !reopened.scan.torn && !reopened.scan.failure,
      sentMs,
      wallMs,
      rate: (added * 1000) / wallMs,
      maxInFlight,
      lag: {
        p50: ns(h.percentile(50)),
        p95: ns(h.percentile(95)),
        p99: ns(h.percentile(99)),
        max: ns(h.max),
        mean: ns(h.mean),
      },
      idleLag: { p50: ns(idleH.percentile(50)), p99: ns(idleH.percentile(99)), max: ns(idleH.max) },
      cpuMsPerS: ((cpu.user + cpu.system) / 1000 / wallMs) * 1000,
      ack: stats(ackMs),
      frames,
      framesPerS: (frames * 1000) / wallMs,
      renderTime: stats(renderTimes),
      kbPerS: bytes / 1024 / (wallMs / 1000),
      profile: prof,
    };
  } finally {
    removeDir(dir);
  }
}

const [mode, argJson = '{}'] = process.argv.slice(2);
const args = JSON.parse(argJson);
const result = mode === 'keys' ? await keys(args) : mode === 'feed' ? await feed(args) : undefined;
if (!result) throw new Error(`unknown mode ${mode}: keys or feed`);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
