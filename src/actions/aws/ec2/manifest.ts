// The evidence file an EC2 evidence action leaves on disk: a small JSON manifest of what AWS now
// holds (snapshot ids per volume), under <evidenceDir>/<incident>/aws/, hashed as written so the
// evidence record's SHA-256 is of exactly these bytes.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionEnv, EvidenceArtifact } from '../../types.js';

/** Keeps a path segment to safe characters (the incident id is ours, but a file name must never climb). */
function segment(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

export async function writeAwsEvidence(
  env: ActionEnv,
  fileName: string,
  content: unknown,
  source: string,
  description: string,
): Promise<EvidenceArtifact> {
  const dir = join(env.evidenceDir, segment(env.incidentId), 'aws');
  await mkdir(dir, { recursive: true });
  const path = join(dir, segment(fileName));
  const bytes = Buffer.from(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
  // 'wx': an evidence file is written once; a second write of the same name is a bug, not an update.
  await writeFile(path, bytes, { flag: 'wx', mode: 0o600 });
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, source, description };
}
