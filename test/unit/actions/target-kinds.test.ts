// Target kinds are one closed list (src/domain/target-kinds.ts): the journal refuses a target of a
// kind no action knows, the palette refuses to type one in, and every kind an action or the target
// picker (targetsOf) uses is on the list and has a name in the manual.

import { expect, it } from 'vitest';
import { targetsOf } from '../../../src/actions/catalog.js';
import { ACTION_META } from '../../../src/actions/meta.js';
import { TARGET_KIND_NAMES, TARGET_KINDS } from '../../../src/domain/target-kinds.js';
import { validateData } from '../../../src/journal/records.js';
import { parseCommand } from '../../../views/palette.js';

const SHA = 'b'.repeat(64);
const planned = (kind: string) => ({
  actionId: 'act-mdx1k2-0a1b2c3d',
  action: 'k8s.quarantinePod',
  target: { kind, id: 'prod/web-1', label: 'pod prod/web-1' },
  params: {},
  paramsHash: SHA,
  calls: [],
  blastRadius: [],
  warnings: [],
});

it('the journal accepts a target of every listed kind and refuses any other', () => {
  for (const k of TARGET_KINDS) expect(validateData('action.planned', planned(k)), k).toMatchObject({ ok: true });
  expect(validateData('action.planned', planned('pods'))).toMatchObject({
    ok: false,
    reason: expect.stringMatching(/data\.target\.kind/),
  });
  expect(
    validateData('action.failed', {
      actionId: 'act-mdx1k2-0a1b2c3d',
      target: { kind: 'cluster', id: 'x', label: 'x' },
      stage: 'plan',
      requestIds: [],
      message: 'm',
    }),
  ).toMatchObject({ ok: false });
});

it('the palette refuses a target kind that is not on the list, naming the ones that are', () => {
  expect(parseCommand('act k8s.capturePod pods:shop/web-1', 'live', 0)).toEqual({
    error: `unknown target kind "pods" — did you mean pod?: one of ${TARGET_KINDS.join(', ')}`,
  });
  expect(parseCommand('act aws.isolateInstance instance:i-0abc1234', 'live', 0)).toEqual({
    kind: 'act',
    actionId: 'aws.isolateInstance',
    target: { kind: 'instance', id: 'i-0abc1234' },
  });
});

it('every kind an action acts on or an event names is on the list, with a name for the manual', () => {
  const used = new Set<string>(ACTION_META.map((m) => m.kind));
  const e = {
    source: 'kubernetes',
    actor: 'arn:aws:sts::123456789012:assumed-role/ci/s',
    target: 'pods/web-1 nodes/n-1 AKIA5REPORTEXAMPLE01 i-0abc1234 ',
    scope: 'prod',
  };
  for (const t of targetsOf(e)) used.add(t.kind);
  for (const k of used) expect(TARGET_KINDS, k).toContain(k);
  expect(Object.keys(TARGET_KIND_NAMES).sort()).toEqual([...TARGET_KINDS].sort());
});
