/**
 * Services for calling the MCP tool handlers (run_artist.ts, run_task.ts) directly in unit tests:
 * a real config over a temp repo, a real queue and lock, a recording log. CODEX_BIN names a script
 * that only leaves a marker file, so a test can prove that codex was never started.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerConfig } from '../../src/mcp/config.js';
import { KeyedMutex } from '../../src/mcp/dir_locks.js';
import { FifoSemaphore } from '../../src/mcp/fifo_semaphore.js';
import type { ArtistToolDeps, ToolExtra } from '../../src/mcp/run_artist.js';

/** A repo under `root` with a runs root, and the deps of both tools. */
export function toolDeps(root: string) {
  const repo = path.join(root, 'repo');
  const runs = path.join(repo, 'runs');
  mkdirSync(runs, { recursive: true });
  const marker = path.join(root, 'codex-was-started');
  const codex = path.join(root, 'fake-codex');
  writeFileSync(codex, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
  chmodSync(codex, 0o755);
  const config: ServerConfig = {
    repoRoot: repo,
    runsRoot: runs,
    childRoot: repo,
    maxConcurrency: 1,
    sandbox: 'read-only',
    python: 'python3',
    promptTemplatePath: path.join(root, 'template.md'),
    artistWorkdir: 'variant',
    allowSlashTmp: false,
    killGraceMs: 100,
    env: { PATH: process.env.PATH, HOME: path.join(root, 'home'), CODEX_HOME: path.join(root, 'codex-home'), CODEX_BIN: codex },
  };
  const logs: string[] = [];
  const deps: ArtistToolDeps = {
    config,
    template: { path: config.promptTemplatePath, text: 'Draw {{variant_dir}}' },
    semaphore: new FifoSemaphore(1),
    dirLocks: new KeyedMutex(),
    shutdown: new AbortController().signal,
    log: (line) => logs.push(line),
  };
  return { repo, runs, deps, logs, codexStarted: () => existsSync(marker) };
}

/** The SDK's `extra` without a progress token. */
export function toolExtra(signal: AbortSignal = new AbortController().signal): ToolExtra {
  return { signal, sendNotification: () => Promise.resolve() };
}
