/**
 * The artist's `artifact.json` (contract §3.8): how success is judged from it, and the failure
 * Artifact the server writes when the artist left none. Once a variant directory has passed
 * validation, every call ends with an `artifact.json` in it; the artist's own file is never
 * overwritten (the server creates its file with O_EXCL).
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readFileNoFollow } from '../infrastructure/fs/safe_fs.js';

/** The Artifact schema (`references/schemas.md` at grafix eba9363). */
export interface Artifact {
  artist_id: string;
  iteration: number;
  variant_id: string;
  mode: 'exploration' | 'exploitation';
  status: 'success' | 'failed';
  code_ref: string;
  callable_ref: string;
  image_ref: string;
  seed: number;
}

/** Files of a variant directory the artist must produce for a success. */
export const REQUIRED_OUTPUTS = ['sketch.py', 'out.png'] as const;

/** What the artifact rules found. */
export interface ArtifactVerdict {
  /** True when artifact.json is an object with `status: "success"` and the outputs exist. */
  success: boolean;
  /** Why not, one line; null on success. */
  problem: string | null;
  /** Whether `artifact.json` exists (whoever wrote it). */
  exists: boolean;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;

async function isRegularFile(file: string): Promise<boolean> {
  return lstat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}

/**
 * Applies the success rule to a variant directory: `artifact.json` parses as a JSON object whose
 * `status` is `"success"`, and `sketch.py` and `out.png` exist as regular files.
 */
export async function judgeArtifact(variantDir: string): Promise<ArtifactVerdict> {
  const file = path.join(variantDir, 'artifact.json');
  const info = await lstat(file).catch(() => null);
  if (info === null) return { success: false, problem: 'the artist wrote no artifact.json', exists: false };
  if (!info.isFile()) return { success: false, problem: 'artifact.json is not a regular file', exists: true };
  let parsed: unknown;
  try {
    // No-follow: the file may have been swapped for a link since lstat; that is "not valid".
    parsed = JSON.parse((await readFileNoFollow(file))?.toString('utf8') ?? '');
  } catch {
    return { success: false, problem: 'artifact.json is not valid JSON', exists: true };
  }
  const artifact = asObject(parsed);
  if (artifact === null) return { success: false, problem: 'artifact.json is not a JSON object', exists: true };
  if (artifact.status !== 'success') {
    return { success: false, problem: `artifact.json has status ${JSON.stringify(artifact.status ?? null)}, not "success"`, exists: true };
  }
  const missing: string[] = [];
  for (const name of REQUIRED_OUTPUTS) if (!(await isRegularFile(path.join(variantDir, name)))) missing.push(name);
  if (missing.length > 0) return { success: false, problem: `artifact.json says success but ${missing.join(' and ')} missing`, exists: true };
  return { success: true, problem: null, exists: true };
}

/** Integer from a JSON value: integers, and strings of digits; else null. */
function integerOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}

/**
 * The failure Artifact for a variant: fields from `artist_context.json` where present, otherwise
 * derived from the directory names (`iter_XX` → iteration, `vYY` → variant_id).
 *
 * @param context the parsed artist_context.json, or null when missing or unreadable.
 * @param variantRel the variant directory relative to the repo root, `/` separators.
 */
export function failureArtifact(context: unknown, variantRel: string): Artifact {
  const ctx = asObject(context) ?? {};
  const parts = variantRel.split('/').filter((p) => p !== '');
  const variantName = parts.at(-1) ?? '';
  const iterMatch = /^iter_(\d+)$/.exec(parts.at(-2) ?? '');
  const module = parts.join('.');
  return {
    artist_id: typeof ctx.artist_id === 'string' ? ctx.artist_id : '',
    iteration: integerOf(ctx.iteration) ?? (iterMatch ? Number(iterMatch[1]) : 0),
    variant_id: typeof ctx.variant_id === 'string' && ctx.variant_id !== '' ? ctx.variant_id : variantName,
    mode: ctx.mode === 'exploitation' ? 'exploitation' : 'exploration',
    status: 'failed',
    code_ref: `${variantRel}/sketch.py`,
    callable_ref: `${module}.sketch:draw`,
    image_ref: `${variantRel}/out.png`,
    seed: 0,
  };
}

async function readContext(variantDir: string): Promise<unknown> {
  try {
    // A symlinked context is not followed: its fields would come from outside the variant dir.
    const bytes = await readFileNoFollow(path.join(variantDir, 'artist_context.json'));
    return bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as unknown);
  } catch {
    return null;
  }
}

/**
 * Writes the failure Artifact unless `artifact.json` already exists (in any form: the artist's
 * file, even an invalid one, is never replaced). The file appears atomically and complete: it is
 * written under a temporary name, then hard-linked to `artifact.json` — link(2) fails with EEXIST
 * instead of replacing, so a racing writer wins cleanly and a reader never sees half a file.
 *
 * @returns true when the server wrote the file.
 */
export async function ensureArtifact(variantDir: string, variantRel: string): Promise<boolean> {
  const file = path.join(variantDir, 'artifact.json');
  if ((await lstat(file).catch(() => null)) !== null) return false;
  const artifact = failureArtifact(await readContext(variantDir), variantRel);
  const temp = path.join(variantDir, `.artifact.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(artifact, null, 2)}\n`, { flag: 'wx' });
    await link(temp, file);
    return true;
  } catch {
    return false; // EEXIST: someone else wrote it first; any other error: nothing we can do here
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
