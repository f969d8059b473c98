/**
 * File operations that never follow a symlink they did not create (issue 9, "Confinement"). A
 * variant dir or workspace is written by the model itself, so any name in it may be a planted
 * link to a file outside; these helpers open the last component with `O_NOFOLLOW` and refuse
 * links (and FIFOs, devices, directories where a file is expected) with one line naming the path.
 * The chosen policy is "refuse", never "replace": the caller's tree is left as it is.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A refused or failed file operation; `message` is one line that names the path. */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
  constructor(
    message: string,
    readonly path: string,
    readonly code: string,
  ) {
    super(message.replace(/\s+/g, ' ').trim());
  }
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? 'EIO';

/** The one-line refusal for a planted symlink. */
export function symlinkRefusal(file: string): UnsafePathError {
  return new UnsafePathError(`refusing to follow a symlink the run did not create: ${file}`, file, 'ELOOP');
}

function failed(what: string, file: string, error: unknown): UnsafePathError {
  if (error instanceof UnsafePathError) return error;
  const code = codeOf(error);
  if (code === 'ELOOP') return symlinkRefusal(file);
  return new UnsafePathError(`cannot ${what} ${file}: ${code}`, file, code);
}

// O_NONBLOCK: a FIFO planted under the name must not block open(); it is refused after fstat.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Creates `file` empty, or empties the regular file already there (`O_TRUNC` with `O_NOFOLLOW`,
 * so a symlink in its place is refused before anything is truncated).
 *
 * @throws UnsafePathError for a symlink, a non-regular file or an I/O error.
 */
export async function createEmptyFile(file: string, mode = 0o600): Promise<void> {
  await writeFileNoFollow(file, '', mode);
}

/**
 * Runs `fill` on `file`, created or truncated, without following a symlink in its place: the one
 * open-verify-truncate sequence behind {@link writeFileNoFollow} and {@link copyFileNoFollow}.
 */
async function withRegularFileForWrite(file: string, mode: number, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  let handle;
  try {
    // Not O_TRUNC yet: a FIFO or device under the name is refused untouched.
    handle = await open(file, WRITE_FLAGS, mode);
  } catch (error) {
    // A FIFO without a reader gives ENXIO with O_NONBLOCK: still "not a regular file".
    if (codeOf(error) === 'ENXIO') throw new UnsafePathError(`refusing a non-regular file: ${file}`, file, 'ENXIO');
    throw failed('write', file, error);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new UnsafePathError(`refusing a non-regular file: ${file}`, file, 'EINVAL');
    await handle.truncate(0);
    await fill(handle);
  } catch (error) {
    throw failed('write', file, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Writes `data` to `file` (created or truncated) without following a symlink in its place.
 *
 * @throws UnsafePathError for a symlink, a non-regular file or an I/O error.
 */
export async function writeFileNoFollow(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await withRegularFileForWrite(file, mode, async (handle) => {
    if (data.length > 0) await handle.writeFile(data);
  });
}

/**
 * Copies `source` to `dest` (created or truncated) without following a symlink at `dest`.
 *
 * @throws UnsafePathError for a symlink or non-regular file at `dest`, or an I/O error.
 */
export async function copyFileNoFollow(source: string, dest: string, mode = 0o600): Promise<void> {
  await withRegularFileForWrite(dest, mode, async (handle) => {
    const input = await open(source, 'r');
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        const { bytesRead } = await input.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        await handle.write(chunk, 0, bytesRead);
      }
    } finally {
      await input.close();
    }
  });
}

/**
 * Reads a regular file without following a symlink in its place.
 *
 * @returns the bytes, or null when the file is missing.
 * @throws UnsafePathError for a symlink, a non-regular file or another I/O error.
 */
export async function readFileNoFollow(file: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw failed('read', file, error);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new UnsafePathError(`refusing a non-regular file: ${file}`, file, 'EINVAL');
    return await handle.readFile();
  } catch (error) {
    throw failed('read', file, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Makes sure `dir` is a real directory (created with `mode` when missing), never a symlink: the
 * parent must exist already.
 *
 * @returns true when this call created it.
 * @throws UnsafePathError for a symlink, a non-directory or an I/O error.
 */
export async function ensureOwnDir(dir: string, mode = 0o700): Promise<boolean> {
  try {
    await mkdir(dir, { mode });
    return true;
  } catch (error) {
    if (codeOf(error) !== 'EEXIST') throw failed('create directory', dir, error);
  }
  const info = await lstat(dir).catch((error: unknown) => {
    throw failed('inspect', dir, error);
  });
  if (info.isSymbolicLink()) throw symlinkRefusal(dir);
  if (!info.isDirectory()) throw new UnsafePathError(`not a directory: ${dir}`, dir, 'ENOTDIR');
  return false;
}

/**
 * `mkdir -p` as a walk of single-component `mkdir` calls. Node 20's recursive mkdir never returns
 * under `/proc` (it retries forever at 100 % CPU, deaf to signals); one call per component fails
 * at once with the kernel's error. Existing components may be symlinks (the caller's own path);
 * only what this walk creates is new.
 *
 * @throws UnsafePathError naming the component that cannot be created.
 */
export async function makeDirWalk(dir: string, mode = 0o700): Promise<void> {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  let current = absolute;
  // Walk up to the deepest existing ancestor (linear: one stat per component).
  for (;;) {
    const info = await stat(current).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) throw new UnsafePathError(`not a directory: ${current}`, current, 'ENOTDIR');
      break;
    }
    if (info.code !== 'ENOENT') throw failed('create directory', current, info);
    const parent = path.dirname(current);
    if (parent === current) throw failed('create directory', current, info);
    missing.push(current);
    current = parent;
  }
  for (const next of missing.reverse()) {
    try {
      await mkdir(next, { mode });
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw failed('create directory', next, error);
      const info = await stat(next).catch(() => null);
      if (!info?.isDirectory()) throw new UnsafePathError(`not a directory: ${next}`, next, 'ENOTDIR');
    }
  }
}
