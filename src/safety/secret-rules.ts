/**
 * Token rules: formats a provider stamps on its credentials, so they are recognised in any
 * free text, not only under a secret-named key. Each rule says, in `from`, which upstream rule
 * it follows (prefix, length, charset and keywords taken from it):
 *   gitleaks:ID     https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml
 *                   (the `[[rules]]` entry with that `id`)
 *   secretlint:NAME https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-NAME
 *                   (a rule of @secretlint/secretlint-rule-preset-recommend)
 *   own             no upstream rule; the format's own documentation is cited on the rule.
 * Differences from upstream, on purpose: lengths are lower bounds where a provider has grown
 * its tokens (gitleaks pins `hvs.` at 90–120, `glpat-` at exactly 20), and no entropy check
 * (a redactor that misses a low-entropy live token is worse than one that masks a test token).
 * Each rule names lower-case keywords; a string containing none of them never runs the
 * rule's regex (gitleaks's keyword prefilter), which keeps the per-string cost one
 * substring scan for the common case (no keyword at all).
 * `secret` is the capture group to mask; without one the whole match is masked.
 */
export interface SecretRule {
  kind: string;
  /** Upstream rule ids this rule follows (see the header). */
  from: readonly string[];
  keywords: readonly string[];
  re: RegExp;
}

const B = '(?<![A-Za-z0-9_])'; // not glued to a longer identifier
const E = '(?![A-Za-z0-9_])';

