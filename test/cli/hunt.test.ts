// `firebreak hunt` (the built CLI) against the simulated Lake and Athena, reached the way a user
// would point the SDK at an emulator (AWS_ENDPOINT_URL): the price basis and progress on stderr,
// the summary on stdout, an unbounded hunt refused (exit 2), Ctrl-C cancels the query (exit 2)
// and says where it stopped, and the journal verifies afterwards.

import { spawn, spawnSync } from 'node:child_process';
import { AthenaSim, CloudTrailSim } from '@firebreak/cloud-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { makeJournal } from '../unit/import/helpers.js';
import { CLI, ensureBuiltCli } from '../helpers/built-cli.js';
import { seedEvents, KEY } from '../wire/hunt-harness.js';

beforeAll(ensureBuiltCli, 180_000);

let sims: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function world() {
  const ct = new CloudTrailSim({ account: '111122223333', region: 'us-east-1', events: seedEvents() });
  const athena = new AthenaSim({}, () => ct.records());
  await ct.start();
  await athena.start();
  sims.push(ct, athena);
  const journal = await makeJournal(tempDir('fb-cli-hunt-'));
  return { ct, athena, journal };
}

function env(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: '1',
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
}

function run(args: string[], url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: env(url) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const WINDOW = ['--since', '2026-04-20T11:00Z', '--until', '2026-04-20T13:00Z'];

describe('firebreak hunt', () => {
  it('Lake: price basis and progress on stderr, the summary on stdout, exit 0, the journal verifies', async () => {
    const w = await world();
    const r = await run(
      [
        'hunt',
        '--journal',
        w.journal,
        '--engine',
        'lake',
        '--event-data-store',
        w.ct.eventDataStoreArn(),
        '--access-key',
        KEY,
        ...WINDOW,
      ],
      w.ct.url,
    );
    expect(r.stderr).toContain('CloudTrail Lake charges $0.005 per GB scanned');
    expect(r.stderr).toMatch(/hunt \(CloudTrail Lake\): queued, 0 rows/);
    expect(r.stderr).toMatch(/hunt \(CloudTrail Lake\): running/);
    expect(r.stdout).toMatch(
      /^hunt finished: 7 rows, 7 new events, \d+ detections, .* scanned \((< )?\$[\d.]+\)\nquery id [0-9a-f-]{36}\n/,
    );
    expect(r.code).toBe(0);
    expect(spawnSync(process.execPath, [CLI, 'verify', w.journal], { encoding: 'utf8' }).status).toBe(0);
  }, 60_000);

  it('Athena: the same hunt by source IP over the table', async () => {
    const w = await world();
    const r = await run(
      [
        'hunt',
        '--journal',
        w.journal,
        '--engine',
        'athena',
        '--database',
        'cloudtrail',
        '--table',
        'cloudtrail_logs',
        '--output',
        's3://results/x/',
        '--source-ip',
        '198.51.100.7',
        ...WINDOW,
      ],
      w.athena.url,
    );
    expect(r.stderr).toContain('Athena charges $5 per TB scanned');
    expect(r.stdout).toMatch(/^hunt finished: 8 rows, 8 new events/);
    expect(r.code).toBe(0);
    expect(w.athena.recorder.of('StartQueryExecution')[0]!.params.ResultConfiguration).toEqual({
      OutputLocation: 's3://results/x/',
    });
  }, 60_000);

  it('refuses a hunt without a time bound (exit 2) before any call; usage errors name the flag', async () => {
    const w = await world();
    const r = await run(
      ['hunt', '--journal', w.journal, '--engine', 'lake', '--event-data-store', 'eds-1', '--access-key', KEY],
      w.ct.url,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no time bound.*--allow-unbounded/);
    expect(w.ct.recorder.calls).toHaveLength(0);
    const u = await run(['hunt', '--journal', w.journal, '--engine', 'athena', '--access-key', KEY], w.ct.url);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--engine athena needs --database D --table T');
  }, 60_000);

  it('Ctrl-C cancels the running query (CancelQuery), exit 2, says where it stopped', async () => {
    const w = await world();
    w.ct.lake.runs.pollsToFinish = 100_000;
    const child = spawn(
      process.execPath,
      [
        CLI,
        'hunt',
        '--journal',
        w.journal,
        '--engine',
        'lake',
        '--event-data-store',
        w.ct.eventDataStores[0]!,
        '--access-key',
        KEY,
        ...WINDOW,
      ],
      { env: env(w.ct.url) },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 400 && !stderr.includes('running'); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(stderr).toContain('cancelling the hunt');
    expect(stdout).toMatch(/^hunt cancelled while polling: 0 rows/);
    expect(code).toBe(2);
    expect(w.ct.recorder.of('CancelQuery')).toHaveLength(1);
    expect(spawnSync(process.execPath, [CLI, 'verify', w.journal], { encoding: 'utf8' }).status).toBe(0);
  }, 60_000);
});
