/**
 * What every benchmark gets: where the package is, a private temp root (removed at the end), the
 * quick/full switch, a deadline, and a logger for progress lines on stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Settings and services shared by the benchmarks. */
export interface BenchContext {
  /** The package root (holds package.json, bin/, scripts/). */
  repoRoot: string;
  /** Private temp directory of this run; everything a benchmark creates goes below it. */
  tmpRoot: string;
  /** BENCH_QUICK=1: fewer repetitions and smaller inputs (a smoke run, not for the table). */
  quick: boolean;
  /** Epoch ms after which a benchmark should stop starting new work. */
  deadline: number;
  /** One progress line on stderr. */
  log(line: string): void;
}

/** One line of the headline table. */
export interface HeadlineRow {
  bench: string;
  metric: string;
  /** Measured value, already formatted. */
  value: string;
  /** The target, as text ("≤ 1.05"). */
  target: string;
  status: 'met' | 'missed' | 'info' | 'error' | 'todo';
}

/** What a benchmark returns: headline rows, its markdown section, raw samples. */
export interface BenchSection {
  id: string;
  title: string;
  headline: HeadlineRow[];
  /** Markdown body (tables, method, profile); no top-level heading. */
  markdown: string;
  /** Raw samples for the appendix (JSON-serialisable). */
  raw: unknown;
}

/** The nearest ancestor of this module whose package.json is named codex-child. */
export function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'codex-child') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('bench: cannot find the codex-child package root');
    dir = parent;
  }
}

/** Throws when the run is past its deadline (a benchmark then reports what it has). */
export function checkDeadline(ctx: BenchContext, what: string): void {
  if (Date.now() > ctx.deadline) throw new DeadlineError(`time budget exhausted before ${what}`);
}

/** Raised by {@link checkDeadline}. */
export class DeadlineError extends Error {}
