/**
 * Pre-flight check of the codex binary actually used (deviation §13 f): CODEX_BIN containing `/`
 * must be an executable file; a bare name is looked up on PATH. V661 checked the literal `codex`.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { childError, type CodexChildError } from '../../../domain/errors.js';

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    const stats = await stat(candidate);
    if (!stats.isFile()) return false;
    await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves the codex binary to an absolute path.
 *
 * @param bin the CODEX_BIN value (default `codex`).
 * @param envPath the PATH used to look up a bare name.
 * @param cwd the directory a relative path is resolved against.
 * @returns the absolute path, or null when it cannot be found or executed.
 */
export async function resolveCodexBin(bin: string, envPath: string | undefined, cwd: string): Promise<string | null> {
  if (bin.includes('/')) {
    const absolute = path.resolve(cwd, bin);
    return (await isExecutableFile(absolute)) ? absolute : null;
  }
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    // An empty PATH entry means the current directory, as in the shell.
    const candidate = path.resolve(cwd, dir === '' ? '.' : dir, bin);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** The exit-1 pre-flight error, worded as V661: `codex command not found`. */
export function codexNotFoundError(bin: string): CodexChildError {
  return childError({ reason: 'codex_not_found', message: 'codex command not found', details: { codexBin: bin } });
}
