// The README's per-action permissions table is generated from meta.ts (`npm run keys`): a
// permission added to an action without regenerating fails here, so the manual's responder role
// never differs from what `firebreak permissions` prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS_START, withPermissionsTable } from '../../../src/actions/permissions.js';

describe('README permissions table', () => {
  it('is current', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(PERMISSIONS_START);
    expect(withPermissionsTable(readme), 'README.md permissions table is stale: run npm run keys').toBe(readme);
    expect(withPermissionsTable(readme)).toMatch(/\| `aws\.deactivateKey` \| [^|]*`iam:UpdateAccessKey`/);
  });
});
