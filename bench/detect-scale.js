// No cliffs: the detector's per-event cost at 1M events against the same at 50k. Every stateful
// rule is pushed past its caps — secrets read by 20,000 identities from changing public addresses
// (the secret-read rule keeps 5,000), sessions of 20,000 roles revoked (the re-assume rule keeps
// 5,000), one million distinct event keys (the engine remembers 200,000) — so what is measured is
// the steady state at the caps, where an eviction that walks the deleted slots of a Map or Set
// used to make the cost grow with the stream (src/domain/bounded-map.ts, bounded-set.ts).
// BENCH_SCALE_SMALL (50000)  BENCH_SCALE_LARGE (1000000)

import { createDetector } from '../dist/src/detections/engine.js';
import { cloudTrailEvent } from './fixtures.js';
import { envInt, log, now } from './lib.js';

/** Event i of the stream: mostly S3 data events, with secret reads and revocations mixed in. */
function streamEvent(i) {
  const e = cloudTrailEvent(i);
  const raw = e.raw;
  if (i % 4 === 1) {
    const who = `arn:aws:sts::123456789012:assumed-role/app-${i % 20_000}/task`;
    raw.eventSource = 'secretsmanager.amazonaws.com';
    raw.eventName = 'GetSecretValue';
    raw.userIdentity.arn = who;
    raw.sourceIPAddress = `198.51.100.${i % 251}`;
    raw.requestParameters = { secretId: `prod/app-${i % 20_000}/db` };
    return { ...e, actor: who, action: 'GetSecretValue', sourceIp: raw.sourceIPAddress, outcome: 'success' };
  }
  if (i % 4 === 3) {
    raw.eventSource = 'iam.amazonaws.com';
    raw.eventName = 'PutRolePolicy';
    raw.requestParameters = { roleName: `role-${i % 20_000}`, policyName: 'AWSRevokeOlderSessions' };
    return { ...e, action: 'PutRolePolicy', outcome: 'success' };
  }
  return e;
}

function perEventUs(n) {
  const d = createDetector();
  // Build outside the clock: the fixture's cost is not the detector's.
  const batch = 10_000;
  let total = 0;
  for (let start = 0; start < n; start += batch) {
    const events = [];
    for (let i = start; i < Math.min(n, start + batch); i++) events.push(streamEvent(i));
    const t = now();
    for (const e of events) d.observe(e);
    total += now() - t;
  }
  return (total * 1000) / n;
}

export async function benchDetectScale() {
  const small = envInt('BENCH_SCALE_SMALL', 50_000);
  const large = envInt('BENCH_SCALE_LARGE', 1_000_000);
  perEventUs(Math.min(small, 20_000)); // warm-up: the JIT, the rules' regexes
  const smallUs = perEventUs(small);
  const largeUs = perEventUs(large);
  log(`detector: ${smallUs.toFixed(2)} µs/event at ${small}, ${largeUs.toFixed(2)} µs/event at ${large}`);
  return { small, large, smallUs, largeUs };
}