export const SECRET_RULES: readonly SecretRule[] = [
  {
    kind: 'github-token',
    from: [
      'gitleaks:github-pat',
      'gitleaks:github-oauth',
      'gitleaks:github-app-token',
      'gitleaks:github-refresh-token',
      'secretlint:github',
    ],
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    re: new RegExp(`${B}gh[pousr]_[A-Za-z0-9]{36,255}${E}`, 'g'),
  },
  {
    kind: 'github-token',
    from: ['gitleaks:github-fine-grained-pat', 'secretlint:github'],
    keywords: ['github_pat_'],
    re: new RegExp(`${B}github_pat_[A-Za-z0-9_]{82}${E}`, 'g'),
  },
  {
    kind: 'gitlab-token',
    from: [
      'gitleaks:gitlab-pat',
      'gitleaks:gitlab-pat-routable',
      'gitleaks:gitlab-deploy-token',
      'gitleaks:gitlab-runner-authentication-token',
      'gitleaks:gitlab-cicd-job-token',
      'gitleaks:gitlab-feed-token',
      'gitleaks:gitlab-scim-token',
      'gitleaks:gitlab-kubernetes-agent-token',
      'gitleaks:gitlab-oauth-app-secret',
      'gitleaks:gitlab-ptt',
      'gitleaks:gitlab-incoming-mail-token',
      'gitleaks:gitlab-feature-flag-client-token',
    ],
    keywords: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glcbt-',
      'glft-',
      'glsoat-',
      'glagent-',
      'gloas-',
      'glptt-',
      'glimt-',
      'glffct-',
    ],
    re: new RegExp(`${B}gl(?:pat|dt|rt|cbt|ft|soat|agent|oas|ptt|imt|ffct)-[A-Za-z0-9_.-]{20,}`, 'g'),
  },
  {
    kind: 'slack-token',
    from: [
      'gitleaks:slack-bot-token',
      'gitleaks:slack-user-token',
      'gitleaks:slack-legacy-token',
      'gitleaks:slack-legacy-workspace-token',
      'secretlint:slack',
    ],
    keywords: ['xox'],
    re: new RegExp(`${B}xox[abposre]-(?:[0-9]+-)*[A-Za-z0-9-]{10,}`, 'g'),
  },
  {
    kind: 'slack-token',
    from: ['gitleaks:slack-app-token', 'secretlint:slack'],
    keywords: ['xapp-'],
    re: /(?<![A-Za-z0-9_])xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+/gi,
  },
  {
    kind: 'slack-webhook',
    from: ['gitleaks:slack-webhook-url', 'secretlint:slack'],
    keywords: ['hooks.slack.com'],
    re: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9+/_-]{20,})/g,
  },
  {
    kind: 'stripe-key',
    from: ['gitleaks:stripe-access-token'],
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
    re: new RegExp(`${B}[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}${E}`, 'g'),
  },
  {
    kind: 'google-api-key',
    from: ['gitleaks:gcp-api-key', 'secretlint:gcp'],
    keywords: ['aiza'],
    re: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'npm-token',
    from: ['gitleaks:npm-access-token', 'secretlint:npm'],
    keywords: ['npm_'],
    re: new RegExp(`${B}npm_[A-Za-z0-9]{36}${E}`, 'g'),
  },
  // .npmrc `//registry/:_authToken=…` (secretlint:npm's NPM_TOKEN-in-.npmrc check).
  {
    kind: 'npm-token',
    from: ['secretlint:npm'],
    keywords: ['_authtoken'],
    re: /(_authToken\s*=\s*["']?)([^\s"'$][^\s"']*)/gi,
  },
  {
    kind: 'vault-token',
    from: ['gitleaks:vault-service-token', 'gitleaks:vault-batch-token'],
    keywords: ['hvs.', 'hvb.', 'hvr.'],
    re: /(?<![A-Za-z0-9_.])hv[sbr]\.[A-Za-z0-9_-]{24,}/g,
  },
  // Azure Storage / Service Bus connection strings and SAS URLs: neither upstream set has a rule for
  // them (secretlint:azure covers AD client secrets). Formats:
  // https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string and
  // https://learn.microsoft.com/azure/storage/common/storage-sas-overview (the `sig` parameter).
  {
    kind: 'azure-key',
    from: ['own'],
    keywords: ['accountkey=', 'sharedaccesskey='],
    re: /((?:AccountKey|SharedAccessKey)=)([A-Za-z0-9+/]{20,}={0,2})/gi,
  },
  { kind: 'azure-sas', from: ['own'], keywords: ['sig='], re: /([?&;]sig=)([A-Za-z0-9%+/=]{20,})/gi },
  {
    kind: 'azure-key',
    from: ['gitleaks:azure-ad-client-secret', 'secretlint:azure'],
    keywords: ['q~'],
    re: /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
  },
  {
    kind: 'sendgrid-key',
    from: ['gitleaks:sendgrid-api-token', 'secretlint:sendgrid'],
    keywords: ['sg.'],
    re: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'anthropic-key',
    from: ['gitleaks:anthropic-api-key', 'gitleaks:anthropic-admin-api-key', 'secretlint:anthropic'],
    keywords: ['sk-ant-'],
    re: /(?<![A-Za-z0-9_])sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}/g,
  },
  {
    kind: 'openai-key',
    from: ['gitleaks:openai-api-key', 'secretlint:openai'],
    keywords: ['t3blbkfj'],
    re: /(?<![A-Za-z0-9_])sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/g,
  },
  // Newer project keys need not carry the T3BlbkFJ marker.
  {
    kind: 'openai-key',
    from: ['secretlint:openai'],
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    re: /(?<![A-Za-z0-9_])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}/g,
  },
  {
    kind: 'shopify-token',
    from: [
      'gitleaks:shopify-access-token',
      'gitleaks:shopify-custom-access-token',
      'gitleaks:shopify-private-app-access-token',
      'gitleaks:shopify-shared-secret',
      'secretlint:shopify',
    ],
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    re: new RegExp(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`, 'g'),
  },
  {
    kind: 'linear-key',
    from: ['gitleaks:linear-api-key', 'secretlint:linear'],
    keywords: ['lin_api_'],
    re: new RegExp(`${B}lin_api_[A-Za-z0-9]{40}${E}`, 'g'),
  },
  {
    kind: '1password-token',
    from: ['gitleaks:1password-service-account-token', 'secretlint:1password'],
    keywords: ['ops_'],
    re: /(?<![A-Za-z0-9_])ops_eyJ[A-Za-z0-9+/]{250,}={0,3}/g,
  },
  // Command lines. `curl -u user:pass` (gitleaks:curl-auth-user); `mysql -pSECRET` has no upstream
  // rule: the password is glued to -p (https://dev.mysql.com/doc/refman/8.0/en/connection-options.html#option_general_password).
  { kind: 'password', from: ['own'], keywords: ['mysql'], re: /(\bmysql(?:dump|admin)?\b[^\n]*?\s-p)([^\s'"]+)/g },
  {
    kind: 'password',
    from: ['gitleaks:curl-auth-user', 'secretlint:basicauth'],
    keywords: ['-u', '--user'],
    re: /((?:^|\s)(?:-u|--user)[ =]['"]?[^\s:'"]+:)([^\s'"]+)/g,
  },
  // Env and connection strings whose name is not itself secret-looking: ODBC/ADO `PWD=` (gitleaks:
  // database-password), libpq's PGPASSWORD (https://www.postgresql.org/docs/current/libpq-envars.html)
  // and MYSQL_PWD.
  {
    kind: 'password',
    from: ['gitleaks:database-password', 'secretlint:database-connection-string'],
    keywords: ['pgpassword', 'mysql_pwd', 'pwd='],
    re: /((?<![A-Za-z0-9])(?:PGPASSWORD|MYSQL_PWD|PWD)\s*=\s*["']?)([^\s"';]+)/gi,
  },
];

/** Lower-cased keyword set, for one prefilter scan per string. */
export const ALL_KEYWORDS: readonly string[] = [...new Set(SECRET_RULES.flatMap((r) => r.keywords))];
