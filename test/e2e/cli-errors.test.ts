// The command line's answers where a responder first meets them, in a terminal: the scenario
// list, an unknown scenario, and a tampered journal. Each failure is one line and exit code 2,
// never a stack trace (and never the cockpit opening on something it cannot trust).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyJournal } from '../../src/journal/verify.js';
import { newIncident } from '../../store/open.js';
import { killAll, runCli, sandbox, spawnCli, type Sandbox } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

/** Non-empty output lines, without the terminal's \r. */
function outputLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((l) => l.replace(/\r/g, '').trim())
    .filter(Boolean);
}

it('drill --list prints both bundled scenarios', () => {
  const r = runCli(['drill', '--list'], box.env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const names = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[0]);
  expect(names).toEqual(expect.arrayContaining(['inc-2026-042', 'k8s-compromised-pod']));
  expect(r.stdout).toContain('INC-2026-042');
});

it('drill with an unknown scenario exits 2 with one line naming the known ones', async () => {
  const t = spawnCli(['drill', 'nonexistent'], { env: box.env, cols: 200, rows: 24 });
  expect(await t.exit()).toEqual({ code: 2, signal: undefined });
  const lines = outputLines(t.output());
  expect(lines, t.output()).toHaveLength(1);
  expect(lines[0]).toMatch(/^firebreak: .*nonexistent/);
  expect(lines[0]).toContain('inc-2026-042');
  expect(lines[0]).toContain('k8s-compromised-pod');
  // It never got as far as the cockpit.
  expect(t.output()).not.toContain('\x1b[?1049h');
});

it('review refuses a journal with a flipped byte in the middle: exit 2, the bad seq named, no stack trace', async () => {
  // The fixture is written in-process, as `firebreak new` + `firebreak note` would (each cli start costs ~2 s here).
  const J = join(box.dir, 'tampered.jsonl');
  const { store, journal } = await newIncident(
    J,
    { incidentId: 'INC-2026-001', title: 'Tamper test', codename: 'TAMPER TEST', mode: 'live' },
    { actor: 'alice' },
  );
  for (let n = 1; n <= 6; n++) await store.getState().actions.addNote(`note number ${n} about the role`);
  await journal?.close();
  expect((await verifyJournal(J)).ok).toBe(true);

  // Flip the case bit of the letter nearest the middle of the file: still valid JSON, wrong hash.
  const bytes = readFileSync(J);
  let i = Math.floor(bytes.length / 2);
  while (!/[a-zA-Z]/.test(String.fromCharCode(bytes[i]!))) i++;
  bytes[i] = bytes[i]! ^ 0x20;
  writeFileSync(J, bytes);
  const seq = bytes.subarray(0, i).toString('latin1').split('\n').length; // seq = line number
  const total = bytes.toString('latin1').trim().split('\n').length;
  expect(seq).toBeGreaterThan(1);
  expect(seq).toBeLessThan(total); // a bad last line would be a torn tail, not tampering

  const t = spawnCli(['review', J], { env: box.env, cols: 200, rows: 24 });
  expect(await t.exit()).toEqual({ code: 2, signal: undefined });
  const lines = outputLines(t.output());
  expect(lines, t.output()).toHaveLength(1);
  expect(lines[0]).toMatch(/^firebreak: /);
  expect(lines[0]).toContain(`seq ${seq}`);
  expect(t.output()).not.toMatch(/^\s+at /m);
  expect(t.output()).not.toContain('\x1b[?1049h');
  // Refusing to open it changed nothing: verify still names the same record.
  const v = runCli(['verify', J], box.env);
  expect(v.code).toBe(1);
  expect(v.stderr).toContain(`seq ${seq}`);
});
