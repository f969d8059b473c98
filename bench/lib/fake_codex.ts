/**
 * Stand-ins for the codex binary, written as small POSIX sh scripts at run time:
 *  - instant: reads the prompt to EOF (as codex does), prints the demo turn's JSONL events and
 *    writes the `-o/--output-last-message` file. The pure cost of whatever runs around codex.
 *  - cat: reads the prompt, then `exec cat` of a prepared JSONL file (stream-view throughput).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/infrastructure/package_paths.js';

/** The 4-line answer of the demo turn. */
export const INSTANT_RESULT = 'RESULT: completed\nSUMMARY: created a.txt with one line of text\nCHANGED_FILES: a.txt\nCHECKS: npm test';

/** Single-quotes a string for sh. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const ARGS_LOOP = [
  "out=''; prev=''",
  'for a in "$@"; do',
  '    case $prev in --output-last-message|-o) out=$a ;; esac',
  '    prev=$a',
  'done',
];

/** Writes the instant fake into `dir`; returns its path. `events` are the JSONL lines it prints. */
export function writeInstantCodex(dir: string, events: readonly string[]): string {
  const file = path.join(dir, 'instant_codex.sh');
  const script = [
    '#!/bin/sh',
    '# Instant fake codex (bench): prompt read to EOF, the demo turn\'s events, the -o file.',
    ...ARGS_LOOP,
    'cat >/dev/null',
    `printf '%s\\n' ${events.map(shQuote).join(' ')}`,
    `[ -n "$out" ] && printf '%s' ${shQuote(INSTANT_RESULT)} >"$out"`,
    'exit 0',
    '',
  ].join('\n');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

/** Writes the cat fake into `dir`: it streams $BENCH_EVENTS_FILE on stdout. */
export function writeCatCodex(dir: string): string {
  const file = path.join(dir, 'cat_codex.sh');
  writeFileSync(
    file,
    ['#!/bin/sh', '# Fake codex (bench): prompt read to EOF, then a prepared JSONL file on stdout.', ...ARGS_LOOP, 'cat >/dev/null', `[ -n "$out" ] && printf '%s' ${shQuote(INSTANT_RESULT)} >"$out"`, 'exec cat -- "$BENCH_EVENTS_FILE"', ''].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

/** Directory of the recorded codex 0.169 fixtures, inside the repository (override with BENCH_FIXTURES). */
export function fixturesDir(): string {
  return process.env.BENCH_FIXTURES ?? path.join(packageRoot(), 'test', 'fixtures', 'codex-0.169');
}

/** The JSON lines of the recorded fixtures: events.jsonl (`demo`) and with it events-extended.jsonl and events-errors.txt (`all`). */
export function fixtureEventLines(): { demo: string[]; all: string[]; source: string } {
  const dir = fixturesDir();
  const jsonLines = (name: string) =>
    readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'));
  const demo = jsonLines('events.jsonl');
  return { demo, all: [...demo, ...jsonLines('events-extended.jsonl'), ...jsonLines('events-errors.txt')], source: path.relative(packageRoot(), dir) || dir };
}
