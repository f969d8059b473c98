/**
 * Stand-ins for the codex binary, written as small POSIX sh scripts at run time:
 *  - instant: reads the prompt to EOF (as codex does), prints the demo turn's JSONL events and
 *    writes the `-o/--output-last-message` file. The pure cost of whatever runs around codex.
 *  - cat: reads the prompt, then `exec cat` of a prepared JSONL file (stream-view throughput).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

/** Copy of the fixtures' events.jsonl + events-extended.jsonl (used when the fixture directory is absent). */
const EMBEDDED_EVENTS: { demo: string[]; extended: string[] } = {
  demo: [
    "{\"type\":\"thread.started\",\"thread_id\":\"01a1fc6d-1f3d-7da2-9983-f4184ab50577\"}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"error\",\"message\":\"Model metadata for `mock-model` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.\"}}",
    "{\"type\":\"turn.started\"}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"reasoning\",\"text\":\"**Creating a.txt**\\n\\nI will create the file with one shell command.\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"agent_message\",\"text\":\"Creating a.txt now.\"}}",
    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\",\"command\":\"/bin/bash -c \\\"printf 'hello from codex\\\\\\\\n' > a.txt && cat a.txt\\\"\",\"aggregated_output\":\"\",\"exit_code\":null,\"status\":\"in_progress\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\",\"command\":\"/bin/bash -c \\\"printf 'hello from codex\\\\\\\\n' > a.txt && cat a.txt\\\"\",\"aggregated_output\":\"hello from codex\\n\",\"exit_code\":0,\"status\":\"completed\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_4\",\"type\":\"agent_message\",\"text\":\"RESULT: completed\\nSUMMARY: created a.txt with one line of text\\nCHANGED_FILES: a.txt\\nCHECKS: npm test\"}}",
    "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":2400,\"cached_input_tokens\":400,\"cache_write_input_tokens\":0,\"output_tokens\":68,\"reasoning_output_tokens\":0}}",
  ],
  extended: [
    "{\"type\":\"thread.started\",\"thread_id\":\"01a1fc64-838d-7990-9b87-83d9e56bd039\"}",
    "{\"type\":\"turn.started\"}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"reasoning\",\"text\":\"**Planning**\\n\\nCreate the file, run a failing check, then patch.\"}}",
    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\",\"command\":\"/bin/bash -c \\\"printf 'hello from codex\\\\\\\\n' > a.txt && cat a.txt\\\"\",\"aggregated_output\":\"\",\"exit_code\":null,\"status\":\"in_progress\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\",\"command\":\"/bin/bash -c \\\"printf 'hello from codex\\\\\\\\n' > a.txt && cat a.txt\\\"\",\"aggregated_output\":\"hello from codex\\n\",\"exit_code\":0,\"status\":\"completed\"}}",
    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_2\",\"type\":\"command_execution\",\"command\":\"/bin/bash -c \\\"echo 'checking...'; echo 'oops' >&2; exit 3\\\"\",\"aggregated_output\":\"\",\"exit_code\":null,\"status\":\"in_progress\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"command_execution\",\"command\":\"/bin/bash -c \\\"echo 'checking...'; echo 'oops' >&2; exit 3\\\"\",\"aggregated_output\":\"checking...\\noops\\n\",\"exit_code\":3,\"status\":\"failed\"}}",
    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_3\",\"type\":\"file_change\",\"changes\":[{\"path\":\"/work/ws/a.txt\",\"kind\":\"update\"},{\"path\":\"/work/ws/b.txt\",\"kind\":\"add\"}],\"status\":\"in_progress\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":\"file_change\",\"changes\":[{\"path\":\"/work/ws/a.txt\",\"kind\":\"update\"},{\"path\":\"/work/ws/b.txt\",\"kind\":\"add\"}],\"status\":\"completed\"}}",
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_4\",\"type\":\"agent_message\",\"text\":\"RESULT: completed\\nSUMMARY: created and patched a.txt, added b.txt\\nCHANGED_FILES: a.txt\\nCHECKS: npm test\"}}",
    "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":4800,\"cached_input_tokens\":800,\"cache_write_input_tokens\":0,\"output_tokens\":136,\"reasoning_output_tokens\":0}}",
  ],
};

/** Directory of the recorded codex 0.169 fixtures (override with BENCH_FIXTURES). */
export function fixturesDir(): string {
  return process.env.BENCH_FIXTURES ?? '/work/shared/fixtures/codex-0.169';
}

/**
 * The JSON lines of the recorded fixtures (events.jsonl, events-extended.jsonl, events-errors.txt);
 * the embedded copy of the first two when the fixture directory is absent.
 */
export function fixtureEventLines(): { demo: string[]; all: string[]; source: string } {
  const dir = fixturesDir();
  const jsonLines = (name: string) =>
    readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'));
  try {
    const demo = jsonLines('events.jsonl');
    const all = [...demo];
    for (const name of ['events-extended.jsonl', 'events-errors.txt']) {
      try {
        all.push(...jsonLines(name));
      } catch {
        // optional fixture
      }
    }
    return { demo, all, source: dir };
  } catch {
    return { demo: EMBEDDED_EVENTS.demo, all: [...EMBEDDED_EVENTS.demo, ...EMBEDDED_EVENTS.extended], source: 'embedded copy in bench/lib/fake_codex.ts' };
  }
}
