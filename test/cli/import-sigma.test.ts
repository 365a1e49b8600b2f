// `firebreak import --rules DIR` (the built CLI): Sigma rules run beside the built-in rules on the
// imported records, every rule file not loaded is named on stderr with its construct, and so is
// every part of a loaded rule that the records cannot match.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';
import { ctRecord, makeJournal } from '../unit/import/helpers.js';
import { CLI, ensureBuiltCli } from '../helpers/built-cli.js';

beforeAll(ensureBuiltCli, 180_000);

const RULES = fileURLToPath(new URL('../fixtures/sigma/rules', import.meta.url));

describe('firebreak import --rules', () => {
  it('raises Sigma detections and reports the rules it could not load', async () => {
    const dir = tempDir('fb-cli-sigma-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'trail.json');
    const stop = ctRecord(1, {
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      requestParameters: { name: 'prod-audit-trail' },
    });
    writeFileSync(file, JSON.stringify({ Records: [stop, ctRecord(2)] }));
    const r = spawnSync(process.execPath, [CLI, 'import', file, '--journal', journal, '--rules', RULES], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`4 Sigma rules loaded from ${RULES} (9 files); 5 not loaded`);
    expect(r.stderr).toMatch(/count\.yml: unsupported — condition: an aggregation/);
    expect(r.stderr).toMatch(/windows\.yml: not CloudTrail or Kubernetes audit — logsource/);
    expect(r.stderr).toContain('; 1 with warnings');
    expect(r.stderr).toMatch(
      /k8s-hostpath\.yml: loaded, warning — "hostPath" in "selection" is not an audit event field/,
    );
    const { store, journal: j } = await openIncident(journal, { readOnly: true });
    const ds = store.getState().state.detections;
    const texts = Array.from({ length: ds.length }, (_, i) => ds.at(i)!.text);
    await j?.close();
    expect(texts).toContain(
      'CloudTrail Logging Stopped (ATT&CK T1562.008) [sigma.0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3] — suggests Sev1',
    );
  });

  it('a missing rules folder is a usage error (exit 2)', async () => {
    const dir = tempDir('fb-cli-sigma-');
    const journal = await makeJournal(dir);
    const r = spawnSync(process.execPath, [CLI, 'import', dir, '--journal', journal, '--rules', join(dir, 'nope')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^firebreak: --rules .*nope: ENOENT/);
  });
});
