/**
 * Locates files shipped with the package (the executor script, templates) from compiled code in
 * `dist/src/…` and from sources run by vitest/tsx in `src/…` alike.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The package root: the nearest ancestor of this module that holds `scripts/codex_executor.sh`,
 * resolved through symlinks (a global install links `<prefix>/bin/…` to the package; the root is
 * the package's own directory, never that bin directory).
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = path.dirname(realpathSync(fileURLToPath(import.meta.url)));
  for (;;) {
    if (existsSync(path.join(dir, 'scripts', 'codex_executor.sh'))) return (cachedRoot = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('codex-child: cannot locate scripts/codex_executor.sh');
    dir = parent;
  }
}

/** Absolute path of `scripts/codex_executor.sh`. */
export function executorScriptPath(): string {
  return path.join(packageRoot(), 'scripts', 'codex_executor.sh');
}

/** The package's `version` from its package.json. */
export function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
