/**
 * Per-run directories: `<run>/.codex_home` and `<run>/.tmp` as siblings. CODEX_HOME must never sit
 * inside TMPDIR, or codex refuses to create its helper binaries (openai/codex#17473).
 *
 * A run dir may have been written by an earlier child (a variant dir is), so `.codex_home` and
 * `.tmp` must be real directories: a symlink under either name is refused, never followed. The
 * run dir itself is created one component at a time (Node 20's recursive mkdir spins forever
 * under `/proc`), so an impossible place fails at once with one line.
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { childError } from '../../../../domain/errors.js';
import { err, ok, type Failure, type Result } from '../../../../domain/result.js';
import { ensureOwnDir, makeDirWalk } from '../../../fs/safe_fs.js';

/** The two directories of an isolated run. */
export interface RunDirs {
  runDir: string;
  codexHome: string;
  tmpDir: string;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Creates (or reuses) the run's CODEX_HOME and TMPDIR and checks that both are writable.
 * @returns the directories, or a `run_dir_failed` error (exit 1) naming the path and the cause.
 */
export async function prepareRunDirs(runDir: string): Promise<Result<RunDirs>> {
  const absolute = path.resolve(runDir);
  const dirs: RunDirs = { runDir: absolute, codexHome: path.join(absolute, '.codex_home'), tmpDir: path.join(absolute, '.tmp') };
  try {
    await makeDirWalk(absolute);
  } catch (error) {
    return fail({
      reason: 'run_dir_failed',
      message: `cannot prepare run dir ${absolute}: ${oneLine(error)}`,
      details: { runDir: absolute, dir: absolute },
    });
  }
  for (const dir of [dirs.codexHome, dirs.tmpDir]) {
    try {
      await ensureOwnDir(dir);
      await access(dir, constants.W_OK | constants.X_OK);
    } catch (error) {
      return fail({
        reason: 'run_dir_failed',
        message: `cannot prepare run dir ${dir}: ${oneLine(error)}`,
        details: { runDir: absolute, dir },
      });
    }
  }
  return ok(dirs);
}

const fail = (init: Parameters<typeof childError<'run_dir_failed'>>[0]): Failure => err(childError(init));
