// An action's params are parsed with its own schema at the boundary with the journal (defineAction,
// src/actions/define.ts): a plan edited by hand, or written by another build, is refused with a
// message that says so before any step touches a client, and an undo parses the params of the
// action it reverses the same way. No implementation casts its params.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../../src/actions/define.js';
import { ActionError } from '../../../src/actions/errors.js';
import { ACTION_IMPLEMENTATIONS } from '../../../src/actions/implementations.js';
import { actionMeta } from '../../../src/actions/meta.js';
import type { ActionEnv, ActionPlan, Target } from '../../../src/actions/types.js';

// No clients at all: a step that got past the parse would fail differently (no session, a TypeError).
const ENV: ActionEnv = {
  incidentId: 'INC-2026-042',
  evidenceDir: '/nonexistent',
  now: () => new Date('2026-04-20T14:40:00Z'),
  collector: 't',
  toolVersion: 't',
};
const EDITED: ActionPlan = {
  params: { instanceId: 42, namespace: ['x'], pod: null },
  calls: [],
  blastRadius: [],
  warnings: [],
};

async function refusal(f: () => Promise<unknown>): Promise<ActionError> {
  const e = await f().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ActionError);
  return e as ActionError;
}

describe('typed action params', () => {
  it('every action refuses journaled params its schema does not accept, before any call, naming the action', async () => {
    for (const d of ACTION_IMPLEMENTATIONS) {
      const t: Target = { kind: d.kind, id: 'x', label: 'x' };
      expect(typeof d.params?.safeParse, `${d.id} has a params schema`).toBe('function');
      for (const [step, run] of [
        ['dryRun', () => d.dryRun(t, EDITED, ENV)],
        ['execute', () => d.execute(t, EDITED, ENV, 'act-mdx1k2-0a1b2c3d')],
        ['verify', () => d.verify(t, EDITED, ENV, undefined)],
      ] as const) {
        const e = await refusal(run);
        expect(e.code, `${d.id} ${step}: ${e.message}`).toBe('InvalidParams');
        expect(e.message, `${d.id} ${step}`).toContain(d.id);
        expect(e.message).toMatch(/plan the action again/);
      }
    }
  });

  it('an undo parses the params of the action it reverses instead of trusting them', async () => {
    const source = { actionId: 'act-mdx1k2-0a1b2c3d', params: { policy: 'x' }, outputs: {} };
    for (const id of ['k8s.unquarantinePod', 'k8s.unisolateNamespace', 'aws.reactivateKey']) {
      const d = ACTION_IMPLEMENTATIONS.find((x) => x.id === id)!;
      const e = await refusal(() => d.plan({ kind: d.kind, id: 'prod/web-1', label: 'x' }, ENV, source));
      expect(e.code, `${id}: ${e.message}`).toBe('InvalidParams');
      expect(e.message).toMatch(/being (lifted|reversed)/);
    }
  });

  it('a plan is journaled as its schema parses it: unknown fields are refused, not hashed and then dropped', async () => {
    let executed: unknown;
    const d = defineAction({
      ...actionMeta('k8s.cordonNode'),
      params: z.strictObject({ node: z.string() }),
      plan: async () => ({ params: { node: 'n-1' }, calls: [], blastRadius: [], warnings: [] }),
      dryRun: async () => ({ kind: 'simulated', ok: true, message: '', requestIds: [] }),
      execute: async (_t, plan) => {
        executed = plan.params.node;
        return { requestIds: [], outputs: {}, message: '' };
      },
      verify: async () => ({ ok: true, detail: '' }),
    });
    const t: Target = { kind: 'node', id: 'n-1', label: 'node n-1' };
    expect((await d.plan(t, ENV)).params).toEqual({ node: 'n-1' });
    await d.execute(t, { params: { node: 'n-1' }, calls: [], blastRadius: [], warnings: [] }, ENV, 'tok');
    expect(executed).toBe('n-1');
    const e = await refusal(() =>
      d.execute(t, { params: { node: 'n-1', extra: true }, calls: [], blastRadius: [], warnings: [] }, ENV, 'tok'),
    );
    expect(e.message).toMatch(/extra|Unrecognized/i);

    const sloppy = defineAction({
      ...actionMeta('k8s.cordonNode'),
      params: z.strictObject({ node: z.string() }),
      plan: async () => ({ params: { node: 7 as unknown as string }, calls: [], blastRadius: [], warnings: [] }),
      dryRun: d.dryRun,
      execute: d.execute,
      verify: d.verify,
    });
    expect(await refusal(() => sloppy.plan(t, ENV))).toMatchObject({
      code: 'InvalidPlan',
      message: expect.stringMatching(/^k8s\.cordonNode planned parameters its own schema refuses \(node: /),
    });
  });

  it('no implementation casts its params (no `as unknown as`, no params[...] lookups)', () => {
    const root = join(__dirname, '../../../src/actions');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    const offenders = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f, i, line }))
        .filter(({ line }) => /as unknown as|\bparams\[['"]|plan\.params as\b/.test(line)),
    );
    expect(offenders.map(({ f, i, line }) => `${f.slice(root.length + 1)}:${i + 1}: ${line.trim()}`)).toEqual([]);
  });
});
