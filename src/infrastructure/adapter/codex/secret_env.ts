/**
 * The one list of environment-variable name patterns hidden from the commands the model runs.
 * codex exports its whole environment to them by default, keys included (codex-cli.md §5.2), so
 * the adapter passes this list as `shell_environment_policy.exclude` on every run, isolated or
 * not, from both front doors. codex matches each pattern as a glob (`*`, `?`) against the whole
 * name, ignoring case; {@link isSecretEnvName} applies the same rule here.
 *
 * Names are never matched by `CODEX_*` (codex's own variables and run markers such as
 * `CODEX_CHILD_RUN_ID` must reach the commands), and not by `*AUTH*` (`GIT_AUTHOR_NAME` must).
 */

/** Glob patterns, matched case-insensitively against whole variable names. */
export const SECRET_ENV_PATTERNS = [
  '*KEY*', // CODEX_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY, AWS_SECRET_ACCESS_KEY, SSH private keys
  '*TOKEN*', // GITHUB_TOKEN, GH_TOKEN, NPM_TOKEN, AWS_SESSION_TOKEN
  '*SECRET*', // SLACK_WEBHOOK_SECRET, CLIENT_SECRET
  '*PASSWORD*', // DATABASE_PASSWORD, PGPASSWORD
  '*PASSWD*',
  '*PASSPHRASE*',
  '*CREDENTIAL*', // GOOGLE_APPLICATION_CREDENTIALS, AWS_SHARED_CREDENTIALS_FILE
  '*_PAT', // GH_PAT (a personal access token); not *PAT*, which would hide PATH
  '*_PAT_*',
  '*_AUTH', // NPM_AUTH, NPM_CONFIG__AUTH
  '*_AUTH_*', // *_AUTH_TOKEN, SSH_AUTH_SOCK (an ssh agent is a credential too)
  'AUTH_*',
  '*COOKIE*',
  '*PRIVATE*',
  '*WEBHOOK*', // SLACK_WEBHOOK_URL: the URL is the secret
] as const;

function globToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'is');
}

const MATCHERS = SECRET_ENV_PATTERNS.map(globToRegExp);

/** True when codex will hide a variable of this name from the model's commands. */
export function isSecretEnvName(name: string): boolean {
  return MATCHERS.some((re) => re.test(name));
}

/** The `-c` override that applies {@link SECRET_ENV_PATTERNS}, for codex's argv. */
export function secretExclusionArgs(): string[] {
  return ['-c', `shell_environment_policy.exclude=[${SECRET_ENV_PATTERNS.map((p) => `"${p}"`).join(',')}]`];
}
