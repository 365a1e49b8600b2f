// Build step (package.json "build"): every bundled scenario's YAML as JSON in dist/scenarios, for
// scenario-cache.ts. A scenario that does not load fails the build, naming the file and line.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, cacheFileFor, sha256, type CacheEntry } from './scenario-cache.js';
import { parseScenario, scenarioData } from './scenario-yaml.js';
import { scenariosDir } from './scenario.js';

const dir = scenariosDir();
mkdirSync(cacheDir(), { recursive: true });
for (const n of readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f))) {
  const file = join(dir, n);
  const text = readFileSync(file, 'utf8');
  try {
    parseScenario(text, file);
  } catch (e) {
    process.stderr.write(`scenario ${(e as Error).message}\n`);
    process.exitCode = 1;
    continue;
  }
  const entry: CacheEntry = { sha256: sha256(text), data: scenarioData(text, file).data };
  writeFileSync(cacheFileFor(file), JSON.stringify(entry));
}
