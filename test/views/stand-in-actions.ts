// Stand-in ActionDefs for the cockpit's view tests: every path the UI must handle (evidence first,
// destructive with the guardrail, undo, a failure with a hint, a failed read-back, a backend the
// session lacks, an unmet precondition) without a cloud. They count their calls, so "executed
// once" is asserted on the action itself. The real defs (src/actions/*) go through the same runner.

import { join } from 'node:path';
import { ActionError } from '../../src/actions/errors.js';
import type { ActionDef, ActionEnv, Backend } from '../../src/actions/types.js';
import { ActionRunner } from '../../store/action-runner.js';
import type { IncidentStore } from '../../store/store.js';
import type { ActionSession, ArmTarget } from '../../store/action-session.js';

export interface StandIns {
  defs: ActionDef[];
  calls: { execute: Record<string, number>; verify: Record<string, number>; dryRun: Record<string, number> };
  /** What the next read-back answers. */
  verifyOk: boolean;
  /** Makes the next execute of this def fail (AccessDenied with a hint). */
  failNext?: string;
  /** Makes the next execute of this def half-apply: one call lands, the second is refused. */
  partialNext?: string;
  /** Set by a half-applied execute: the next read-back reports one part in place. */
  halfApplied?: boolean;
  /** Holds an execute until released (to press keys while it runs). */
  hold?: Promise<void>;
  /** Makes the next execute page like an evidence action: 50 events every 30 ms until stopped (or 200 pages). */
  pagesUntilStopped?: boolean;
  /** Holds the capture's plan until released (to press Esc while it is being made). */
  planHold?: Promise<void>;
  /** Holds every dry run until released (to press Esc while it runs). */
  dryRunHold?: Promise<void>;
}

function count(m: Record<string, number>, id: string): void {
  m[id] = (m[id] ?? 0) + 1;
}

