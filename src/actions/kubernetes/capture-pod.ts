// Capture a pod's evidence before anyone touches it: the pod object (spec and status) as the API
// server returned it, the log of every container — the previous (crashed or restarted)
// container's too, which is often the one the attacker ran in — and the namespace's events. Each
// file is hashed as written; the runner journals one evidence record per file. A capture never
// overwrites: every run gets its own folder named after the action id, and evidence is never deleted.

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { describeApiError } from '../errors.js';
import type { ActionEnv, ActionPlan, EvidenceArtifact, ExecuteResult, Target } from '../types.js';
import { apisOf, callLog, httpStatus, kubeOf, podRef, statusMessage } from './wire.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';

/** Every container a pod has run: regular, init and ephemeral (`kubectl debug` leaves one). */
export function containersOf(pod: V1Pod): string[] {
  const s = pod.spec;
  return [...(s?.initContainers ?? []), ...(s?.containers ?? []), ...(s?.ephemeralContainers ?? [])].map((c) => c.name);
}

/** A path component from a name an event supplied (attacker-controlled): no separators, no `..`. */
function safe(s: string): string {
  const v = s.replace(/[^A-Za-z0-9._-]/g, '_');
  return v === '.' || v === '..' || v === '' ? '_' : v;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

const captureParams = z.strictObject({
  namespace: z.string().min(1),
  pod: z.string().min(1),
  containers: z.array(z.string()),
  context: z.string(),
  dir: z.string().min(1),
});
type Params = z.infer<typeof captureParams>;

/** The files the capture wrote, from its outputs: what the read-back re-hashes. */
const capturedFiles = z.object({
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number() })),
});

