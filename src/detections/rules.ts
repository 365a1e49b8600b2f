// The bundled rule set, in the order detections from one event are raised. Each rule lives with
// the source it reads: cloudtrail-rules.ts, aws-technique-rules.ts, secret-rules.ts,
// session-rules.ts, s3-rules.ts, s3-technique-rules.ts, guardduty-rules.ts, kubernetes-rules.ts,
// k8s-technique-rules.ts, falco-rules.ts.

import { AWS_TECHNIQUE_RULES } from './aws-technique-rules.js';
import { CLOUDTRAIL_RULES } from './cloudtrail-rules.js';
import { FALCO_RULES } from './falco-rules.js';
import { GUARDDUTY_RULES } from './guardduty-rules.js';
import { K8S_TECHNIQUE_RULES } from './k8s-technique-rules.js';
import { KUBERNETES_RULES } from './kubernetes-rules.js';
import { S3_RULES } from './s3-rules.js';
import { S3_TECHNIQUE_RULES } from './s3-technique-rules.js';
import { SECRET_RULES } from './secret-rules.js';
import { SESSION_RULES } from './session-rules.js';
import type { Rule, RuleInfo } from './types.js';

export const ALL_RULES: readonly Rule[] = [
  ...CLOUDTRAIL_RULES,
  ...AWS_TECHNIQUE_RULES,
  ...SECRET_RULES,
  ...SESSION_RULES,
  ...S3_RULES,
  ...S3_TECHNIQUE_RULES,
  ...GUARDDUTY_RULES,
  ...KUBERNETES_RULES,
  ...K8S_TECHNIQUE_RULES,
  ...FALCO_RULES,
];

/** The rules as data for the help screen and the README's rule table. */
export function describeRules(rules: readonly Rule[] = ALL_RULES): RuleInfo[] {
  return rules.map(({ id, title, severity, why, runbook }) => ({ id, title, severity, why, runbook }));
}
