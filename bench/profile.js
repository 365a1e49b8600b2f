// Where the time goes: a V8 CPU profile (in-process, node:inspector) summarised two ways —
// self time by area (Ink's output/tokenizer, Yoga layout, the React reconciler, the cockpit's own
// views and store, the journal, GC, Node internals) and the top functions by self time.
// Used by the cockpit benches when a target is missed (or BENCH_PROFILE=1).

import { Session } from 'node:inspector/promises';

// First match wins; urls are file:///… paths.
const AREAS = [
  [/node_modules\/@alcalzone\/ansi-tokenize\//, 'ink: ansi-tokenize (per-line tokenising)'],
  [
    /node_modules\/ink\/build\/(output|render-node-to-output|squash-text-nodes|wrap-text|measure-text|colorize|sanitize-ansi)\.js/,
    'ink: output / text (render-node-to-output, output, wrap)',
  ],
  [/node_modules\/ink\/build\/(log-update|line-update|write-synchronized)\.js/, 'ink: log-update (frame diff + write)'],
  [/node_modules\/ink\/build\/(reconciler|dom|styles|renderer)\.js/, 'ink: host config / dom / styles'],
  [/node_modules\/ink\/build\/(components|hooks)\//, 'ink: components / hooks (input parse, useInput)'],
  [/node_modules\/ink\/build\//, 'ink: other'],
  [/node_modules\/yoga-layout\//, 'yoga-layout (flexbox layout, wasm)'],
  [/node_modules\/react-reconciler\//, 'react-reconciler'],
  [/node_modules\/(react|scheduler)\//, 'react / scheduler'],
  [/node_modules\/zustand\//, 'zustand'],
  [
    /node_modules\/(string-width|strip-ansi|ansi-regex|emoji-regex|get-east-asian-width|slice-ansi|cli-truncate|wrap-ansi|widest-line|is-fullwidth-code-point|chalk|ansi-styles)\//,
    'string width / slice / chalk',
  ],
  [/node_modules\/es-toolkit\//, 'es-toolkit (throttle)'],
  [/node_modules\/zod\//, 'zod (record validation)'],
  [/node_modules\/date-fns\/|node_modules\/@date-fns\//, 'date-fns'],
  [/node_modules\/([^/]+)\//, (m) => `node_modules/${m[1]}`],
  [/\/dist\/views\//, 'firebreak views (dist/views)'],
  [/\/dist\/store\//, 'firebreak store (dist/store)'],
  [/\/dist\/src\/journal\//, 'firebreak journal (dist/src/journal)'],
  [/\/dist\/src\//, 'firebreak src (other)'],
  [/\/bench\//, 'bench harness'],
  [/^node:|^internal\//, 'node internals'],
];

function areaOf(frame) {
  const fn = frame.functionName;
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return '(idle)';
  if (fn === '(program)') return '(program: native, unattributed)';
  const url = frame.url;
  if (!url) return fn ? `native: ${fn}` : '(native)';
  for (const [re, name] of AREAS) {
    const m = url.match(re);
    if (m) return typeof name === 'function' ? name(m) : name;
  }
  return 'other';
}

/** Self time per area and per function (ms) from a V8 profile; idle is reported apart. */
function fnKey(f) {
  const short = f.url
    .replace(/^file:\/\/.*?node_modules\//, '')
    .replace(/^file:\/\/.*?\/dist\//, 'dist/')
    .replace(/^file:\/\/.*?\/bench\//, 'bench/');
  return `${f.functionName || '(anonymous)'}  ${short}${f.url ? `:${f.lineNumber + 1}` : ''}`;
}

export function summarise(profile, { top = 15, callersOf = 4 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfById = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const areas = new Map();
  const fns = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, t] of selfById) {
    const f = byId.get(id).callFrame;
    const area = areaOf(f);
    if (area === '(idle)') {
      idle += t;
      continue;
    }
    busy += t;
    areas.set(area, (areas.get(area) ?? 0) + t);
    const key = fnKey(f);
    fns.set(key, (fns.get(key) ?? 0) + t);
  }
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]);
  const functions = sort(fns).slice(0, top);
  // For the heaviest functions, who called them (self time split by the nearest caller that is
  // not the function itself): "stringWidth is slow" is only actionable with "called from where".
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const callers = {};
  for (const [key] of functions.slice(0, callersOf)) {
    const by = new Map();
    for (const [id, t] of selfById) {
      if (fnKey(byId.get(id).callFrame) !== key) continue;
      let p = parent.get(id);
      while (p !== undefined && fnKey(byId.get(p).callFrame) === key) p = parent.get(p);
      const name = p === undefined ? '(root)' : fnKey(byId.get(p).callFrame);
      by.set(name, (by.get(name) ?? 0) + t);
    }
    callers[key] = sort(by).slice(0, 4);
  }
  return { busy, idle, areas: sort(areas), functions, callers };
}

export async function startProfile(intervalUs = 200) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async function stop() {
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    session.disconnect();
    return profile;
  };
}

/** Lines for a summary, with each area's share of busy CPU. */
export function formatSummary(s, indent = '      ', ms = (x) => `${x.toFixed(1)} ms`) {
  const out = [`${indent}busy CPU ${ms(s.busy)} (idle ${ms(s.idle)}); self time by area:`];
  for (const [name, t] of s.areas.slice(0, 14))
    out.push(`${indent}  ${ms(t).padStart(10)}  ${((100 * t) / s.busy).toFixed(1).padStart(5)}%  ${name}`);
  out.push(`${indent}top functions by self time:`);
  for (const [name, t] of s.functions) {
    out.push(`${indent}  ${ms(t).padStart(10)}  ${((100 * t) / s.busy).toFixed(1).padStart(5)}%  ${name}`);
    for (const [caller, ct] of s.callers?.[name] ?? [])
      out.push(`${indent}  ${''.padStart(10)}         ${ms(ct).padStart(9)} from ${caller}`);
  }
  return out;
}
