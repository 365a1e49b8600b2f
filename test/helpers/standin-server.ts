// The HTTP server behind test/fixtures/action-standin.mjs, on 127.0.0.1: state, a count of every
// call, injectable failures, and a "hold" that never answers a path (to kill a process mid-call).

import type { ServerResponse } from 'node:http';
import { listen, type RunningSim } from '@firebreak/cloud-sim';

export interface StandinServer {
  sim: RunningSim;
  state: { group: string };
  calls: { method: string; path: string; body: string }[];
  /** Next call to `path` answers this status and text ("Code: message"). */
  failNext(path: string, status: number, text: string): void;
  /**
   * The next call to `path` is held unanswered (the test inspects the journal or kills the client
   * meanwhile); resolves when it arrives, with a function that answers it normally.
   */
  hold(path: string): Promise<() => void>;
  mutating(): number;
}

export async function startStandin(): Promise<StandinServer> {
  const state = { group: 'sg-web' };
  const calls: StandinServer['calls'] = [];
  const fails = new Map<string, { status: number; text: string }>();
  const holds = new Map<string, (release: () => void) => void>();
  let n = 0;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req-${++n}` });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const answer = (path: string, body: string, res: ServerResponse) => {
    const f = fails.get(path);
    if (f) {
      fails.delete(path);
      return send(res, f.status, f.text);
    }
    if (path === '/apply') {
      const b = JSON.parse(body) as { group: string };
      const previous = state.group;
      state.group = b.group;
      return send(res, 200, { previous });
    }
    if (path === '/state') return send(res, 200, state);
    return send(res, 200, {});
  };
  const sim = await listen((req, body, res) => {
    const path = req.url ?? '/';
    calls.push({ method: req.method ?? 'GET', path, body });
    const held = holds.get(path);
    if (held) {
      holds.delete(path);
      return held(() => answer(path, body, res));
    }
    return answer(path, body, res);
  });
  return {
    sim,
    state,
    calls,
    failNext: (path, status, text) => fails.set(path, { status, text }),
    hold: (path) => new Promise((resolve) => holds.set(path, resolve)),
    mutating: () => calls.filter((c) => c.method === 'POST' && c.path === '/apply').length,
  };
}
