// Falco alerts (the JSON output: priority, rule, output, output_fields). Every alert is raised
// with a severity from its priority; a reverse shell is raised again on its own at Sev0 because
// Falco's stock rule gives it only Notice, and it is the one alert that means "someone is in".

import type { IncidentEvent } from '../domain/event.js';
import type { SeverityLevel } from '../domain/severity.js';
import { at, clip, str } from './read.js';
import type { Rule, RuleHit } from './types.js';

const PRIORITY: Record<string, SeverityLevel> = {
  emergency: 1,
  alert: 1,
  critical: 1,
  error: 2,
  warning: 2,
  notice: 3,
  informational: 3,
  info: 3,
  debug: 3,
};

function field(raw: unknown, name: string): string | undefined {
  const v = at(raw, 'output_fields', name);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function where(raw: unknown): string {
  const ns = field(raw, 'k8s.ns.name');
  const pod = field(raw, 'k8s.pod.name');
  const container = field(raw, 'container.name');
  if (pod) return ` in ${clip(ns ? `${ns}/${pod}` : pod, 100)}`;
  return container ? ` in container ${clip(container, 60)}` : '';
}

export const falcoAlert: Rule = {
  id: 'falco.alert',
  title: 'Falco alert',
  severity: 2,
  why: 'Falco saw a syscall pattern its rule calls suspicious. Priority sets severity: Emergency/Alert/Critical Sev1, Error/Warning Sev2, lower Sev3.',
  runbook:
    'host-compromise: read the alert’s process and container, capture the pod before it restarts, then isolate it',
  match(e): RuleHit | false {
    if (e.source !== 'falco') return false;
    const priority = str(at(e.raw, 'priority'));
    const rule = str(at(e.raw, 'rule'));
    const sev = priority ? PRIORITY[priority.toLowerCase()] : undefined;
    if (sev === undefined || !rule) return false;
    const output = str(at(e.raw, 'output'));
    return {
      severity: sev,
      title: `Falco ${clip(priority!, 20)}: ${clip(rule, 100)}${where(e.raw)}`,
      ...(output ? { why: `Falco: ${clip(output, 400)}` } : {}),
    };
  },
};

const REVERSE_SHELL_RULE = /reverse shell|redirect stdout\/stdin to network connection/i;
const REVERSE_SHELL_CMD = /\/dev\/(tcp|udp)\/|\b(nc|ncat|netcat)\b.*\s-[ec]\s|socat\b.*exec:/i;

export const falcoReverseShell: Rule = {
  id: 'falco.outbound-c2',
  title: 'Reverse shell from a container',
  severity: 0,
  why: 'A shell in a container has its input and output on a network connection: an attacker is typing inside the workload right now. Isolate (deny-all NetworkPolicy), do not delete — the memory is evidence.',
  runbook: 'host-compromise: apply a deny-all NetworkPolicy to the pod, capture it, then block the remote address',
  match(e: IncidentEvent): RuleHit | false {
    if (e.source !== 'falco') return false;
    const rule = str(at(e.raw, 'rule')) ?? '';
    const cmd = field(e.raw, 'proc.cmdline') ?? '';
    if (!REVERSE_SHELL_RULE.test(rule) && !REVERSE_SHELL_CMD.test(cmd)) return false;
    const ip = field(e.raw, 'fd.sip') ?? field(e.raw, 'fd.rip');
    const port = field(e.raw, 'fd.sport') ?? field(e.raw, 'fd.rport');
    const to = ip ? ` to ${clip(port ? `${ip}:${port}` : ip, 60)}` : '';
    return { title: `Reverse shell${where(e.raw)}${to}` };
  },
};

export const FALCO_RULES: readonly Rule[] = [falcoAlert, falcoReverseShell];
