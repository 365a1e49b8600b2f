// The few Vault HTTP API calls the lease action makes, with global fetch (Node 22) and a timeout.
// The token travels only in the X-Vault-Token header: never in params, messages or the journal.

import { ActionError } from '../errors.js';
import type { ActionEnv, VaultClient } from '../types.js';

const TIMEOUT_MS = 30_000;
/** A runaway listing (a prefix near the root of a large Vault) stops here rather than walking forever. */
const MAX_LEASES = 10_000;

export function vault(env: ActionEnv): VaultClient {
  if (!env.vault) throw new ActionError('no Vault', 'NoVault', 'set VAULT_ADDR and VAULT_TOKEN');
  return env.vault;
}

/** aws/creds/db, /aws/creds/db/ → aws/creds/db (the prefix as a directory, without slashes around). */
export function normalisePrefix(p: string): string {
  return p.trim().replace(/^\/+|\/+$/g, '');
}

function url(v: VaultClient, path: string): string {
  return `${v.addr.replace(/\/+$/, '')}/v1/${path.split('/').map(encodeURIComponent).join('/')}`;
}

async function call(v: VaultClient, method: string, path: string, query = ''): Promise<Response> {
  return fetch(`${url(v, path)}${query}`, {
    method,
    headers: { 'X-Vault-Token': v.token },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

/** Vault's `{"errors": [...]}` as one line, with a hint the responder can act on. */
async function failure(res: Response, what: string): Promise<ActionError> {
  let errs: string[] = [];
  try {
    const b = (await res.json()) as { errors?: unknown };
    if (Array.isArray(b.errors))
      errs = b.errors.map((e) =>
        String(e)
          .replace(/\s+/g, ' ')
          .replace(/^1 error occurred: \* /, '')
          .trim(),
      );
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const msg = `${what}: HTTP ${res.status}${errs.length ? ` ${errs.join('; ')}` : ''}`;
  const hint =
    res.status === 403
      ? 'the Vault token is missing, expired or lacks the policy (sudo on sys/leases/lookup/* and sys/leases/revoke-prefix/*): set VAULT_TOKEN to a token that has it'
      : res.status === 429
        ? 'Vault is rate-limiting: wait a little and run the action again'
        : res.status >= 500
          ? 'Vault is unhealthy or sealed: check `vault status`'
          : undefined;
  return new ActionError(msg, res.status === 403 ? 'PermissionDenied' : `HTTP${res.status}`, hint);
}

/** Every lease id under the prefix (recursively through "sub/" entries). */
export async function listLeases(env: ActionEnv, prefix: string): Promise<string[]> {
  const v = vault(env);
  const out: string[] = [];
  const dirs = [`${normalisePrefix(prefix)}/`];
  while (dirs.length > 0 && out.length < MAX_LEASES) {
    const dir = dirs.shift()!;
    const res = await call(v, 'GET', `sys/leases/lookup/${dir}`, '?list=true');
    // An empty listing is a 404 without errors.
    if (res.status === 404) continue;
    if (!res.ok) throw await failure(res, `Vault refused to list leases under ${dir}`);
    const body = (await res.json()) as { data?: { keys?: unknown } };
    const keys = Array.isArray(body.data?.keys) ? body.data.keys.filter((k): k is string => typeof k === 'string') : [];
    for (const k of keys) {
      if (k.endsWith('/')) dirs.push(`${dir}${k}`);
      else out.push(`${dir}${k}`);
    }
  }
  return out.sort();
}

/** PUT sys/leases/revoke-prefix/<prefix>/: the trailing slash makes it the directory, never a lone lease id. */
export async function revokePrefix(env: ActionEnv, prefix: string): Promise<void> {
  const v = vault(env);
  const res = await call(v, 'PUT', `sys/leases/revoke-prefix/${normalisePrefix(prefix)}/`);
  if (res.status !== 204 && !res.ok) throw await failure(res, `Vault refused to revoke the leases under ${prefix}`);
}