export function standIns(): StandIns {
  const s: StandIns = { defs: [], calls: { execute: {}, verify: {}, dryRun: {} }, verifyOk: true };
  const common = (id: string): Pick<ActionDef, 'dryRun' | 'execute' | 'verify'> => ({
    async dryRun() {
      count(s.calls.dryRun, id);
      if (s.dryRunHold) await s.dryRunHold;
      return {
        kind: 'server',
        ok: true,
        message: `DryRunOperation: ${id} would have succeeded`,
        requestIds: ['req-dry-1'],
      };
    },
    async execute(target, _plan, _env, token, hooks) {
      count(s.calls.execute, id);
      if (s.hold) await s.hold;
      if (s.pagesUntilStopped) {
        s.pagesUntilStopped = false;
        let done = 0;
        for (let page = 1; page <= 200 && !hooks?.signal?.aborted; page++) {
          done += 50;
          hooks?.progress?.({ done, unit: 'events', detail: `page ${page}` });
          await new Promise((r) => setTimeout(r, 30));
        }
        const stopped = hooks?.signal?.aborted;
        return {
          requestIds: ['req-exec-1'],
          outputs: { token, events: done },
          message: `${stopped ? 'STOPPED by the responder, INCOMPLETE: ' : ''}${done} events of ${target.id} preserved`,
        };
      }
      if (s.partialNext === id) {
        s.partialNext = undefined;
        s.halfApplied = true;
        await hooks?.onCall?.({ service: 'iam', op: 'PutRolePolicy', ok: true, status: 200, requestId: 'req-1' });
        await hooks?.onCall?.({
          service: 'iam',
          op: 'PutRolePolicy',
          ok: false,
          status: 503,
          code: 'ServiceUnavailable',
        });
        throw new ActionError(
          'Service Unavailable',
          'ServiceUnavailable',
          'retry later: AWS is throttling or degraded',
        );
      }
      if (s.failNext === id) {
        s.failNext = undefined;
        throw new ActionError(
          `User is not authorized to perform iam:PutRolePolicy on ${target.id}`,
          'AccessDenied',
          'grant iam:PutRolePolicy to the responder role, or ask the account owner',
        );
      }
      return { requestIds: ['req-exec-1'], outputs: { token }, message: `${id} applied to ${target.id}` };
    },
    async verify(target) {
      count(s.calls.verify, id);
      if (s.halfApplied) {
        s.halfApplied = false;
        return {
          ok: false,
          detail: 'read back: the deny-all is in place, the session revocation is not',
          parts: [
            { what: `firebreak-deny-all on role ${target.id}`, inPlace: true },
            { what: `AWSRevokeOlderSessions on role ${target.id}`, inPlace: false },
          ],
        };
      }
      return s.verifyOk
        ? { ok: true, detail: `read back: ${target.id} is as planned` }
        : { ok: false, detail: `read back: ${target.id} still allows everything` };
    },
  });
  s.defs = [
    {
      id: 'test.captureRole',
      title: 'Capture the role (policies, trust, last used)',
      key: 'c',
      kind: 'iam-role',
      phase: 'containment',
      destructive: false,
      reversible: false,
      evidence: true,
      needs: 'aws',
      async plan(t) {
        if (s.planHold) await s.planHold;
        return {
          params: { role: t.id },
          calls: [{ service: 'iam', op: 'GetRole', summary: `read role ${t.id}`, mutating: false }],
          blastRadius: [],
          warnings: [],
        };
      },
      ...common('test.captureRole'),
    },
    {
      id: 'test.denyRole',
      title: 'Deny-all policy on the role',
      key: 'x',
      kind: 'iam-role',
      phase: 'containment',
      destructive: true,
      reversible: true,
      evidence: false,
      evidenceFirst: ['test.captureRole'],
      undo: 'test.allowRole',
      needs: 'aws',
      async plan(t) {
        return {
          params: { role: t.id, policy: 'firebreak-deny-all' },
          calls: [
            { service: 'iam', op: 'PutRolePolicy', summary: `attach inline deny-all to ${t.id}`, mutating: true },
          ],
          blastRadius: ['every workload assuming this role: the deploy pipeline stops'],
          warnings: ['sessions issued before the policy keep working until revoked'],
          guidance: ['revoke older sessions next'],
        };
      },
      ...common('test.denyRole'),
    },
    {
      id: 'test.allowRole',
      title: 'Remove the deny-all policy',
      key: 'X',
      kind: 'iam-role',
      phase: 'recovery',
      destructive: true,
      reversible: false,
      evidence: false,
      undoOnly: true,
      needs: 'aws',
      async plan(t, _env, undo) {
        return {
          params: { role: t.id, undoOf: undo?.actionId },
          calls: [{ service: 'iam', op: 'DeleteRolePolicy', summary: `remove deny-all from ${t.id}`, mutating: true }],
          blastRadius: [],
          warnings: [],
        };
      },
      ...common('test.allowRole'),
    },
    {
      id: 'test.vaultRevoke',
      title: 'Revoke the Vault leases for the bucket',
      key: 'l',
      kind: 'bucket',
      phase: 'containment',
      destructive: true,
      reversible: false,
      evidence: false,
      needs: 'vault',
      async plan(t) {
        return { params: { prefix: t.id }, calls: [], blastRadius: [], warnings: [] };
      },
      ...common('test.vaultRevoke'),
    },
    {
      id: 'test.lockBucket',
      title: 'Block public access on the bucket',
      key: 'b',
      kind: 'bucket',
      phase: 'containment',
      destructive: true,
      reversible: false,
      evidence: false,
      needs: 'aws',
      preconditions: () => ['the bucket is already private'],
      async plan(t) {
        return { params: { bucket: t.id }, calls: [], blastRadius: [], warnings: [] };
      },
      ...common('test.lockBucket'),
    },
  ];
  return s;
}

export const ACCOUNT = '123456789012';

export function standInEnv(dir: string): ActionEnv {
  return {
    incidentId: 'INC-2026-042',
    evidenceDir: join(dir, 'evidence'),
    now: () => new Date(),
    collector: 'alice',
    toolVersion: 'firebreak test',
  };
}

/** An action session over `store` with the stand-ins; AWS and Kubernetes reachable, no Vault. */
export function standInSession(
  store: IncidentStore,
  dir: string,
  s: StandIns,
  o: { backends?: Backend[]; blocked?: string; targets?: ArmTarget[] } = {},
): ActionSession {
  const env = standInEnv(dir);
  const runner = new ActionRunner({
    store,
    mode: 'live',
    env: async () => env,
    backends: new Set(o.backends ?? ['aws', 'kubernetes']),
    defs: s.defs,
  });
  return {
    runner,
    ...(o.blocked ? { blocked: o.blocked } : {}),
    armTargets: async () =>
      o.targets ?? [
        { name: ACCOUNT, label: `AWS account ${ACCOUNT}`, prod: false },
        { name: 'prod-eks', label: 'cluster prod-eks', prod: true },
      ],
  };
}
