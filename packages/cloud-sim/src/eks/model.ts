// The simulated EKS Pod Identity associations: which IAM role a (cluster, namespace, service
// account) is associated with. Only what firebreak reads is modelled: the list (filtered by
// namespace and service account, paged) and the describe of one association. Shapes follow the
// API reference:
// https://docs.aws.amazon.com/eks/latest/APIReference/API_ListPodIdentityAssociations.html
// https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribePodIdentityAssociation.html

export interface EksAssociationSeed {
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  /** Defaults to a stable a-… id derived from the position. */
  associationId?: string;
  /** The EKS add-on that owns it, when one does. */
  ownerArn?: string;
  tags?: Record<string, string>;
}

export interface EksClusterSeed {
  name: string;
  associations?: EksAssociationSeed[];
}

export interface EksSeed {
  account: string;
  region: string;
  clusters?: EksClusterSeed[];
}

export interface EksAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn: string;
  associationId: string;
  ownerArn?: string;
  tags: Record<string, string>;
  /** Epoch milliseconds. */
  createdAt: number;
  modifiedAt: number;
}

export class EksError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The time every seeded association was created (the sim has no clock of its own). */
export const EKS_SEED_TIME = Date.parse('2026-04-01T09:00:00Z');

export class EksModel {
  readonly account: string;
  readonly region: string;
  private readonly clusters = new Map<string, EksAssociation[]>();

  constructor(seed: EksSeed) {
    this.account = seed.account;
    this.region = seed.region;
    for (const c of seed.clusters ?? []) {
      this.clusters.set(
        c.name,
        (c.associations ?? []).map((a, i) => {
          const associationId =
            a.associationId ?? `a-${c.name.replace(/[^a-z0-9]/g, '').slice(0, 8)}${String(i).padStart(9, '0')}`;
          return {
            clusterName: c.name,
            namespace: a.namespace,
            serviceAccount: a.serviceAccount,
            roleArn: a.roleArn,
            associationId,
            associationArn: `arn:aws:eks:${seed.region}:${seed.account}:podidentityassociation/${c.name}/${associationId}`,
            ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
            tags: { ...(a.tags ?? {}) },
            createdAt: EKS_SEED_TIME,
            modifiedAt: EKS_SEED_TIME,
          };
        }),
      );
    }
  }

  private cluster(name: string): EksAssociation[] {
    const c = this.clusters.get(name);
    if (!c) throw new EksError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`);
    return c;
  }

  /** The associations of a cluster, in creation order, filtered the way the API filters. */
  list(cluster: string, filter: { namespace?: string; serviceAccount?: string }): EksAssociation[] {
    return this.cluster(cluster).filter(
      (a) =>
        (filter.namespace === undefined || a.namespace === filter.namespace) &&
        (filter.serviceAccount === undefined || a.serviceAccount === filter.serviceAccount),
    );
  }

  describe(cluster: string, associationId: string): EksAssociation {
    const a = this.cluster(cluster).find((x) => x.associationId === associationId);
    if (!a)
      throw new EksError(
        404,
        'ResourceNotFoundException',
        `No Pod Identity Association found for id: ${associationId}.`,
      );
    return structuredClone(a);
  }

  /** Adds an association (tests and drills change the estate while the sim runs). */
  associate(cluster: string, a: EksAssociationSeed): EksAssociation {
    const list = this.cluster(cluster);
    const associationId = a.associationId ?? `a-${String(list.length + 1).padStart(17, '0')}`;
    const out: EksAssociation = {
      clusterName: cluster,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn,
      associationId,
      associationArn: `arn:aws:eks:${this.region}:${this.account}:podidentityassociation/${cluster}/${associationId}`,
      ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
      tags: { ...(a.tags ?? {}) },
      createdAt: EKS_SEED_TIME,
      modifiedAt: EKS_SEED_TIME,
    };
    list.push(out);
    return structuredClone(out);
  }
}
