// Which AWS role a pod holds. Two mechanisms hand a pod AWS credentials, and both may be set up
// for the same service account:
// - IRSA: the pod's ServiceAccount carries `eks.amazonaws.com/role-arn`; the webhook injects a
//   web identity token for that role.
//   https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
// - EKS Pod Identity: an association of (cluster, namespace, service account) with a role, held by
//   EKS, not by Kubernetes (ListPodIdentityAssociations + DescribePodIdentityAssociation).
//   https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
// When both exist, the EKS user guide says EKS Pod Identity is the one the pod's SDK uses, so the
// bundle contains that role and reports the IRSA one beside it (the responder may deny both).
// https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html
// Every value read here is attacker-reachable (a compromised pod's owner may edit its service
// account): an annotation that is not a role ARN is reported, never acted on.

import { DescribePodIdentityAssociationCommand, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { describeApiError } from '../errors.js';
import { apisOf, kubeOf, podRef } from '../kubernetes/wire.js';
import type { ActionEnv, PlannedCall, Target } from '../types.js';

export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** A role ARN, path allowed (role/PATH/NAME); the name as IAM allows it (64 characters). */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

export interface RoleRef {
  arn: string;
  name: string;
  account: string;
}

/** A role ARN's parts, or undefined when it is not one. */
export function parseRoleArn(arn: string): RoleRef | undefined {
  const m = ROLE_ARN.exec(arn);
  return m ? { arn, account: m[2]!, name: m[4]! } : undefined;
}

export interface PodIdentityAssociationRef extends RoleRef {
  associationId: string;
}

export interface PodIdentity {
  namespace: string;
  pod: string;
  serviceAccount: string;
  /** The EKS cluster name the associations were looked up in (undefined: not looked up). */
  eksCluster?: string;
  irsa?: RoleRef;
  podIdentity: PodIdentityAssociationRef[];
  /** The role the pod uses: Pod Identity first, else IRSA. */
  chosen?: RoleRef & { via: 'pod-identity' | 'irsa' };
  /** Everything that was not found or not usable, in the responder's words. */
  problems: string[];
  /** Every read made, for the plan. */
  calls: PlannedCall[];
  requestIds: string[];
}

export interface ResolveOptions {
  /** The EKS cluster's name when the kubeconfig does not carry it (FIREBREAK_EKS_CLUSTER). */
  eksCluster?: string;
}

/**
 * The EKS cluster name: the option, else the kubeconfig cluster. `aws eks update-kubeconfig`
 * names the cluster by its ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME); eksctl by
 * NAME.REGION.eksctl.io. The server URL (https://ID.gr7.REGION.eks.amazonaws.com) holds no name.
 */
export function eksClusterName(kubeCluster: string, o: ResolveOptions = {}): string {
  if (o.eksCluster?.trim()) return o.eksCluster.trim();
  const arn = /^arn:aws[\w-]*:eks:[\w-]+:\d{12}:cluster\/(.+)$/.exec(kubeCluster)?.[1];
  if (arn) return arn;
  const eksctl = /^([^.]+)\.[a-z]{2}(?:-[a-z]+)+-\d\.eksctl\.io$/.exec(kubeCluster)?.[1];
  return eksctl ?? kubeCluster;
}

/** Keeps what a hostile value can do to a message short and on one line. */
function shown(s: string): string {
  const one = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(one.length > 120 ? `${one.slice(0, 120)}…` : one);
}

function kubeStatus(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Reads the pod, its service account and its Pod Identity associations. Only reads. */
export async function resolvePodIdentity(target: Target, env: ActionEnv, o: ResolveOptions = {}): Promise<PodIdentity> {
  const { namespace, name } = podRef(target);
  const core = apisOf(env).core;
  const pod = await core.readNamespacedPod({ namespace, name });
  // The API server defaults it; a pod object without it ran as `default`.
  const serviceAccount = pod.spec?.serviceAccountName || 'default';
  const out: PodIdentity = {
    namespace,
    pod: name,
    serviceAccount,
    podIdentity: [],
    problems: [],
    requestIds: [],
    calls: [
      {
        service: 'kubernetes',
        op: `GET pods/${name}`,
        summary: `spec.serviceAccountName (${serviceAccount})`,
        mutating: false,
      },
      {
        service: 'kubernetes',
        op: `GET serviceaccounts/${serviceAccount}`,
        summary: `annotation ${IRSA_ANNOTATION} (IRSA)`,
        mutating: false,
      },
    ],
  };
  try {
    const sa = await core.readNamespacedServiceAccount({ namespace, name: serviceAccount });
    const annotation = sa.metadata?.annotations?.[IRSA_ANNOTATION];
    if (annotation !== undefined) {
      const role = parseRoleArn(annotation.trim());
      if (role) out.irsa = role;
      else
        out.problems.push(
          `service account ${namespace}/${serviceAccount} has ${IRSA_ANNOTATION}=${shown(annotation)}, which is not an IAM role ARN: not acted on`,
        );
    }
  } catch (e) {
    out.problems.push(
      kubeStatus(e) === 404
        ? `service account ${namespace}/${serviceAccount} does not exist (the pod still holds the token it was started with)`
        : `cannot read service account ${namespace}/${serviceAccount}: ${describeApiError(e).message}`,
    );
  }
  const eks = env.aws?.eks;
  if (!eks) out.problems.push('EKS Pod Identity not checked: no AWS session (firebreak live --profile P --region R)');
  else {
    const cluster = eksClusterName(kubeOf(env).cluster, o);
    out.eksCluster = cluster;
    out.calls.push(
      {
        service: 'eks',
        op: 'ListPodIdentityAssociations',
        summary: `clusterName=${cluster} namespace=${namespace} serviceAccount=${serviceAccount} (every page)`,
        mutating: false,
      },
      {
        service: 'eks',
        op: 'DescribePodIdentityAssociation',
        summary: 'the roleArn of each association',
        mutating: false,
      },
    );
    try {
      const ids: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await eks.send(
          new ListPodIdentityAssociationsCommand({
            clusterName: cluster,
            namespace,
            serviceAccount,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        if (page.$metadata.requestId) out.requestIds.push(page.$metadata.requestId);
        for (const a of page.associations ?? []) if (a.associationId) ids.push(a.associationId);
        nextToken = page.nextToken;
      } while (nextToken);
      for (const associationId of ids) {
        const d = await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId }));
        if (d.$metadata.requestId) out.requestIds.push(d.$metadata.requestId);
        const arn = d.association?.roleArn ?? '';
        const role = parseRoleArn(arn);
        if (role) out.podIdentity.push({ ...role, associationId });
        else
          out.problems.push(
            `Pod Identity association ${associationId} names ${shown(arn)}, not an IAM role ARN: not acted on`,
          );
      }
    } catch (e) {
      const f = describeApiError(e);
      out.problems.push(
        `EKS Pod Identity lookup in cluster ${cluster} failed: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`,
      );
    }
  }
  const first = out.podIdentity[0];
  if (first) out.chosen = { ...first, via: 'pod-identity' };
  else if (out.irsa) out.chosen = { ...out.irsa, via: 'irsa' };
  if (out.podIdentity.length > 1)
    out.problems.push(
      `${out.podIdentity.length} Pod Identity associations for one service account (EKS allows one): using ${first!.name}`,
    );
  if (out.chosen?.via === 'pod-identity' && out.irsa && out.irsa.arn !== out.chosen.arn)
    out.problems.push(
      `IRSA also names role ${out.irsa.name}: Pod Identity takes precedence, so ${first!.name} is the one contained; deny ${out.irsa.name} on its own if the pod could still assume it`,
    );
  if (!out.chosen && !out.problems.some((p) => p.includes('not acted on')))
    out.problems.push(
      `no AWS role found for service account ${namespace}/${serviceAccount} (no ${IRSA_ANNOTATION}, no Pod Identity association): the pod may use its node's instance role`,
    );
  return out;
}

/** One line for the screen: which role, and how it was found. */
export function describeIdentity(p: PodIdentity): string {
  if (!p.chosen) return `pod ${p.namespace}/${p.pod} (service account ${p.serviceAccount}): no AWS role found`;
  const how =
    p.chosen.via === 'pod-identity'
      ? `EKS Pod Identity association in cluster ${p.eksCluster}`
      : `IRSA annotation on service account ${p.serviceAccount}`;
  return `pod ${p.namespace}/${p.pod} holds role ${p.chosen.name} (account ${p.chosen.account}) via ${how}`;
}
