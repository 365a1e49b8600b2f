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
    error: 'usage: act <action-id> <kind:id>',
  });
  expect(parseCommand('exfil on 40 GB out to 203.0.113.7', 'live', 0)).toEqual({
    kind: 'exfil',
    active: true,
    reason: '40 GB out to 203.0.113.7',
  });
  expect(parseCommand('exfil off', 'live', 0)).toEqual({ error: 'usage: exfil <on|off> <reason>' });
  expect(parseCommand('arm 123456789012', 'review', 0)).toEqual({ error: 'arm is not available in review mode' });
});
