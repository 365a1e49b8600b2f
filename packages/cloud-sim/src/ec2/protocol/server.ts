// A stateful EC2 API on 127.0.0.1 speaking the EC2 query protocol as @aws-sdk/client-ec2 sends it:
// POST / with a form body `Action=X&Version=2016-11-15&…`, answered with XML in the 2016-11-15
// namespace carrying `<requestId>` (and the `x-amzn-requestid` header the SDK reads into
// `$metadata`), errors as `<Response><Errors><Error>` with AWS's codes and statuses, and
// `DryRun=true` answered with 412 DryRunOperation once the request would have succeeded.
// Drills seed it with a scenario's estate; wire tests seed it, inject faults through the
// SimRecorder and change its state behind an action's back to prove verify reads back.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ec2World, type Ec2Seed } from '../model/world.js';
import { NACL_OPS } from './nacl-ops.js';
import { Ec2ApiError, NETWORK_OPS, type Op, type OpContext } from './network-ops.js';
import { STORAGE_OPS } from './storage-ops.js';
import { errorDoc, responseDoc } from './xml.js';
import { headersOf, listen, parseForm, requestId, SimRecorder, type RunningSim } from '../../server/http.js';

export type { Ec2Seed } from '../model/world.js';
export { Ec2World } from '../model/world.js';

export const EC2_API_VERSION = '2016-11-15';

const OPS: Record<string, Op> = { ...NETWORK_OPS, ...NACL_OPS, ...STORAGE_OPS };

/** The operations this sim speaks (the ones firebreak's EC2 actions call, plus ingress rules for drills). */
export const EC2_SIM_OPERATIONS: readonly string[] = Object.keys(OPS);

const DRY_RUN_OK = 'Request would have succeeded, but DryRun flag is set.';

class DryRunPassed extends Error {}

interface Answer {
  status: number;
  body: string;
}

/** One request → one answer, against the world. Pure apart from the world's state and the recorder's faults. */
export function answer(world: Ec2World, recorder: SimRecorder, p: Record<string, string>, reqId: string): Answer {
  const action = p.Action ?? '';
  const fault = recorder.takeFault(action);
  if (fault) return { status: fault.status, body: errorDoc(fault.code, fault.message, reqId) };
  const op = OPS[action];
  if (!op)
    return {
      status: 400,
      body: errorDoc('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`, reqId),
    };
  if (p.Version !== EC2_API_VERSION)
    return { status: 400, body: errorDoc('MissingParameter', 'The request must contain the parameter Version', reqId) };
  const ctx: OpContext = {
    commit: () => {
      if (p.DryRun === 'true') throw new DryRunPassed();
    },
  };
  try {
    const inner = op(world, p, ctx);
    // Read-only calls take DryRun too: it answers whether the caller may make them.
    if (p.DryRun === 'true') throw new DryRunPassed();
    return { status: 200, body: responseDoc(action, reqId, inner) };
  } catch (e) {
    if (e instanceof DryRunPassed) return { status: 412, body: errorDoc('DryRunOperation', DRY_RUN_OK, reqId) };
    if (e instanceof Ec2ApiError) return { status: e.status, body: errorDoc(e.code, e.message, reqId) };
    throw e;
  }
}

export interface Ec2Sim extends RunningSim {
  world: Ec2World;
  recorder: SimRecorder;
}

/** The request handler (the drill's one AWS endpoint routes EC2 requests here; startEc2Sim serves it alone). */
export function ec2Handler(world: Ec2World, recorder: SimRecorder) {
  return (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    // The SDK POSTs a form; EC2 also takes the same parameters as a GET query string.
    const params = req.method === 'POST' ? parseForm(body) : query;
    const reqId = requestId();
    const a = answer(world, recorder, params, reqId);
    recorder.calls.push({
      service: 'ec2',
      op: params.Action ?? '',
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: headersOf(req),
      body,
      params,
      status: a.status,
    });
    res.writeHead(a.status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': reqId });
    res.end(a.body);
  };
}

/** Starts the sim on 127.0.0.1 with the seeded estate; every request is recorded (op = the EC2 Action). */
export async function startEc2Sim(seed: Ec2Seed = {}, recorder = new SimRecorder()): Promise<Ec2Sim> {
  const world = new Ec2World(seed);
  const running = await listen(ec2Handler(world, recorder));
  return { ...running, world, recorder };
}
