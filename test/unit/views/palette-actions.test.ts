// The palette's action commands parse into intents (pure; the cockpit tests drive them end to end).

import { expect, it } from 'vitest';
import { parseCommand } from '../../../views/palette.js';

it(':arm, :act and :exfil parse; bad arguments say the usage', () => {
  expect(parseCommand('arm 123456789012', 'live', 0)).toEqual({ kind: 'arm', name: '123456789012' });
  expect(parseCommand('act vault.revokeLeases vault-prefix:aws/creds/x', 'live', 0)).toEqual({
    kind: 'act',
    actionId: 'vault.revokeLeases',
    target: { kind: 'vault-prefix', id: 'aws/creds/x' },
  });
  expect(parseCommand('act k8s.capturePod pod:shop/web-1', 'drill', 0)).toEqual({
    kind: 'act',
    actionId: 'k8s.capturePod',
    target: { kind: 'pod', id: 'shop/web-1' },
  });
  expect(parseCommand('act k8s.capturePod shop/web-1', 'live', 0)).toEqual({
    error: 'usage: act <action-id> <kind:id[@account|@cluster]> [--since TIME]',
  });
  // Where the target is, when the session watches several accounts or clusters.
  expect(parseCommand('act k8s.quarantinePod pod:shop/web-1@shop-b', 'live', 0)).toEqual({
    kind: 'act',
    actionId: 'k8s.quarantinePod',
    target: { kind: 'pod', id: 'shop/web-1', cluster: 'shop-b' },
  });
  expect(parseCommand('act aws.denyAllRole iam-role:ci-deployer@222222222222', 'live', 0)).toMatchObject({
    target: { kind: 'iam-role', id: 'ci-deployer', account: '222222222222' },
  });
  expect(parseCommand('exfil on 40 GB out to 203.0.113.7', 'live', 0)).toEqual({
    kind: 'exfil',
    active: true,
    reason: '40 GB out to 203.0.113.7',
  });
  expect(parseCommand('exfil off', 'live', 0)).toEqual({ error: 'usage: exfil <on|off> <reason>' });
  expect(parseCommand('arm 123456789012', 'review', 0)).toEqual({ error: 'arm is not available in review mode' });
});

it(':act completes the session’s action ids, then the known targets of that action’s kind', async () => {
  const { complete, completions } = await import('../../../views/palette.js');
  const extra = {
    actions: [
      { id: 'aws.deactivateKey', kind: 'access-key' },
      { id: 'aws.denyAllRole', kind: 'role' },
      { id: 'k8s.capturePod', kind: 'pod' },
    ],
    targets: [
      { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01' },
      { kind: 'role', id: 'orders-api-prod' },
      { kind: 'pod', id: 'shop/web-1' },
      { kind: 'pod', id: 'shop/web-2' },
    ],
  };
  expect(completions('act aws.d', 'live', false, extra)).toEqual(['act aws.deactivateKey', 'act aws.denyAllRole']);
  expect(complete('act aws.dea', 'live', false, extra)).toBe('act aws.deactivateKey ');
  // Only targets the chosen action can take: a pod action is offered pods, never the key.
  expect(completions('act k8s.capturePod ', 'live', false, extra)).toEqual([
    'act k8s.capturePod pod:shop/web-1',
    'act k8s.capturePod pod:shop/web-2',
  ]);
  expect(complete('act aws.deactivateKey a', 'live', false, extra)).toBe(
    'act aws.deactivateKey access-key:AKIA5REPORTEXAMPLE01 ',
  );
  // No :act in review: nothing to complete.
  expect(completions('act aws.d', 'review', false, extra)).toEqual([]);
});

it('the README palette table lists every command with its arguments', async () => {
  const { PALETTE, paletteTableMarkdown } = await import('../../../views/palette.js');
  const t = paletteTableMarkdown();
  for (const c of PALETTE) expect(t).toContain(`| \`:${c.name}`);
  expect(t).toContain('`:arm <account-id\\|cluster>`');
});

it('a mistyped command, phase, role or target kind names the one it most likely meant', () => {
  expect(parseCommand('sevrity 1', 'live', 0)).toEqual({
    error: 'unknown command "sevrity" — did you mean severity? (Tab lists the commands)',
  });
  expect(parseCommand('phase containmnet', 'live', 0)).toMatchObject({
    error: expect.stringMatching(/^unknown phase containmnet — did you mean containment\?: usage: phase/),
  });
  expect(parseCommand('role scirbe alex', 'live', 0)).toMatchObject({
    error: expect.stringMatching(/^unknown role scirbe — did you mean scribe\?: usage: role/),
  });
  expect(parseCommand('act k8s.capturePod pdo:shop/web-1', 'live', 0)).toMatchObject({
    error: expect.stringMatching(/^unknown target kind "pdo" — did you mean pod\?: one of /),
  });
  // No guess when nothing is close.
  expect(parseCommand('frobnicate', 'live', 0)).toEqual({
    error: 'unknown command "frobnicate" (Tab lists the commands)',
  });
});
