/**
 * The repository stands on its own: nothing in test/, bench/, demo/, tools/ or .ci/ reads a path
 * outside it (a plain `git clone` has no sibling folders).
 */
import { REPO_ROOT } from '../../support/wrapper_harness.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outsideReferences } from '../../support/outside_paths.js';

const ROOT = REPO_ROOT;
const DIRS = ['test', 'bench', 'demo', 'tools', '.ci'];
const SOURCE = /(\.(ts|mts|js|mjs|cjs|sh|awk|json|py)|\/run)$/;

function sourceFiles(): string[] {
  // Tracked and new (not ignored) files: what a clone would hold, never node_modules or dist.
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...DIRS], { cwd: ROOT, encoding: 'utf8' });
  // This file is skipped: its second test feeds the check the very lines it must reject.
  return out.split('\n').filter((file) => SOURCE.test(file) && !file.startsWith('test/fixtures/') && file !== 'test/unit/repository/self_contained.test.ts');
}

describe('self-contained repository', () => {
  it('no file in test/, bench/, demo/, tools/ or .ci/ references a path outside the repository', () => {
    const files = sourceFiles();
    expect(files).toContain('.ci/run');
    expect(files.filter((file) => file.startsWith('test/')).length).toBeGreaterThan(20);
    const offenders = files.flatMap((file) =>
      outsideReferences(readFileSync(path.join(ROOT, file), 'utf8'), path.join(ROOT, file), ROOT).map((ref) => `${file}:${ref.line}: ${ref.why}: ${ref.text}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the check catches sibling folders, machine paths and imports or dirname paths above the root', () => {
    const file = path.join(ROOT, 'test/unit/example.test.ts');
    const sibling = ['..', 'shared'];
    const bad = [
      `const F = resolve(ROOT, '${sibling.join('/')}/fixtures/codex-0.169');`,
      `const F = path.resolve(REPO_ROOT, '${sibling[0]}', '${sibling[1]}', 'fixtures');`,
      `const F = path.resolve(__dirname, '../../../x/fixtures');`,
      `const F = join(import.meta.dirname, '../../..', 'x');`,
      `return process.env.X ?? '/${'work'}/elsewhere/fixtures';`,
      `import { a } from '../../../outside/a.js';`,
    ];
    for (const line of bad) expect(outsideReferences(line, file, ROOT), line).not.toEqual([]);
    const good = [
      `const F = path.resolve(import.meta.dirname, '..', 'fixtures', 'codex-0.169');`,
      `import { a } from '../../src/index.js';`,
      `const input = 'sketch/agent_loop/runs/../../../../outside/secret.txt';`,
      `"path":"/${'work'}/ws/a.txt"`,
    ];
    for (const line of good) expect(outsideReferences(line, file, ROOT), line).toEqual([]);
  });
});
