// A CloudTrail record as the rules read it: eventSource and eventName from
// the raw record — the evidence — never from the normalised event, so a record that lost them
// matches nothing. Console sign-in failures carry no errorCode, only responseElements.ConsoleLogin.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html

import type { IncidentEvent } from '../domain/event.js';
import { at, clip, str } from './read.js';

export interface CloudTrailView {
  eventSource: string;
  eventName: string;
  failed: boolean;
  /** errorCode, or "Failure" for a failed console sign-in. */
  error?: string;
  identityType?: string;
  /** The caller as an investigator pivots on it (userIdentity.arn, else the normalised actor). */
  principal: string;
  /** The IAM user name when the caller is an IAM user (CreateAccessKey "for self" test). */
  iamUserName?: string;
  params: unknown;
  raw: unknown;
  sourceIp?: string;
}

// Every CloudTrail rule reads the view of the same event: build it once per event (events are
// never mutated after normalisation), not once per rule.
const views = new WeakMap<IncidentEvent, CloudTrailView | null>();

export function cloudTrailView(e: IncidentEvent): CloudTrailView | undefined {
  if (e.source !== 'cloudtrail') return undefined;
  const cached = views.get(e);
  if (cached !== undefined) return cached ?? undefined;
  const v = buildView(e);
  views.set(e, v ?? null);
  return v;
}

function buildView(e: IncidentEvent): CloudTrailView | undefined {
  const raw = e.raw;
  const eventSource = str(at(raw, 'eventSource'));
  const eventName = str(at(raw, 'eventName'));
  if (!eventSource || !eventName) return undefined;
  const errorCode = str(at(raw, 'errorCode')) || undefined;
  // Sign-in events (ConsoleLogin, PasswordUpdated, …) report failure as responseElements[eventName].
  const loginFailed = eventSource === 'signin.amazonaws.com' && at(raw, 'responseElements', eventName) === 'Failure';
  const error =
    errorCode ?? (loginFailed ? 'Failure' : e.outcome === 'failure' ? (e.errorCode ?? 'failure') : undefined);
  const identityType = str(at(raw, 'userIdentity', 'type'));
  const sourceIp = str(at(raw, 'sourceIPAddress'));
  return {
    eventSource,
    eventName,
    failed: error !== undefined,
    ...(error !== undefined ? { error } : {}),
    ...(identityType !== undefined ? { identityType } : {}),
    principal: clip(str(at(raw, 'userIdentity', 'arn')) ?? e.actor, 300),
    ...(identityType === 'IAMUser' && str(at(raw, 'userIdentity', 'userName')) !== undefined
      ? { iamUserName: str(at(raw, 'userIdentity', 'userName'))! }
      : {}),
    params: at(raw, 'requestParameters'),
    raw,
    ...(sourceIp !== undefined ? { sourceIp } : {}),
  };
}

/** "arn:aws:sts::1:assumed-role/orders-api-prod/orders-debug" → "orders-api-prod/orders-debug". */
export function shortPrincipal(arn: string): string {
  const m = /^arn:aws[\w-]*:(?:iam|sts)::\d*:(?:user|assumed-role|role|federated-user)\/(.+)$/.exec(arn);
  if (m) return clip(m[1]!, 80);
  if (/^arn:aws[\w-]*:iam::\d*:root$/.test(arn)) return 'root';
  return clip(arn, 80);
}

/** " (denied)" / " (failed)" for titles, empty for a success. */
export function outcomeSuffix(v: CloudTrailView): string {
  if (!v.failed) return '';
  return /denied|unauthorized|forbidden/i.test(v.error ?? '') ? ' (denied)' : ' (failed)';
}

/** Request parameter as a string, clipped for display. */
export function param(v: CloudTrailView, ...path: (string | number)[]): string | undefined {
  const s = str(at(v.params, ...path));
  return s === undefined ? undefined : clip(s);
}
