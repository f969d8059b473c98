/** Variable names issue 9 lists: hidden from the model's commands, and passed to them. */
export const MUST_HIDE = [
  'CODEX_API_KEY',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_PAT',
  'NPM_TOKEN',
  'NPM_AUTH',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'DATABASE_PASSWORD',
  'SLACK_WEBHOOK_SECRET',
] as const;

export const MUST_PASS = ['PATH', 'HOME', 'LANG', 'TERM', 'PWD', 'USER', 'SHELL', 'TMPDIR'] as const;
