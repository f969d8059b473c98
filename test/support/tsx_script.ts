/**
 * Runs a TypeScript snippet that imports project sources in a real child node process (through
 * tsx, so the source under test is used, never a stale dist/): for modules that install signal
 * handlers or call process.exit, which a test must not do to its own worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './wrapper_harness.js';

// tsx's loader in this very process (not its CLI, which runs the script in a second process and
// relays only some signals): a signal sent to the child reaches the script itself.
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** The absolute import specifier of a source file, e.g. `src('cli/signal_abort.js')`. */
export function src(relative: string): string {
  return JSON.stringify(path.join(REPO_ROOT, 'src', relative));
}

/** A started script: the process, its output so far, and its end. */
export interface ScriptRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves once stdout contains `text` (rejects if the process ends first). */
  waitForOutput(text: string): Promise<void>;
}

/** Starts `code` (an ES module body) with `env` and `cwd`; the script file is removed at the end. */
export function startScript(code: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ScriptRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsx-script-'));
  const file = path.join(dir, 'script.mts');
  writeFileSync(file, code);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, file], { env: options.env ?? process.env, cwd: options.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr });
    });
  });
  const waitForOutput = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stdout.includes(text)) resolve();
      };
      listeners.push(check);
      check();
      void done.then(() => (stdout.includes(text) ? resolve() : reject(new Error(`script ended without printing ${text}; stderr: ${stderr}`))));
    });
  return { child, stdout: () => stdout, stderr: () => stderr, done, waitForOutput };
}
