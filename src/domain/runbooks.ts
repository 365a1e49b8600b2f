// Runbooks: the seed's top-five scenarios (credentials leak, public bucket, host compromise, DDoS,
// insider abuse) as checklists in assets/runbooks/*.yaml. A step may name the action that carries
// it out; the ids are checked here against the actions firebreak knows, so a runbook can never
// point at a key that does nothing. Files are validated strictly: a typo is an error naming the
// file and the field, not a silently missing step.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { PHASE_IDS, type PhaseId } from './phases.js';
import { packageRoot, formatPath } from '../sources/drill/scenario.js';

/**
 * The actions a runbook step may bind to, with the target each one needs (what the responder
 * selects before the action can run). Kept in step with src/actions/registry.ts as the action
 * families land; a test checks that every id here is in the registry once it is populated.
 */
export const RUNBOOK_ACTIONS = {
  'aws.preserveCloudTrail': 'an IAM role (its sessions’ CloudTrail for the window)',
  'aws.preserveCloudTrailKey': 'an access key (its CloudTrail for the window)',
  'aws.preserveCloudTrailUser': 'an IAM user (its CloudTrail for the window)',
  'aws.denyAllRole': 'an IAM role',
  'aws.deactivateKey': 'an access key',
  'aws.denyAllUser': 'an IAM user',
  'aws.snapshotVolumes': 'an EC2 instance',
  'aws.isolateInstance': 'an EC2 instance',
  'aws.naclIsolateInstance': 'an EC2 instance (its subnet\u2019s network ACL)',
  'aws.uploadEvidence': 'the evidence collected so far (to the write-once bucket)',
  'vault.revokeLeases': 'a Vault lease prefix',
  'k8s.capturePod': 'a pod',
  'k8s.quarantinePod': 'a pod',
  'k8s.isolateNamespace': 'a namespace',
  'k8s.cordonNode': 'a node',
} as const satisfies Record<string, string>;

export type RunbookActionId = keyof typeof RUNBOOK_ACTIONS;
export const RUNBOOK_ACTION_IDS = Object.keys(RUNBOOK_ACTIONS) as RunbookActionId[];

export function isRunbookActionId(x: string): x is RunbookActionId {
  return Object.hasOwn(RUNBOOK_ACTIONS, x);
}

const label = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and "-"');
const text = z.string().trim().min(1, 'must not be empty');

export const runbookStepSchema = z.strictObject({
  id: label,
  phase: z.enum(PHASE_IDS),
  text,
  action: z
    .string()
    .refine(isRunbookActionId, {
      error: (iss) => `unknown action "${String(iss.input)}"; known: ${RUNBOOK_ACTION_IDS.join(', ')}`,
    })
    .optional(),
});

export const runbookSchema = z
  .strictObject({
    id: label,
    title: text,
    /** When to reach for it: the signals that point here. */
    whenToUse: text,
    /** Other names detections use for this runbook ("data-exposure" → public-bucket). */
    aliases: z.array(label).default([]),
    steps: z.array(runbookStepSchema).min(1, 'a runbook needs at least one step'),
  })
  .superRefine((rb, ctx) => {
    const seen = new Set<string>();
    rb.steps.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${s.id}"` });
      seen.add(s.id);
    });
  });

export interface RunbookStep {
  id: string;
  phase: PhaseId;
  text: string;
  action?: RunbookActionId;
}

export interface Runbook {
  id: string;
  title: string;
  whenToUse: string;
  aliases: string[];
  steps: RunbookStep[];
  file: string;
}

export class RunbookError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'RunbookError';
  }
}

export function runbooksDir(): string {
  return join(packageRoot(), 'assets', 'runbooks');
}

/** Parses one runbook file's text; errors name the file and the field. */
export function parseRunbook(source: string, file: string): Runbook {
  const doc = parseDocument(source);
  if (doc.errors[0]) throw new RunbookError(file, `YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const r = runbookSchema.safeParse(doc.toJS());
  if (!r.success) {
    const i = r.error.issues[0]!;
    const path = formatPath(i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)));
    throw new RunbookError(file, `${path ? `${path}: ` : ''}${i.message}`);
  }
  const name = basename(file, extname(file));
  if (r.data.id !== name) throw new RunbookError(file, `id: "${r.data.id}" must match the file name "${name}"`);
  const steps = r.data.steps.map((s) => ({
    id: s.id,
    phase: s.phase,
    text: s.text,
    ...(s.action ? { action: s.action } : {}),
  }));
  return { id: r.data.id, title: r.data.title, whenToUse: r.data.whenToUse, aliases: r.data.aliases, steps, file };
}

/** Every *.yaml runbook in `dir`, sorted by id. Synchronous: five small files, read once. */
export function loadRunbooks(dir: string = runbooksDir()): Runbook[] {
  const files = readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort();
  return files.map((n) => parseRunbook(readFileSync(join(dir, n), 'utf8'), join(dir, n)));
}

let bundled: Runbook[] | undefined;

/** The bundled runbooks (assets/runbooks), loaded on first use. */
export function bundledRunbooks(): Runbook[] {
  bundled ??= loadRunbooks();
  return bundled;
}

/**
 * The runbook a detection's `runbook` field names. Rules write "credentials-leak: first move …";
 * the id is the part before the colon, matched against ids and aliases.
 */
export function runbookFor(field: string, runbooks: readonly Runbook[]): Runbook | undefined {
  const id = field.split(':')[0]!.trim().toLowerCase();
  return runbooks.find((r) => r.id === id) ?? runbooks.find((r) => r.aliases.includes(id));
}

/** The runbook most detections point to (ties: the one named first). */
export function suggestRunbook(fields: readonly string[], runbooks: readonly Runbook[]): Runbook | undefined {
  const counts = new Map<Runbook, number>();
  for (const f of fields) {
    const rb = runbookFor(f, runbooks);
    if (rb) counts.set(rb, (counts.get(rb) ?? 0) + 1);
  }
  let best: Runbook | undefined;
  for (const [rb, n] of counts) if (!best || n > counts.get(best)!) best = rb;
  return best;
}

export type StepStatus = 'done' | 'skipped' | 'open';
