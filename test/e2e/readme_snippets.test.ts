/**
 * The README's library snippets are real code: every ```ts block that imports `codex-child` is
 * type-checked (strict tsc) against the built package, resolved by its own name through
 * package.json `exports`, and the `codex-child/testing` snippet also runs against the real codex.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/wrapper_harness.js';

const run = promisify(execFile);
// Inside the package (gitignored), so `import … from 'codex-child'` resolves to this package.
const dir = path.join(REPO_ROOT, '.vitest-tmp', `readme-snippets-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const snippets = [...readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)]
  .map((m) => m[1] ?? '')
  .filter((code) => /from 'codex-child(\/testing)?'/.test(code));

describe('README snippets', () => {
  it('finds the library and the testing snippet', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    expect(snippets.some((code) => code.includes("from 'codex-child/testing'"))).toBe(true);
  });

  it('every snippet type-checks (strict) against the package as a user imports it', async () => {
    mkdirSync(dir, { recursive: true });
    const files = snippets.map((code, i) => {
      const file = path.join(dir, `snippet-${i}.mts`);
      writeFileSync(file, code);
      return file;
    });
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', ...files];
    const result = await run(process.execPath, [tsc, ...args], { cwd: REPO_ROOT }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  });

  it('the codex-child/testing snippet runs as written: the real codex answers from the fake model', async () => {
    const code = snippets.find((snippet) => snippet.includes("from 'codex-child/testing'")) ?? '';
    mkdirSync(dir, { recursive: true });
    // It has no type annotations, so it is also plain JavaScript.
    const file = path.join(dir, 'testing-snippet.mjs');
    writeFileSync(file, code);
    const { stdout } = await run(process.execPath, [file], { cwd: dir, timeout: 120_000 });
    expect(stdout).toContain('RESULT: completed');
    expect(stdout).toContain("'responses'");
  });
});
