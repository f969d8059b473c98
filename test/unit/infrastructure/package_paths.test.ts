/**
 * package_paths.ts finds the package's own files from wherever its code runs: the sources here,
 * and the shipped CommonJS bundle of the wrapper loaded from a copy reached through a symlink
 * (how npm links a global bin), where `import.meta.url` is the bundle's own file.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executorScriptPath, packageRoot, packageVersion } from '../../../src/infrastructure/package_paths.js';
import { REPO_ROOT } from '../../support/wrapper_harness.js';

describe('package paths', () => {
  it('finds the repository as the package root, its executor and its version', () => {
    expect(packageRoot()).toBe(realpathSync(REPO_ROOT));
    expect(executorScriptPath()).toBe(path.join(realpathSync(REPO_ROOT), 'scripts', 'codex_executor.sh'));
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(packageVersion()).toBe(manifest.version);
  });

  it('the shipped wrapper bundle finds its own package through a symlinked directory', () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'package-paths-'));
    try {
      const copy = path.join(scratch, 'real', 'pkg');
      for (const entry of ['package.json', 'scripts', 'dist/bin']) cpSync(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
      mkdirSync(path.join(scratch, 'links'));
      symlinkSync(copy, path.join(scratch, 'links', 'pkg'));
      const bundle = path.join(scratch, 'links', 'pkg', 'dist', 'bin', 'codex_wrapper.cjs');
      // --version prints the version read from the package root the bundle located
      const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(bundle)}).main({ argv: ['--version'] })`], { encoding: 'utf8', cwd: scratch });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^codex-wrapper \d+\.\d+\.\d+\n$/);
      // and a package without its executor is an error, not a guess
      rmSync(path.join(copy, 'scripts'), { recursive: true });
      const broken = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(bundle)}).main({ argv: ['--version'] })`], { encoding: 'utf8', cwd: scratch });
      expect(broken.stdout).toBe('codex-wrapper 0.0.0\n'); // the version falls back; a run would fail with the one-line error
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
