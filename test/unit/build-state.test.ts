// scripts/build-state.js decides whether `npm start` and `npm install` (prepare) rebuild: stale
// until a build stamps dist/, fresh after, stale again once a source, a config or the set of files
// changes — and a file saved while a build runs is not covered by that build.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (it runs before anything is compiled), no type declarations
import { beginBuild, buildState, writeStamp } from '../../scripts/build-state.js';

type State = { fresh: boolean; reason: string };
const state = (root: string) => buildState(root) as State;

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fb-build-state-'));
  mkdirSync(join(root, 'src', 'journal'), { recursive: true });
  mkdirSync(join(root, 'app'), { recursive: true });
  writeFileSync(join(root, 'src', 'journal', 'scan.ts'), 'export {};\n');
  writeFileSync(join(root, 'app', 'cli.ts'), 'export {};\n');
  writeFileSync(join(root, 'package.json'), '{}\n');
  // Every input an hour old, so a build "now" is newer than all of them.
  const old = new Date(Date.now() - 3600_000);
  for (const p of ['src/journal/scan.ts', 'src/journal', 'src', 'app/cli.ts', 'app', 'package.json'])
    utimesSync(join(root, p), old, old);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A finished build, as package.json "build" brackets it. */
function build(): void {
  beginBuild(root);
  writeStamp(root);
}

const touch = (p: string, secondsFromNow = 5) => {
  const t = new Date(Date.now() + secondsFromNow * 1000);
  utimesSync(join(root, p), t, t);
};

describe('build state', () => {
  it('is stale before the first build and fresh after it', () => {
    expect(state(root)).toMatchObject({ fresh: false, reason: expect.stringContaining('never built') });
    build();
    expect(state(root)).toEqual({ fresh: true, reason: expect.any(String) });
  });

  it('is stale after a source file is touched, naming it, and fresh after the next build', () => {
    build();
    touch('src/journal/scan.ts');
    expect(state(root)).toMatchObject({
      fresh: false,
      reason: expect.stringContaining(join('src', 'journal', 'scan.ts')),
    });
    // The touched file is 5 s in the future; the next build must start after it to cover it.
    const later = new Date(Date.now() + 10_000);
    beginBuild(root);
    utimesSync(join(root, 'dist', '.build-begun'), later, later);
    writeStamp(root);
    expect(state(root).fresh).toBe(true);
  });

  it('is stale when a config file changes or a source file is removed', () => {
    build();
    touch('package.json');
    expect(state(root).fresh).toBe(false);

    rmSync(root + '/dist', { recursive: true });
    build();
    rmSync(join(root, 'app', 'cli.ts'));
    touch('app'); // what removing a file does to its directory, made certain past the stamp's clock
    expect(state(root)).toMatchObject({ fresh: false, reason: expect.stringContaining('app') });
  });

  it('stays stale while a build runs and when it fails before stamping', () => {
    build();
    beginBuild(root);
    expect(state(root).fresh).toBe(false);
  });

  it('does not count a file saved during the build as built', () => {
    beginBuild(root);
    // The stamp is the build's start: a save after it (here 2 s later) is newer than the build.
    const start = new Date(Date.now() - 4000);
    utimesSync(join(root, 'dist', '.build-begun'), start, start);
    touch('src/journal/scan.ts', -2);
    writeStamp(root);
    expect(state(root).fresh).toBe(false);
  });
});
