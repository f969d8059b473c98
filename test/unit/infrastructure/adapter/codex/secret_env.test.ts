import { describe, expect, it } from 'vitest';
import { isSecretEnvName, SECRET_ENV_PATTERNS, secretExclusionArgs } from '../../../../../src/infrastructure/adapter/codex/secret_env.js';
import { MUST_HIDE, MUST_PASS } from '../../../../support/secret_names.js';

// The e2e test (test/e2e/secret_env.test.ts) checks that codex itself agrees with these.

describe('secret env name patterns', () => {
  it.each(MUST_HIDE)('hides %s', (name) => {
    expect(isSecretEnvName(name)).toBe(true);
  });

  it.each([...MUST_PASS, 'CODEX_CHILD_RUN_ID', 'CODEX_HOME', 'CODEX_THREAD_ID', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'LC_ALL', 'NODE_OPTIONS', 'PYTHONPATH'])(
    'lets %s through',
    (name) => {
      expect(isSecretEnvName(name)).toBe(false);
    },
  );

  it('matches whole names, ignoring case, as codex does', () => {
    expect(isSecretEnvName('my_api_key')).toBe(true);
    expect(isSecretEnvName('gh_pat')).toBe(true);
    expect(isSecretEnvName('GH_PATH')).toBe(false); // `*_PAT` must end the name
    expect(isSecretEnvName('XPAT')).toBe(false);
  });

  it('never uses a CODEX_* pattern (run markers must reach the commands)', () => {
    expect(SECRET_ENV_PATTERNS.filter((p) => /^codex/i.test(p))).toEqual([]);
  });

  it('renders one -c override with every pattern quoted', () => {
    const [flag, value] = secretExclusionArgs();
    expect(flag).toBe('-c');
    expect(value).toBe(`shell_environment_policy.exclude=[${SECRET_ENV_PATTERNS.map((p) => `"${p}"`).join(',')}]`);
    expect(value).toContain('"*_PAT"');
  });
});
