/**
 * Path rules of the MCP server (art-loop contract §3.3, §4): every path a client sends is resolved
 * to a real path FIRST — following every symlink that exists, like Python's non-strict
 * `Path.resolve()` — and only then checked against the allowed root. The checked, resolved path is
 * the one the server uses afterwards, so `..` tricks and symlinks that point outside cannot escape.
 */
import { lstat, readlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { err, ok, type Result } from '../domain/result.js';
import { isDirectory } from '../infrastructure/fs/file_reads.js';

/** Symlinks followed while resolving one path before giving up (Linux's own limit is 40). */
const MAX_SYMLINKS = 40;
/**
 * Longest path accepted, in bytes (Linux's PATH_MAX): no longer path can be opened anyway, and the
 * cap bounds the work of a check (a 40,000-component path used to take 26 s).
 */
export const MAX_PATH_BYTES = 4096;

/** Outcome of a path check: the absolute, symlink-free path, or a one-line refusal for the client. */
export type PathCheck = Result<string, string>;

const refuse = (message: string): PathCheck => err(message);

/**
 * Expands a leading `~` (alone or followed by `/`) with `home`; other text is returned as is.
 * `~user` forms are not expanded (they would need the password database).
 */
export function expandTilde(input: string, home: string = os.homedir()): string {
  if (input === '~') return home;
  if (input.startsWith('~/')) return path.join(home, input.slice(2));
  return input;
}

/** Path components, separators collapsed (`\\` is a separator only on Windows). */
function splitPath(text: string): string[] {
  return text.split(path.sep === '/' ? /\/+/ : /[\\/]+/).filter((part) => part !== '');
}

/**
 * Resolves `input` (absolute, or relative to `base`) component by component, following each
 * symlink that exists; missing components are kept as they are (and `..` after them applied), as
 * Python's `Path.resolve(strict=False)` does. Never throws for missing paths.
 *
 * @throws Error with code `ELOOP` after {@link MAX_SYMLINKS} links.
 */
export async function resolveReal(input: string, base: string): Promise<string> {
  // No lexical normalisation first: `link/..` must mean "the parent of the link's target".
  const joined = path.isAbsolute(input) ? input : `${path.resolve(base)}${path.sep}${input}`;
  // Stacks, next component last: push and pop are O(1), so the walk is linear in components.
  const pending = splitPath(joined).reverse();
  let root = path.parse(path.resolve(base)).root;
  const done: string[] = [];
  const current = () => root + done.join(path.sep);
  let links = 0;
  // Components appended below the first one that cannot be lstat'ed: they cannot be probed
  // either, so they are not (one syscall per existing component keeps long paths cheap). A `..`
  // climbing back above it probes again: `missing/../link` reaches a real link.
  let unprobed = 0;
  while (pending.length > 0) {
    const part = pending.pop() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      if (unprobed > 0) unprobed -= 1;
      continue;
    }
    done.push(part);
    if (unprobed > 0) {
      unprobed += 1;
      continue;
    }
    const next = current();
    const info = await lstat(next).catch(() => null);
    if (info === null || !info.isSymbolicLink()) {
      if (info === null) unprobed = 1;
      continue;
    }
    links += 1;
    if (links > MAX_SYMLINKS) throw Object.assign(new Error(`too many levels of symbolic links: ${input}`), { code: 'ELOOP' });
    const target = await readlink(next);
    // The link's target replaces it: absolute targets restart at the root, relative ones at its dir.
    done.pop();
    if (path.isAbsolute(target)) {
      root = path.parse(target).root;
      done.length = 0;
    }
    const parts = splitPath(target);
    for (let i = parts.length - 1; i >= 0; i -= 1) pending.push(parts[i] as string);
  }
  return current();
}

