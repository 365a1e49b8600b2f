/**
 * Token rules: formats a provider stamps on its credentials, so they are recognised in any
 * free text, not only under a secret-named key. Prefixes, lengths and charsets follow the
 * maintained scanners' rule sets:
 *   secretlint preset-recommend v13 https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint
 *   gitleaks https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml
 * Each rule names lower-case keywords; a string containing none of them never runs the
 * rule's regex (gitleaks's keyword prefilter), which keeps the per-string cost one
 * substring scan for the common case (no keyword at all).
 * `secret` is the capture group to mask; without one the whole match is masked.
 */
export interface SecretRule {
  kind: string;
  keywords: readonly string[];
  re: RegExp;
}

const B = '(?<![A-Za-z0-9_])'; // not glued to a longer identifier
const E = '(?![A-Za-z0-9_])';

export const SECRET_RULES: readonly SecretRule[] = [
  { kind: 'github-token', keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: new RegExp(`${B}gh[pousr]_[A-Za-z0-9]{36,255}${E}`, 'g') },
  { kind: 'github-token', keywords: ['github_pat_'], re: new RegExp(`${B}github_pat_[A-Za-z0-9_]{82}${E}`, 'g') },
  { kind: 'gitlab-token', keywords: ['glpat-', 'gldt-', 'glrt-'], re: new RegExp(`${B}gl(?:pat|dt|rt)-[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'slack-token', keywords: ['xox'], re: new RegExp(`${B}xox[abposr]-(?:[0-9]+-)*[A-Za-z0-9-]{10,}`, 'g') },
  { kind: 'slack-webhook', keywords: ['hooks.slack.com'], re: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9+/_-]{20,})/g },
  { kind: 'stripe-key', keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'], re: new RegExp(`${B}[sr]k_(?:live|test)_[A-Za-z0-9]{24,247}${E}`, 'g') },
  { kind: 'google-api-key', keywords: ['aiza'], re: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g },
  { kind: 'npm-token', keywords: ['npm_'], re: new RegExp(`${B}npm_[A-Za-z0-9]{36}${E}`, 'g') },
  { kind: 'npm-token', keywords: ['_authtoken'], re: /(_authToken\s*=\s*["']?)([^\s"'$][^\s"']*)/gi },
  { kind: 'vault-token', keywords: ['hvs.', 'hvb.', 'hvr.'], re: /(?<![A-Za-z0-9_.])hv[sbr]\.[A-Za-z0-9_-]{24,}/g },
  { kind: 'azure-key', keywords: ['accountkey=', 'sharedaccesskey='], re: /((?:AccountKey|SharedAccessKey)=)([A-Za-z0-9+/]{20,}={0,2})/gi },
  { kind: 'azure-sas', keywords: ['sig='], re: /([?&;]sig=)([A-Za-z0-9%+/=]{20,})/gi },
  { kind: 'sendgrid-key', keywords: ['sg.'], re: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { kind: 'anthropic-key', keywords: ['sk-ant-'], re: /(?<![A-Za-z0-9_])sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}/g },
  { kind: 'openai-key', keywords: ['sk-'], re: /(?<![A-Za-z0-9_])sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/g },
  { kind: 'openai-key', keywords: ['sk-proj-', 'sk-svcacct-'], re: /(?<![A-Za-z0-9_])sk-(?:proj|svcacct)-[A-Za-z0-9_-]{40,}/g },
  // Command lines: `mysql -pSECRET`, `--password=SECRET`, `curl -u user:pass`.
  { kind: 'password', keywords: ['mysql'], re: /(\bmysql(?:dump|admin)?\b[^\n]*?\s-p)([^\s'"]+)/g },
  { kind: 'password', keywords: ['-u', '--user'], re: /((?:^|\s)(?:-u|--user)[ =]['"]?[^\s:'"]+:)([^\s'"]+)/g },
  // Env and connection strings whose name is not itself secret-looking.
  { kind: 'password', keywords: ['pgpassword', 'mysql_pwd', 'pwd='], re: /((?<![A-Za-z0-9])(?:PGPASSWORD|MYSQL_PWD|PWD)\s*=\s*["']?)([^\s"';]+)/gi },
];

/** Lower-cased keyword set, for one prefilter scan per string. */
export const ALL_KEYWORDS: readonly string[] = [...new Set(SECRET_RULES.flatMap((r) => r.keywords))];
