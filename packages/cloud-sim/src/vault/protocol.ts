// The simulated Vault lease API (HTTP, JSON), for the "revoke Vault leases by prefix" action:
//   GET  /v1/sys/leases/lookup/<prefix>/?list=true            → {"data": {"keys": [...]}}; 404 when empty
//        (Vault also takes the LIST verb, but Node's HTTP parser rejects unknown methods with a 400
//        before any handler runs, so this sim — and the action — use the GET form Vault documents)
//   PUT  /v1/sys/leases/lookup        {"lease_id": "..."}     → the lease's issue / expire times
//   PUT  /v1/sys/leases/revoke-prefix/<prefix>                → 204, every lease under the prefix gone
//   PUT  /v1/sys/leases/revoke        {"lease_id": "..."}     → 204
// Every request needs `X-Vault-Token`; a missing or unknown token gets 403 {"errors":["permission
// denied"]}, as Vault answers (https://developer.hashicorp.com/vault/api-docs/system/leases).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headersOf, listen, SimRecorder, type RunningSim, type SimCall } from '../server/http.js';
import { VaultModel, type VaultCapability, type VaultSeed } from './model.js';

export type { VaultCapability, VaultSeed, VaultSeedLease } from './model.js';

export class VaultSim extends VaultModel {
  readonly recorder: SimRecorder;
  private running: RunningSim | undefined;

  constructor(seed: VaultSeed = {}, opts: { recorder?: SimRecorder; now?: () => Date } = {}) {
    super(seed, opts.now ? { now: opts.now } : {});
    this.recorder = opts.recorder ?? new SimRecorder();
  }

  get url(): string {
    if (!this.running) throw new Error('Vault sim not started');
    return this.running.url;
  }

  async start(): Promise<string> {
    this.running = await listen((req, body, res) => void this.handle(req, body, res));
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  handle(req: IncomingMessage, body: string, res: ServerResponse): SimCall {
    const url = new URL(req.url ?? '/', 'http://vault.local');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const route = routeOf(method, path, query);
    const call: SimCall = {
      service: 'vault',
      op: route?.op ?? `${method} ${path}`,
      method,
      path,
      query,
      headers: headersOf(req),
      body,
      params: {},
      status: 200,
    };
    this.recorder.calls.push(call);
    const send = (status: number, payload?: unknown) => {
      call.status = status;
      if (payload === undefined) {
        res.writeHead(status);
        res.end();
      } else {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(payload));
      }
    };
    const errors = (status: number, ...errs: string[]) => send(status, { errors: errs });
    const ok = (data: unknown) =>
      send(200, {
        request_id: randomUUID(),
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data,
        wrap_info: null,
        warnings: null,
        auth: null,
      });

    const token = call.headers['x-vault-token'];
    const caps = this.capabilities(token);
    if (!caps) return (errors(403, 'permission denied'), call);
    if (!route) return (errors(404), call);
    const fault = this.recorder.takeFault(route.op);
    if (fault) return (errors(fault.status, fault.message), call);
    // Vault wraps policy refusals in its multierror text.
    if (!caps.has(route.needs)) return (errors(403, '1 error occurred:\n\t* permission denied\n\n'), call);

    let input: Record<string, unknown> = {};
    if (body) {
      try {
        input = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return (errors(400, 'failed to parse JSON input: invalid character'), call);
      }
    }
    call.params = { ...input, ...(route.prefix !== undefined ? { prefix: route.prefix } : {}) };

    switch (route.op) {
      case 'ListLeases': {
        const keys = this.children(route.prefix ?? '');
        // Vault answers an empty listing with 404 and no errors.
        if (keys.length === 0) return (errors(404), call);
        ok({ keys });
        break;
      }
      case 'LookupLease': {
        const id = typeof input.lease_id === 'string' ? input.lease_id : '';
        if (!id) return (errors(400, 'missing lease id'), call);
        const l = this.leases.get(id);
        if (!l) return (errors(400, 'invalid lease'), call);
        const issued = Date.parse(l.issueTime);
        const expire = issued + l.ttlSeconds * 1000;
        ok({
          id: l.id,
          issue_time: l.issueTime,
          expire_time: new Date(expire).toISOString(),
          last_renewal: null,
          renewable: l.renewable,
          ttl: Math.max(0, Math.round((expire - this.now().getTime()) / 1000)),
        });
        break;
      }
      case 'RevokePrefix': {
        this.revokePrefix(route.prefix ?? '');
        send(204);
        break;
      }
      case 'RevokeLease': {
        const id = typeof input.lease_id === 'string' ? input.lease_id : '';
        if (!id) return (errors(400, 'missing lease id'), call);
        this.leases.delete(id);
        send(204);
        break;
      }
    }
    return call;
  }
}

interface Route {
  op: 'ListLeases' | 'LookupLease' | 'RevokePrefix' | 'RevokeLease';
  needs: VaultCapability;
  prefix?: string;
}

function routeOf(method: string, path: string, q: Record<string, string>): Route | undefined {
  const write = method === 'PUT' || method === 'POST';
  const lookup = /^\/v1\/sys\/leases\/lookup\/(.*)$/.exec(path);
  if (lookup && (method === 'LIST' || (method === 'GET' && q.list === 'true')))
    return { op: 'ListLeases', needs: 'list', prefix: lookup[1]! };
  if (path === '/v1/sys/leases/lookup' && write) return { op: 'LookupLease', needs: 'lookup' };
  const revoke = /^\/v1\/sys\/leases\/revoke-prefix\/(.+)$/.exec(path);
  if (revoke && write) return { op: 'RevokePrefix', needs: 'revoke', prefix: revoke[1]! };
  if (path === '/v1/sys/leases/revoke' && write) return { op: 'RevokeLease', needs: 'revoke' };
  return undefined;
}
