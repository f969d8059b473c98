/** The package's version (package.json), for `--version` and the `initialize` answer. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../infrastructure/package_paths.js';

/** `version` of package.json, or `0.0.0` when it cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
