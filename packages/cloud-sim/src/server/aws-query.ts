// The AWS query protocol as IAM and STS speak it (awsQuery): POST `/` with a form body
// `Action=X&Version=V&…`, answered by `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata>
// <RequestId>…</RequestId></ResponseMetadata></XResponse>`, or `<ErrorResponse><Error><Type>Sender
// </Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
// The SDK (@aws-sdk/core AwsQueryProtocol) reads `${Action}Result` out of the root element, the
// error code from `Error.Code`, and the request id from the `x-amzn-RequestId` header, so the sims
// send both header and body id, as the real services do.
//
// Several query services can share one endpoint (routed by `Version`), because a test or a drill
// points every client at the same URL, like moto's single server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  headersOf,
  listen,
  parseForm,
  requestId,
  xml,
  type RunningSim,
  type SimCall,
  type SimRecorder,
} from './http.js';

/** A failure in the service's own terms: becomes an ErrorResponse with this status. */
export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** One query-protocol service: which Version it answers and how it handles an Action. */
export interface QueryService {
  readonly name: string;
  /** The API version in the form body, e.g. IAM 2010-05-08, STS 2011-06-15. */
  readonly version: string;
  /** The XML namespace of its responses. */
  readonly xmlns: string;
  readonly recorder: SimRecorder;
  /** The inner XML of `<ActionResult>` (empty string: no result element, as for PutRolePolicy). */
  handle(action: string, params: Record<string, string>): string | undefined;
}

function send(res: ServerResponse, status: number, body: string, id: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-RequestId': id });
  res.end(body);
}

export function errorXml(e: QueryError, id: string, xmlns: string): string {
  return (
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${e.type}</Type><Code>${xml(e.code)}</Code>` +
    `<Message>${xml(e.message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`
  );
}

const responseIds = new WeakMap<SimCall, string>();

/** The request id a sim answered this call with (what the SDK error's $metadata.requestId holds). */
export function requestIdOf(call: SimCall): string | undefined {
  return responseIds.get(call);
}

/** Serves a request for whichever of `services` its Version names; records it on that service's recorder. */
export async function serveQuery(
  services: readonly QueryService[],
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): Promise<void> {
  const id = requestId();
  const params = parseForm(body);
  const svc = services.find((s) => s.version === params['Version']);
  const action = params['Action'] ?? '';
  const call: SimCall = {
    service: svc?.name ?? 'unknown',
    op: action,
    method: req.method ?? '',
    path: req.url ?? '',
    query: {},
    headers: headersOf(req),
    body,
    params,
    status: 200,
  };
  responseIds.set(call, id);
  const fail = (e: QueryError): void => {
    call.status = e.status;
    send(res, e.status, errorXml(e, id, svc?.xmlns ?? services[0]?.xmlns ?? ''), id);
  };
  if (!svc) {
    services[0]?.recorder.calls.push(call);
    return fail(new QueryError(400, 'InvalidAction', `no service for Version ${params['Version'] ?? '(none)'}`));
  }
  svc.recorder.calls.push(call);
  if (
    req.method !== 'POST' ||
    !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  ) {
    return fail(
      new QueryError(
        400,
        'InvalidRequest',
        `expected a form POST, got ${req.method} ${req.headers['content-type'] ?? ''}`,
      ),
    );
  }
  const fault = svc.recorder.takeFault(action);
  if (fault) {
    // A fault "after apply" is the server that changed the state and then lost the answer (a 500
    // or 504 after the write landed): the caller sees only the error.
    if (fault.afterApply)
      try {
        svc.handle(action, params);
      } catch (e) {
        if (!(e instanceof QueryError)) throw e;
      }
    if (fault.drop) {
      res.socket?.destroy();
      return;
    }
    if (fault.hang) return;
    return fail(new QueryError(fault.status, fault.code, fault.message));
  }
  let inner: string | undefined;
  try {
    inner = svc.handle(action, params);
  } catch (e) {
    if (e instanceof QueryError) return fail(e);
    throw e;
  }
  if (inner === undefined)
    return fail(new QueryError(400, 'InvalidAction', `Could not find operation ${action} for version ${svc.version}`));
  const result = inner === '' ? '' : `<${action}Result>${inner}</${action}Result>`;
  send(
    res,
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${svc.xmlns}">${result}<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${action}Response>`,
    id,
  );
}

/** Starts one endpoint on 127.0.0.1 serving all `services` (IAM and STS together, say). */
export function listenQuery(...services: QueryService[]): Promise<RunningSim> {
  return listen((req, body, res) => serveQuery(services, req, body, res));
}

/** `<Name>value</Name>` when value is defined (optional members are left out, as AWS does). */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xml(value)}</${name}>`;
}

/** A list the query protocol's way: `<Name><member>…</member>…</Name>`. */
export function members(name: string, items: string[]): string {
  return `<${name}>${items.map((i) => `<member>${i}</member>`).join('')}</${name}>`;
}

/** A required form parameter, or the ValidationError AWS answers without it. */
export function required(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '')
    throw new QueryError(
      400,
      'ValidationError',
      `1 validation error detected: Value null at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

/** ISO-8601 UTC without milliseconds, as IAM prints dates. */
export function isoDate(d: string | Date): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