/** True when `candidate` lies strictly inside `root` (both absolute and resolved). */
export function isStrictlyInside(candidate: string, root: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** True when `candidate` is `root` itself or lies inside it. */
export function isInsideOrEqual(candidate: string, root: string): boolean {
  return candidate === root || isStrictlyInside(candidate, root);
}

/** What every check needs: where relative paths start and what `~` means. */
export interface PathContext {
  /** Relative paths are joined to this directory (the repo root). */
  base: string;
  /** `~` expansion (default: the OS home directory). */
  home?: string;
}

async function resolveInput(input: string, field: string, context: PathContext): Promise<PathCheck> {
  if (input.includes('\0')) return refuse(`${field} must not contain NUL bytes`);
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > MAX_PATH_BYTES) return refuse(`${field} is too long: ${bytes} bytes (at most ${MAX_PATH_BYTES})`);
  try {
    return ok(await resolveReal(expandTilde(input, context.home), context.base));
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return refuse(`${field} cannot be resolved: ${text.replace(/\s+/g, ' ')}`);
  }
}


/** Shape of a variant directory below the runs root: `<run_id>/iter_XX/vYY` (2+ digits each). */
export function hasVariantShape(relative: string): boolean {
  const parts = relative.split(path.sep);
  return (
    parts.length === 3 &&
    /^[^.][^/\\]*$/.test(parts[0] as string) &&
    /^iter_\d{2,}$/.test(parts[1] as string) &&
    /^v\d{2,}$/.test(parts[2] as string)
  );
}

/**
 * `variant_dir` of `art_loop.run_codex_artist`, in the contract's order: NUL bytes, real path,
 * strictly inside the runs root, an existing directory, the `<run_id>/iter_XX/vYY` shape.
 *
 * @param runsRoot the resolved runs root.
 */
export async function checkVariantDir(input: string, runsRoot: string, context: PathContext): Promise<PathCheck> {
  const resolved = await resolveInput(input, 'variant_dir', context);
  if (!resolved.ok) return resolved;
  const dir = resolved.value;
  if (!isStrictlyInside(dir, runsRoot)) return refuse(`path must be under ${runsRoot}: ${dir}`);
  if (!(await isDirectory(dir))) return refuse(`variant_dir not found: ${dir}`);
  if (!hasVariantShape(path.relative(runsRoot, dir))) {
    return refuse(`variant_dir must be <run_id>/iter_XX/vYY under ${runsRoot}: ${dir}`);
  }
  return resolved;
}

/**
 * `path` of `art_loop.read_text_tail`: NUL bytes, real path, strictly inside the runs root. The
 * file need not exist; the caller checks its type.
 */
export async function checkTailPath(input: string, runsRoot: string, context: PathContext): Promise<PathCheck> {
  const resolved = await resolveInput(input, 'path', context);
  if (!resolved.ok) return resolved;
  if (!isStrictlyInside(resolved.value, runsRoot)) return refuse(`path must be under ${runsRoot}: ${resolved.value}`);
  return resolved;
}

/**
 * `workspace_dir` of `codex.run_task`: NUL bytes, real path, the child root itself or inside it,
 * an existing directory.
 *
 * @param childRoot the resolved CODEX_CHILD_ROOT; relative inputs are joined to `context.base`.
 */
export async function checkWorkspaceDir(input: string, childRoot: string, context: PathContext): Promise<PathCheck> {
  const resolved = await resolveInput(input, 'workspace_dir', context);
  if (!resolved.ok) return resolved;
  const dir = resolved.value;
  if (!isInsideOrEqual(dir, childRoot)) return refuse(`workspace_dir must be under ${childRoot}: ${dir}`);
  if (!(await isDirectory(dir))) return refuse(`workspace_dir not found: ${dir}`);
  return resolved;
}

/** `target` relative to `root` with `/` separators, or `target` itself when it lies outside. */
export function displayPath(target: string, root: string): string {
  if (!isStrictlyInside(target, root)) return target.split(path.sep).join('/');
  return path.relative(root, target).split(path.sep).join('/');
}
