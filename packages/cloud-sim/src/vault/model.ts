// Vault's leases and token capabilities, for the simulated Vault: leases by id with their issue
// time and TTL, the tokens the sim accepts with what each may do, directory-style listing and
// revoke-prefix (https://developer.hashicorp.com/vault/api-docs/system/leases).

export type VaultCapability = 'list' | 'lookup' | 'revoke';

export interface VaultSeedLease {
  /** The full lease id, e.g. aws/creds/prod-db-reader/Xq3b… */
  id: string;
  /** ISO-8601 UTC. */
  issueTime?: string;
  ttlSeconds?: number;
  renewable?: boolean;
}

export interface VaultSeed {
  /** Tokens the sim accepts, with what each may do (a real policy would say sudo on sys/leases/…). */
  tokens?: { id: string; capabilities: VaultCapability[] }[];
  leases?: VaultSeedLease[];
}

export class VaultModel {
  /** Lease id → lease; tests and drills may add or remove leases behind an action's back. */
  readonly leases = new Map<string, Required<VaultSeedLease>>();
  protected readonly tokens: Map<string, Set<VaultCapability>>;
  protected readonly now: () => Date;

  constructor(seed: VaultSeed = {}, opts: { now?: () => Date } = {}) {
    this.now = opts.now ?? (() => new Date());
    this.tokens = new Map((seed.tokens ?? []).map((t) => [t.id, new Set(t.capabilities)]));
    for (const l of seed.leases ?? []) this.addLease(l);
  }

  addLease(l: VaultSeedLease): void {
    this.leases.set(l.id, {
      id: l.id,
      issueTime: l.issueTime ?? this.now().toISOString(),
      ttlSeconds: l.ttlSeconds ?? 3600,
      renewable: l.renewable ?? true,
    });
  }

  /** What a token may do; undefined for a token Vault does not know. */
  capabilities(token: string | undefined): ReadonlySet<VaultCapability> | undefined {
    return token ? this.tokens.get(token) : undefined;
  }

  revokePrefix(path: string): void {
    let prefix = path;
    // As Vault does: without a trailing slash, an exact lease id is revoked alone; otherwise
    // the prefix is a directory (so aws/creds/db never touches aws/creds/db-admin/…).
    if (!prefix.endsWith('/') && this.leases.has(prefix)) this.leases.delete(prefix);
    else {
      if (!prefix.endsWith('/')) prefix += '/';
      for (const id of [...this.leases.keys()]) if (id.startsWith(prefix)) this.leases.delete(id);
    }
  }

  /** The immediate children under a prefix directory, as Vault lists them ("sub/" for deeper ones). */
  children(prefix: string): string[] {
    const dir = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const out = new Set<string>();
    for (const id of this.leases.keys()) {
      if (!id.startsWith(dir)) continue;
      const rest = id.slice(dir.length);
      const slash = rest.indexOf('/');
      out.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    return [...out].sort();
  }
}
