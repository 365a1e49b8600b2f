// The layer rule (ARCHITECTURE.md) is eslint.config.js's no-restricted-imports: these deliberate
// violations must be reported, and the same imports from the layer above must not be, so a
// config that stopped matching (a renamed folder, a broken regex) fails here, not in review.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

async function lint(file: string, code: string): Promise<string[]> {
  // Type information is not needed for the import rule and would need the file on disk.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [r] = await eslint.lintText(code, { filePath: `${ROOT}${file}` });
  return (r?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the dependency rule app → views → store → src', () => {
  it.each([
    ['src/journal/probe.ts', "import { createIncidentStore } from '../../store/store.js';"],
    ['src/reports/probe.ts', "import { App } from '../../views/App.js';"],
    ['src/probe.ts', "import { run } from '../app/cli.js';"],
    ['src/actions/aws/probe.ts', "import { server } from '@firebreak/cloud-sim';"],
    ['store/probe.ts', "import { App } from '../views/App.js';"],
    ['store/probe.ts', "import { runCockpit } from '../app/run.js';"],
    ['views/probe.ts', "import { readFile } from 'node:fs/promises';"],
    ['views/panes/probe.tsx', "import { spawn } from 'node:child_process';"],
    ['views/probe.ts', "import { runCockpit } from '../app/run.js';"],
    [
      'packages/cloud-sim/src/probe.ts',
      "import { serviceSelects } from '../../../src/actions/kubernetes/selectors.js';",
    ],
  ])('%s may not: %s', async (file, code) => {
    const errors = await lint(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-restricted-imports: /);
  });

  it.each([
    [
      'app/probe.ts',
      "import { App } from '../views/App.js'; import { readFile } from 'node:fs/promises'; import { server } from '@firebreak/cloud-sim';",
    ],
    [
      'views/probe.ts',
      "import { createIncidentStore } from '../store/store.js'; import { SEVERITIES } from '../src/domain/severity.js';",
    ],
    [
      'store/probe.ts',
      "import { readFile } from 'node:fs/promises'; import { verifyJournal } from '../src/journal/verify.js';",
    ],
    [
      'src/journal/probe.ts',
      "import { readFile } from 'node:fs/promises'; import { canonicalRecord } from './canonical.js';",
    ],
  ])('%s may: %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});