export const capturePod = defineAction<Params>({
  ...actionMeta('k8s.capturePod'),
  params: captureParams,
  async plan(target, env) {
    const { namespace, name } = podRef(target);
    const pod = await apisOf(env).core.readNamespacedPod({ namespace, name });
    const containers = containersOf(pod);
    const base = `/api/v1/namespaces/${namespace}`;
    const params: Params = {
      namespace,
      pod: name,
      containers,
      context: kubeOf(env).context,
      dir: join(safe(env.incidentId), 'k8s', safe(namespace), safe(name)),
    };
    return {
      params,
      calls: [
        {
          service: 'kubernetes',
          op: `GET pods/${name}`,
          summary: `${base}/pods/${name} (spec and status, as returned)`,
          mutating: false,
        },
        ...containers.map((c) => ({
          service: 'kubernetes' as const,
          op: `GET pods/${name}/log`,
          summary: `container=${c}, then previous=true (tolerated when there is no previous container)`,
          mutating: false,
        })),
        {
          service: 'kubernetes',
          op: 'LIST events',
          summary: `${base}/events (every core/v1 event of the namespace)`,
          mutating: false,
        },
      ],
      blastRadius: ['none: read-only (GET and LIST); nothing in the cluster changes'],
      warnings: [
        'Logs are what the kubelet still holds: rotated logs and containers older than the previous one are gone.',
        'Events expire (one hour by default): capture early.',
        'This is not a memory or filesystem image of the container.',
      ],
    };
  },

  async dryRun(target, plan, env) {
    const p = plan.params;
    const { core } = apisOf(env);
    const log = callLog(env);
    const notes: string[] = [];
    try {
      const pod = await core.readNamespacedPod({ namespace: p.namespace, name: p.pod }, log.opts());
      for (const c of containersOf(pod)) {
        await core.readNamespacedPodLog(
          { namespace: p.namespace, name: p.pod, container: c, tailLines: 1 },
          log.opts(),
        );
        try {
          await core.readNamespacedPodLog(
            { namespace: p.namespace, name: p.pod, container: c, previous: true, tailLines: 1 },
            log.opts(),
          );
          notes.push(`${c} (+ previous)`);
        } catch (e) {
          if (httpStatus(e) !== 400) throw e;
          notes.push(c);
        }
      }
      await core.listNamespacedEvent({ namespace: p.namespace, limit: 1 }, log.opts());
    } catch (e) {
      const f = describeApiError(e);
      return {
        kind: 'simulated',
        ok: false,
        message: `read-only check failed: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`,
        requestIds: [...log.requestIds, ...f.requestIds],
      };
    }
    return {
      kind: 'simulated',
      ok: true,
      message: `read-only check: pod ${p.namespace}/${p.pod} readable; logs readable for ${notes.join(', ')}; events listable`,
      requestIds: log.requestIds,
    };
  },

  async execute(target, plan, env, token, hooks = {}): Promise<ExecuteResult> {
    const p = plan.params;
    const { core } = apisOf(env);
    const log = callLog(env);
    const dir = join(env.evidenceDir, p.dir, safe(token));
    await mkdir(join(dir, 'logs'), { recursive: true });
    const evidence: EvidenceArtifact[] = [];
    const notes: string[] = [];
    const ref = `${p.context}: pod ${p.namespace}/${p.pod}`;
    // 'wx': evidence files are written once; an existing file is an error, never overwritten.
    const keep = async (file: string, buf: Buffer, source: string, description: string) => {
      const path = join(dir, file);
      await writeFile(path, buf, { flag: 'wx' });
      evidence.push({ path, sha256: sha256(buf), size: buf.length, source, description });
      hooks.progress?.({ done: evidence.length, unit: 'files', detail: file });
    };
    // Stopped by the responder: between files, keeping those written; the rest is named.
    const skipped: string[] = [];
    const stop = (what: string) => {
      if (!hooks.signal?.aborted) return false;
      skipped.push(what);
      return true;
    };

    const pod = await core.readNamespacedPod({ namespace: p.namespace, name: p.pod }, log.opts());
    await keep(
      'pod.json',
      log.lastBytes,
      `kubernetes ${ref} GET (spec and status)`,
      `pod ${p.namespace}/${p.pod} object as returned by the API server`,
    );
    // The plan's containers plus any added since (an ephemeral debug container, say).
    const containers = [...new Set([...p.containers, ...containersOf(pod)])];
    for (const c of containers) {
      for (const previous of [false, true]) {
        const which = previous ? 'previous container' : 'current container';
        if (stop(`log of ${c} (${which})`)) continue;
        try {
          await core.readNamespacedPodLog(
            { namespace: p.namespace, name: p.pod, container: c, ...(previous ? { previous: true } : {}) },
            log.opts(),
          );
        } catch (e) {
          // The kubelet answers 400 for "no previous container" and "waiting to start": noted, not fatal.
          if (httpStatus(e) !== 400) throw e;
          notes.push(`${c} (${which}): ${statusMessage(e)}`);
          continue;
        }
        await keep(
          `logs/${safe(c)}${previous ? '.previous' : ''}.log`,
          log.lastBytes,
          `kubernetes ${ref} logs container=${c}${previous ? ' previous=true' : ''}`,
          `log of ${c} (${which})`,
        );
      }
    }
    if (!stop(`events of namespace ${p.namespace}`)) {
      await core.listNamespacedEvent({ namespace: p.namespace }, log.opts());
      await keep(
        'events.json',
        log.lastBytes,
        `kubernetes ${p.context}: namespace ${p.namespace} events LIST`,
        `core/v1 events of namespace ${p.namespace}`,
      );
    }

    const logs = evidence.filter((e) => e.path.endsWith('.log')).length;
    return {
      requestIds: log.requestIds,
      outputs: {
        dir,
        files: evidence.map((e) => ({ path: e.path, sha256: e.sha256, size: e.size })),
        notes,
        ...(skipped.length ? { stopped: skipped } : {}),
      },
      message: `${skipped.length ? 'STOPPED by the responder, INCOMPLETE: ' : ''}captured ${evidence.length} files (spec and status, ${logs} logs${skipped.length ? '' : ', events'}) into ${dir}${notes.length ? `; not available: ${notes.join('; ')}` : ''}${skipped.length ? `; not captured: ${skipped.join('; ')}` : ''}`,
      evidence,
    };
  },

  async verify(_target: Target, _plan: ActionPlan<Params>, _env: ActionEnv, result) {
    const files = capturedFiles.safeParse(result?.outputs).data?.files ?? [];
    if (files.length === 0)
      return { ok: false, detail: 'no record of the captured files (the capture did not finish): capture again' };
    const bad: string[] = [];
    for (const f of files) {
      try {
        const buf = await readFile(f.path);
        if (sha256(buf) !== f.sha256 || buf.length !== f.size) bad.push(`${f.path}: content changed (SHA-256 differs)`);
      } catch (e) {
        bad.push(`${f.path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      }
    }
    return bad.length
      ? { ok: false, detail: `evidence does not match its hashes: ${bad.join('; ')}` }
      : { ok: true, detail: `${files.length} files re-read, every SHA-256 matches` };
  },
});
