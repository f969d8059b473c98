/**
 * Links the parent's `config.toml` (and `<profile>.config.toml` for `-p NAME`) into the run home,
 * so a child keeps the parent's model and provider instead of silently falling back to the default
 * provider (and a 401). `CODEX_LINK_CONFIG=0` turns this off. Existing files are left alone.
 */
import { lstat, unlink } from 'node:fs/promises';
import { realRegularFile } from '../../../fs/file_reads.js';
import path from 'node:path';
import { ok, type Result } from '../../../../domain/result.js';
import type { EnvRecord } from '../../../env.js';
import { linkShared } from './credentials.js';

/** The config file names to share for this environment. */
export function sharedConfigNames(env: EnvRecord): string[] {
  const profile = env.CODEX_PROFILE;
  return profile ? ['config.toml', `${profile}.config.toml`] : ['config.toml'];
}

/**
 * @returns the links made (absolute paths), or an `auth_link_failed` error when a link is impossible.
 */
export async function linkParentConfig(codexHome: string, parentHome: string, env: EnvRecord): Promise<Result<string[]>> {
  if (env.CODEX_LINK_CONFIG === '0') return ok([]);
  const made: string[] = [];
  for (const name of sharedConfigNames(env)) {
    const target = await realRegularFile(path.join(parentHome, name));
    if (target === null) continue;
    const link = path.join(codexHome, name);
    const existing = await lstat(link).catch(() => null);
    if (existing?.isSymbolicLink() && (await realRegularFile(link)) === null) await unlink(link).catch(() => undefined);
    else if (existing) continue; // the caller's own file or a working link: never overwritten
    const linked = await linkShared(link, target, name);
    if (!linked.ok) return linked;
    made.push(link);
  }
  return ok(made);
}
