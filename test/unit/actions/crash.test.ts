// Killed mid-action (kill -9 at each lifecycle point): on reopen the action is shown as it really
// stands — planned, confirmed, or in doubt once `action.started` is on disk — an in-doubt action is
// settled only by a read-back, and no second mutating call is ever made by itself.

import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner } from '../../../store/action-runner.js';
import { actionStatus, inDoubt } from '../../../store/action-selectors.js';
import { newIncident, openIncident } from '../../../store/open.js';
import type { ActionDef } from '../../../src/actions/types.js';
import { startStandin, type StandinServer } from '../../helpers/standin-server.js';
import { tempDir } from '../../helpers/tmp.js';
// @ts-expect-error plain ESM fixture shared with the crash child
import { standinDefs } from '../../fixtures/action-standin.mjs';

const DIST = resolve(__dirname, '../../../dist');
const CHILD = resolve(__dirname, '../../fixtures/action-crash-child.mjs');

let server: StandinServer;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await server?.sim.close();
});

/** Starts the child; resolves when `until` (a stdout line prefix, or a server hold) is reached, then kills it. */
async function runAndKill(
  file: string,
  point: string,
  until: { line: string } | { held: Promise<unknown> },
): Promise<void> {
  const c = (child = spawn(process.execPath, [CHILD, file, server.sim.url, point, DIST], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let err = '';
  c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((done) => c.on('exit', () => done()));
  const reached =
    'line' in until
      ? new Promise<void>((done, fail) => {
          let out = '';
          c.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.split('\n').some((l) => l.startsWith(until.line))) done();
          });
          c.on('exit', () => fail(new Error(`child exited before "${until.line}": ${err}`)));
        })
      : until.held.then(() => undefined);
  await reached;
  c.kill('SIGKILL');
  await exited;
}

async function reopen(file: string) {
  const opened = await openIncident(file);
  const runner = new ActionRunner({
    store: opened.store,
    mode: 'live',
    env: async () => ({
      incidentId: 'INC-2026-042',
      evidenceDir: '/nonexistent',
      now: () => new Date(),
      collector: 't',
      toolVersion: 't',
    }),
    backends: new Set(['aws']),
    defs: standinDefs(() => server.sim.url) as ActionDef[],
  });
  const s = opened.store.getState();
  const id = s.state.actionOrder[0]!;
  return {
    opened,
    runner,
    id,
    status: () => actionStatus(opened.store.getState().state.actions.get(id)!, opened.store.getState().meta.loadedSeq),
  };
}

async function fresh(): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'incident.log');
  const { journal, store } = await newIncident(file, { incidentId: 'INC-2026-042', title: 'crash', mode: 'live' });
  await store.getState().actions.assignRole('ic', 'Dana');
  await journal!.close();
  server = await startStandin();
  return file;
}

describe('kill -9 at each point of an action', () => {
  it('after planned: the plan is there, nothing ran, nothing is in doubt', async () => {
    const file = await fresh();
    await runAndKill(file, 'planned', { line: 'planned' });
    const r = await reopen(file);
    expect(r.status()).toBe('planned');
    expect(inDoubt(r.opened.store.getState().state, r.opened.store.getState().meta.loadedSeq)).toHaveLength(0);
    expect(server.mutating()).toBe(0);
    await r.opened.journal!.close();
  });

  it('after confirmed: confirmed, not started, no call', async () => {
    const file = await fresh();
    await runAndKill(file, 'confirmed', { line: 'confirmed' });
    const r = await reopen(file);
    expect(r.status()).toBe('confirmed');
    expect(server.mutating()).toBe(0);
    await r.opened.journal!.close();
  });

  it('after started, before the mutating call: in doubt; re-verify finds it not applied; never re-executed', async () => {
    const file = await fresh();
    await runAndKill(file, 'execute', { held: server.hold('/before') });
    const r = await reopen(file);
    expect(r.status()).toBe('in-doubt');
    await expect(r.runner.execute(r.id)).rejects.toThrow(/never run twice/);
    expect(await r.runner.reverify(r.id)).toBe('not-applied');
    expect(server.mutating()).toBe(0);
    await r.opened.journal!.close();
  });

  it('during the mutating call (applied, answer lost): in doubt; re-verify finds it applied; one call only', async () => {
    const file = await fresh();
    // The API applies it; the process dies before hearing back.
    const held = server.hold('/apply').then(() => (server.state.group = 'sg-iso'));
    await runAndKill(file, 'execute', { held });
    const r = await reopen(file);
    expect(r.status()).toBe('in-doubt');
    expect(await r.runner.reverify(r.id)).toBe('verified');
    const doubt = r.opened.store.getState().state.actions.get(r.id)!.verified.at(-1)!;
    expect(doubt).toMatchObject({ ok: true, afterDoubt: true });
    await expect(r.runner.execute(r.id)).rejects.toThrow(/never run twice/);
    expect(server.mutating()).toBe(1);
    await r.opened.journal!.close();
  });

  it('after success, during the read-back: succeeded and unverified; re-verify settles it', async () => {
    const file = await fresh();
    const held = server.hold('/apply').then((release) => {
      // Answer the apply, then hold the verify's read: the kill lands between succeeded and verified.
      const verifying = server.hold('/state');
      release();
      return verifying;
    });
    await runAndKill(file, 'execute', { held });
    const r = await reopen(file);
    expect(r.status()).toBe('succeeded');
    expect(await r.runner.reverify(r.id)).toBe('verified');
    expect(server.mutating()).toBe(1);
    await r.opened.journal!.close();
  });
});
