// scripts/stream_view.awk run standalone: the four views of codex-wrapper-contract.md §9.5 on
// the real codex 0.169 fixtures, all_compact truncation and folds, keep_lines
// (agent-dock-head-contract.md §7), the final-message repeat that ends all/all_compact as V661's
// merged stream ended (issue 10), JSON string decoding, the stream log, the user section and the
// executor's chunk/tagged framing; and the awk against the reference model (stream_view_model.ts)
// on random streams.  The system awk (mawk here) runs everything; gawk, BSD awk and busybox awk,
// when installed, must produce the same bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { modelLog, modelTag, modelView, type StreamItem } from './stream_view_model.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SV = join(ROOT, 'scripts/stream_view.awk');
const FIXTURES = FIXTURES_DIR;
const EVENTS = readFileSync(join(FIXTURES, 'events.jsonl'));
const EXTENDED = readFileSync(join(FIXTURES, 'events-extended.jsonl'));
const ERRORS = readFileSync(join(FIXTURES, 'events-errors.txt'), 'utf8');
const VIEWS = ['all', 'all_compact', 'assistant', 'thinking'] as const;

const scratch = mkdtempSync(join(tmpdir(), 'stream-view-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function have(cmd: string[]): boolean {
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), 'BEGIN { exit 0 }'], { stdio: 'ignore' });
  return r.status === 0;
}
const OTHER_AWKS = [['gawk'], ['original-awk'], ['busybox', 'awk']].filter(have);

/** Runs the renderer on `input` and returns its stdout (throws on a non-zero exit). */
function render(input: string | Buffer, vars: Record<string, string> = {}, awk: string[] = ['awk']): string {
  return renderBuf(input, vars, awk).toString('utf8');
}
function renderBuf(input: string | Buffer, vars: Record<string, string> = {}, awk: string[] = ['awk'],
  env: Record<string, string> = {}): Buffer {
  const args = [...awk.slice(1), '-f', SV];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  const r = spawnSync(awk[0]!, args, {
    input: Buffer.from(input), // (an empty string would not be written at all)
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`awk exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}
const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
const ev = (o: unknown) => `${JSON.stringify(o)}\n`;
const agent = (text: string) => ev({ type: 'item.completed', item: { id: 'item_9', type: 'agent_message', text } });

// --- expected views of the fixtures --------------------------------------------------------------
const EV_HEAD = [
  'session id: 01a1fc6d-1f3d-7da2-9983-f4184ab50577',
  'warning: Model metadata for `mock-model` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.',
  'thinking',
  '**Creating a.txt**',
  '',
  'I will create the file with one shell command.',
  'codex',
  'Creating a.txt now.',
];
const EV_EXEC = [
  'exec',
  String.raw`/bin/bash -c "printf 'hello from codex\\n' > a.txt && cat a.txt"`,
  ' succeeded:',
  'hello from codex',
];
const EV_TAIL = [
  'codex',
  'RESULT: completed',
  'SUMMARY: created a.txt with one line of text',
  'CHANGED_FILES: a.txt',
  'CHECKS: npm test',
  'tokens used',
  '2,068',
];
// all and all_compact end with codex's plain stdout: the last message again (issue 10)
const EV_ECHO = ['RESULT: completed', 'SUMMARY: created a.txt with one line of text', 'CHANGED_FILES: a.txt', 'CHECKS: npm test'];
const EV_ALL = lines(...EV_HEAD, ...EV_EXEC, ...EV_TAIL, ...EV_ECHO);
const EV_NO_EXEC = lines(...EV_HEAD, ...EV_TAIL);
const EV_LOG = lines(...EV_HEAD, ...EV_EXEC, ...EV_TAIL);

const EXT = (exec: boolean, cut = (s: string) => s, echo = exec) =>
  lines(
    'session id: 01a1fc64-838d-7990-9b87-83d9e56bd039',
    'thinking',
    '**Planning**',
    '',
    'Create the file, run a failing check, then patch.',
    ...(exec
      ? [
          'exec',
          cut(String.raw`/bin/bash -c "printf 'hello from codex\\n' > a.txt && cat a.txt"`),
          ' succeeded:',
          'hello from codex',
          'exec',
          cut(String.raw`/bin/bash -c "echo 'checking...'; echo 'oops' >&2; exit 3"`),
          ' exited 3:',
          'checking...',
          'oops',
        ]
      : []),
    'file update',
    'M /work/ws/a.txt',
    'A /work/ws/b.txt',
    'codex',
    'RESULT: completed',
    cut('SUMMARY: created and patched a.txt, added b.txt'),
    'CHANGED_FILES: a.txt',
    'CHECKS: npm test',
    'tokens used',
    '4,136',
    ...(echo ? ['RESULT: completed', 'SUMMARY: created and patched a.txt, added b.txt', 'CHANGED_FILES: a.txt', 'CHECKS: npm test'] : []),
  );

/** The 9 failure cases of events-errors.txt: title and JSONL. */
function errorCases(): { title: string; jsonl: string }[] {
  const out: { title: string; jsonl: string }[] = [];
  for (const block of ERRORS.split(/^(?=### )/m)) {
    const [title, ...rest] = block.split('\n');
    if (!title?.startsWith('### ')) continue;
    out.push({ title: title.slice(4), jsonl: rest.filter((l) => l.startsWith('{')).map((l) => `${l}\n`).join('') });
  }
  return out;
}

/** Independent expectation for the error cases (they only hold these event types). */
function expectedErrorView(jsonl: string): string {
  const out: string[] = [];
  for (const line of jsonl.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.type === 'thread.started') out.push(`session id: ${e.thread_id}`);
    else if (e.type === 'error') out.push(`ERROR: ${e.message}`);
    else if (e.type === 'turn.failed') out.push(`ERROR: ${e.error.message}`);
    else if (e.type === 'item.completed' && e.item.type === 'agent_message') out.push('codex', ...e.item.text.split('\n'));
    else if (e.type !== 'turn.started') throw new Error(`unexpected event ${line}`);
  }
  return lines(...out);
}

describe('stream_view.awk: the fixtures in every view', () => {
  it('events.jsonl, exact output per view', () => {
    expect(render(EVENTS, { view: 'all' })).toBe(EV_ALL);
    expect(render(EVENTS, { view: 'all_compact' })).toBe(EV_ALL);
    expect(render(EVENTS, { view: 'assistant' })).toBe(EV_NO_EXEC);
    expect(render(EVENTS, { view: 'thinking' })).toBe(EV_NO_EXEC);
    // any other value means all (exact match, case-sensitive)
    expect(render(EVENTS, { view: 'Assistant' })).toBe(EV_ALL);
    expect(render(EVENTS)).toBe(EV_ALL);
  });

  it('events-extended.jsonl, exact output per view (failed command, file change)', () => {
    expect(render(EXTENDED, { view: 'all' })).toBe(EXT(true));
    expect(render(EXTENDED, { view: 'all_compact' })).toBe(EXT(true));
    expect(render(EXTENDED, { view: 'assistant' })).toBe(EXT(false));
    expect(render(EXTENDED, { view: 'thinking' })).toBe(EXT(false));
  });

  it('all_compact with max=40 cuts exec and codex body lines, never headers or other sections', () => {
    const cut = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);
    expect(render(EXTENDED, { view: 'all_compact', max: '40' })).toBe(EXT(true, cut));
    expect(render(EVENTS, { view: 'all_compact', max: '40' })).toBe(
      lines(...EV_HEAD, 'exec', String.raw`/bin/bash -c "printf 'hello from codex\\...`, ' succeeded:', 'hello from codex',
        'codex', 'RESULT: completed', 'SUMMARY: created a.txt with one line of ...', 'CHANGED_FILES: a.txt',
        'CHECKS: npm test', 'tokens used', '2,068', ...EV_ECHO),
    );
    // the other views ignore max
    expect(render(EVENTS, { view: 'all', max: '40' })).toBe(EV_ALL);
  });

  const cases = errorCases();
  it('events-errors.txt holds the 9 documented failure cases', () => {
    expect(cases).toHaveLength(9);
  });
  for (const { title, jsonl } of cases) {
    it(`failure case "${title}" renders the same in every view`, () => {
      const want = expectedErrorView(jsonl);
      for (const view of VIEWS) expect(render(jsonl, { view })).toBe(want);
      expect(want).toMatch(/ERROR: .*\nERROR: .*\n$/);
    });
  }
  it('the whole events-errors.txt file: "###" titles and blank lines are shown verbatim', () => {
    const out = render(ERRORS, { view: 'all' });
    expect(out).toContain('### HTTP 500  (exit code 1)\nsession id: 01a1fc6b-7cee-7db2-a0a5-1cdc63d2a72e\n');
    expect(out).toContain('ERROR: We’re currently experiencing high demand, which may cause temporary errors.\n');
    expect(out.split('\n').filter((l) => l.startsWith('ERROR: '))).toHaveLength(18);
  });
});

describe('stream_view.awk: all_compact details', () => {
  const exec = (command: string, output = '') => [
    ev({ type: 'item.started', item: { id: 'item_1', type: 'command_execution', command, aggregated_output: '', exit_code: null, status: 'in_progress' } }),
    ev({ type: 'item.completed', item: { id: 'item_1', type: 'command_execution', command, aggregated_output: output, exit_code: 0, status: 'completed' } }),
  ].join('');

  it('truncation counts code points of multibyte text (2-, 3- and 4-byte UTF-8)', () => {
    const e = 'é'.repeat(50);
    const cjk = '漢'.repeat(45);
    const emoji = '😀'.repeat(41);
    const exact = 'ü'.repeat(40);
    const out = render(exec(`echo ${e}`, `${cjk}\n${emoji}\n${exact}\n`), { view: 'all_compact', max: '40' });
    expect(out).toBe(lines('exec', `echo ${'é'.repeat(35)}...`, ' succeeded:', `${'漢'.repeat(40)}...`, `${'😀'.repeat(40)}...`, exact));
  });

  it('headers and default/thinking/file/user lines are never cut; tool summaries are', () => {
    const long = 'x'.repeat(60);
    const input = [
      ev({ type: 'item.completed', item: { id: 'r', type: 'reasoning', text: long } }),
      ev({ type: 'item.completed', item: { id: 'w', type: 'error', message: long } }),
      ev({ type: 'item.completed', item: { id: 'f', type: 'file_change', changes: [{ path: `/${long}`, kind: 'add' }], status: 'completed' } }),
      ev({ type: 'item.completed', item: { id: 't', type: `tool_${long}`, text: long } }),
      ev({ type: 'item.completed', item: { id: 's', type: 'web_search', query: long } }),
      `${long}\n`,
    ].join('');
    const promptFile = join(scratch, 'prompt-long.txt');
    writeFileSync(promptFile, `${long}\n`);
    expect(render(input, { view: 'all_compact', max: '10', prompt_file: promptFile })).toBe(
      lines('user', long, 'thinking', long, `warning: ${long}`, 'file update', `A /${long}`,
        `tool_${long}`, 'xxxxxxxxxx...', 'web_search', 'xxxxxxxxxx...', long),
    );
  });

  it('an open fold is closed by multi-line text of another section, which is never cut', () => {
    const long = 't'.repeat(30);
    const input = agent('diff --git a b\n+x') + ev({ type: 'item.completed', item: { id: 'r', type: 'reasoning', text: `${long}\n${long}` } })
      + ev({ type: 'error', message: `${long}\n${long}` }) + agent(`ok\n${long}`);
    expect(render(input, { view: 'all_compact', max: '10' })).toBe(lines('codex', '[all_compact] codex diff omitted lines=2',
      'thinking', long, long, `ERROR: ${long}`, long, 'codex', 'ok', 'tttttttttt...'));
  });

  it('max: non-integers, 0 and negatives disable truncation; leading zeros are fine', () => {
    const input = agent('y'.repeat(30));
    for (const max of ['abc', '0', '-5', '12abc', '1e1', ' 10', '']) {
      expect(render(input, { view: 'all_compact', max })).toBe(lines('codex', 'y'.repeat(30)));
    }
    expect(render(input, { view: 'all_compact', max: '0010' })).toBe(lines('codex', `${'y'.repeat(10)}...`));
    expect(render(input, { view: 'all_compact', max: '+10' })).toBe(lines('codex', `${'y'.repeat(10)}...`));
  });

  it('a diff in a codex message is folded until a result line', () => {
    const text = ['Here is the change:', 'diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1 +1 @@', '-old', '+new',
      'Result: completed', 'SUMMARY: short'].join('\n');
    expect(render(agent(text), { view: 'all_compact' })).toBe(
      lines('codex', 'Here is the change:', '[all_compact] codex diff omitted lines=6', 'Result: completed', 'SUMMARY: short'),
    );
    // not folded in the other views
    expect(render(agent(text), { view: 'all' })).toBe(lines('codex', ...text.split('\n')));
    expect(render(agent(text), { view: 'assistant' })).toBe(lines('codex', ...text.split('\n')));
  });

  it('a fold is closed by the next header, by a line of another section and by the end', () => {
    const diff = '  File Update: a.txt\n+1\n+2';
    const byHeader = agent(diff) + agent('next message');
    expect(render(byHeader, { view: 'all_compact' })).toBe(
      lines('codex', '[all_compact] codex diff omitted lines=3', 'codex', 'next message'),
    );
    const bySection = agent(diff) + ev({ type: 'turn.completed', usage: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 5 } });
    expect(render(bySection, { view: 'all_compact' })).toBe(
      lines('codex', '[all_compact] codex diff omitted lines=3', 'tokens used', '15', ...diff.split('\n')),
    );
    const byEnd = agent(diff);
    expect(render(byEnd, { view: 'all_compact' })).toBe(lines('codex', '[all_compact] codex diff omitted lines=3'));
    const byStderr = agent(diff) + 'plain stderr line\n';
    expect(render(byStderr, { view: 'all_compact' })).toBe(
      lines('codex', '[all_compact] codex diff omitted lines=3', 'plain stderr line'),
    );
    // "tokens used" inside the message closes it too (§9.4), and is then printed
    expect(render(agent('diff --git a b\n-x\n tokens used \nafter'), { view: 'all_compact' })).toBe(
      lines('codex', '[all_compact] codex diff omitted lines=2', ' tokens used ', 'after'),
    );
  });

  it('the stream log gets every line unfolded and uncut, whatever the view', () => {
    const log = join(scratch, 'fold.log');
    const input = agent('diff --git a b\n-x\nRESULT: ok') + exec('e'.repeat(50));
    const shown = render(input, { view: 'all_compact', max: '10', stream_log: log });
    expect(shown).toBe(lines('codex', '[all_compact] codex diff omitted lines=2', 'RESULT: ok', 'exec', 'eeeeeeeeee...', ' succeeded:'));
    expect(readFileSync(log, 'utf8')).toBe(lines('codex', 'diff --git a b', '-x', 'RESULT: ok', 'exec', 'e'.repeat(50), ' succeeded:'));
  });
});

describe('stream_view.awk: all and all_compact end as V661\'s merged stream ended (issue 10)', () => {
  const PLAIN_STDOUT = readFileSync(join(FIXTURES, 'plain.stdout.txt'), 'utf8');
  const PLAIN_STDERR = readFileSync(join(FIXTURES, 'plain.stderr.txt'), 'utf8');
  const usage = ev({ type: 'turn.completed', usage: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 5 } });

  it('after the token count, the last message again as codex\'s plain stdout printed it (fixtures plain.*)', () => {
    // V661 merged codex's stdout (the final message + "\n") into the stream after stderr's token count
    const v661Tail = (PLAIN_STDERR + PLAIN_STDOUT).split('\n').slice(-7);
    expect(v661Tail[0]).toBe('tokens used');
    for (const view of ['all', 'all_compact']) {
      expect(render(EVENTS, { view }).split('\n').slice(-7)).toEqual(v661Tail);
    }
    expect(render(EVENTS, { view: 'all' }).endsWith(`tokens used\n2,068\n${PLAIN_STDOUT}`)).toBe(true);
  });

  it('only in all and all_compact, never in the stream log; the message is never cut or folded', () => {
    const msg = `RESULT: completed\nSUMMARY: ${'s'.repeat(50)}\ndiff --git a b`;
    const input = agent(msg) + usage;
    const log = join(scratch, 'echo.log');
    expect(render(input, { view: 'all', stream_log: log })).toBe(lines('codex', ...msg.split('\n'), 'tokens used', '15', ...msg.split('\n')));
    expect(readFileSync(log, 'utf8')).toBe(lines('codex', ...msg.split('\n'), 'tokens used', '15'));
    expect(render(input, { view: 'all_compact', max: '10' })).toBe(lines('codex', 'RESULT: co...', 'SUMMARY: s...',
      '[all_compact] codex diff omitted lines=1', 'tokens used', '15', ...msg.split('\n')));
    for (const view of ['assistant', 'thinking']) expect(render(input, { view })).toBe(lines('codex', ...msg.split('\n'), 'tokens used', '15'));
  });

  it('nothing is repeated without a final message or after a failed turn; a trailing newline shows as codex printed it', () => {
    expect(render(usage)).toBe(lines('tokens used', '15'));
    expect(render(agent('') + usage)).toBe(lines('codex', 'tokens used', '15'));
    const failed = agent('partial') + ev({ type: 'turn.failed', error: { message: 'boom' } });
    expect(render(failed)).toBe(lines('codex', 'partial', 'ERROR: boom'));
    // the last message counts, and it is repeated once
    expect(render(agent('first') + agent('last\n') + usage + usage)).toBe(
      lines('codex', 'first', 'codex', 'last', 'tokens used', '15', 'last', '', 'tokens used', '15'));
  });
});

describe('stream_view.awk: keep_lines in all_compact (agent-dock-head-contract.md §7)', () => {
  const started = (id: string, command: string) => ev({ type: 'item.started', item: { id, type: 'command_execution', command, aggregated_output: '', exit_code: null, status: 'in_progress' } });
  const done = (id: string, command: string, output: string, code = 0) => ev({ type: 'item.completed', item: { id, type: 'command_execution', command, aggregated_output: output, exit_code: code, status: code ? 'failed' : 'completed' } });
  const lsA = started('item_1', 'ls -a') + done('item_1', 'ls -a', '.\n..\na.txt\nb.txt\n');
  const LS_BODY = ['ls -a', ' succeeded:', '.', '..', 'a.txt', 'b.txt'];

  it('the observed HEAD examples: N=1 shows the header and the command, then the count; N=50 folds nothing', () => {
    expect(render(lsA, { view: 'all_compact', keep_lines: '1', max: '0' })).toBe(lines('exec', 'ls -a', '[all_compact] exec output omitted lines=5'));
    expect(render(lsA, { view: 'all_compact', keep_lines: '50', max: '0' })).toBe(lines('exec', ...LS_BODY));
  });

  it('N <= 0 hides every body line; empty, "none" and other values fold nothing; other views ignore it', () => {
    for (const keep of ['0', '-2']) expect(render(lsA, { view: 'all_compact', keep_lines: keep })).toBe(lines('exec', '[all_compact] exec output omitted lines=6'));
    for (const keep of ['', 'none', '2x']) expect(render(lsA, { view: 'all_compact', keep_lines: keep })).toBe(lines('exec', ...LS_BODY));
    expect(render(lsA, { view: 'all', keep_lines: '1' })).toBe(lines('exec', ...LS_BODY));
    expect(render(lsA, { view: 'assistant', keep_lines: '1' })).toBe('');
  });

  it('a section ends at the next section of any kind, at the next exec header and at the end of the stream', () => {
    const two = started('a', 'one') + done('a', 'one', 'x\ny\n') + started('b', 'two') + done('b', 'two', 'z\n', 2);
    expect(render(two + agent('after') + 'stderr line\n', { view: 'all_compact', keep_lines: '2' })).toBe(lines(
      'exec', 'one', ' succeeded:', '[all_compact] exec output omitted lines=2',
      'exec', 'two', ' exited 2:', '[all_compact] exec output omitted lines=1', 'codex', 'after', 'stderr line'));
    // interleaved: the completion repeats the header, so it is a section of its own
    const apart = started('a', 'make') + agent('meanwhile') + done('a', 'make', 'ok\n');
    expect(render(apart, { view: 'all_compact', keep_lines: '0' })).toBe(lines(
      'exec', '[all_compact] exec output omitted lines=1', 'codex', 'meanwhile', 'exec', '[all_compact] exec output omitted lines=3'));
  });

  it('tool sections fold the same way; shown lines are still cut by max; the stream log keeps everything', () => {
    const tool = ev({ type: 'item.completed', item: { id: 'w', type: 'web_search', query: 'q'.repeat(30) } });
    expect(render(tool, { view: 'all_compact', keep_lines: '0' })).toBe(lines('web_search', '[all_compact] exec output omitted lines=1'));
    expect(render(tool, { view: 'all_compact', keep_lines: '1', max: '10' })).toBe(lines('web_search', `${'q'.repeat(10)}...`));
    const log = join(scratch, 'keep.log');
    expect(render(lsA + tool, { view: 'all_compact', keep_lines: '1', max: '3', stream_log: log })).toBe(lines(
      'exec', 'ls ...', '[all_compact] exec output omitted lines=5', 'web_search', 'qqq...'));
    expect(readFileSync(log, 'utf8')).toBe(lines('exec', ...LS_BODY, 'web_search', 'q'.repeat(30)));
  });
});

describe('stream_view.awk: JSON decoding and odd input', () => {
  it('decodes every escape, \\u escapes to UTF-8 and surrogate pairs; lone surrogates become U+FFFD', () => {
    const raw = String.raw`{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"q\"uote back\\slash \\\\two \/slash tab\tx bs\bx ff\fx \u00e9\u4e2d\ud83d\ude00 \uD83D\uDE00 lone\ud800x \udc00y amp\u0026 bs\u005c nul[\u0000] ctl\u001b[0m \\u0041 \\\"lit\r\nsecond\r"}}`;
    const out = renderBuf(`${raw}\n`);
    const want = Buffer.from(
      'codex\nq"uote back\\slash \\\\two /slash tab\tx bs\bx ff\fx é中😀 😀 lone\uFFFDx \uFFFDy amp& bs\\ nul[] ctl\x1b[0m \\u0041 \\"lit\nsecond\n',
      'utf8',
    );
    expect(out.toString('hex')).toBe(want.toString('hex'));
  });

  it('non-JSON lines, non-object JSON and objects without a string type are verbatim; unknown events are silent', () => {
    const input = [
      'Reading additional input from stdin...',
      '',
      '[1,2,3]',
      '"just a string"',
      '{"no":"type"}',
      '{"type":7}',
      '{broken',
      '{"type":"item.completed"} trailing',
      '  \t{"type":"thread.started","thread_id":"t1"}',
      '{"type":"turn.started"}',
      '{"type":"item.updated","item":{"id":"a","type":"todo_list","items":[]}}',
      '{"type":"some.future.event","x":1}',
      '{"type":"item.started","item":{"id":"f","type":"file_change","changes":[],"status":"in_progress"}}',
      'ümlaut \x1b[31mred\x1b[0m',
    ].map((l) => `${l}\n`).join('');
    expect(render(input)).toBe(lines(
      'Reading additional input from stdin...', '', '[1,2,3]', '"just a string"', '{"no":"type"}', '{"type":7}',
      '{broken', '{"type":"item.completed"} trailing', 'session id: t1', 'ümlaut \x1b[31mred\x1b[0m'));
  });

  it('renders tool items, todo lists, unknown item types and odd exec statuses', () => {
    const input = [
      ev({ type: 'item.completed', item: { id: 'm', type: 'mcp_tool_call', server: 'srv', tool: 'do', arguments: { a: [1, { b: 'c' }] }, status: 'failed', error: { message: 'boom' } } }),
      ev({ type: 'item.completed', item: { id: 'w', type: 'web_search', query: 'how to awk\nsecond line' } }),
      ev({ type: 'item.completed', item: { id: 't', type: 'todo_list', items: [{ text: 'one', completed: true }, { text: 'two', completed: false }] } }),
      ev({ type: 'item.completed', item: { id: 'u', type: 'future_thing', status: 'ok' } }),
      ev({ type: 'item.completed', item: { id: 'c', type: 'command_execution', command: 'rm -rf /', aggregated_output: '', exit_code: null, status: 'declined' } }),
      ev({ type: 'item.completed', item: { id: 'f', type: 'file_change', changes: [{ path: '/a', kind: 'delete' }, { path: '/b', kind: 'move' }], status: 'failed' } }),
      ev({ type: 'turn.failed', error: {} }),
      ev({ type: 'error', message: 'Reconnecting... 1/5\nmore' }),
      ev({ type: 'turn.completed', usage: { input_tokens: 1234567, cached_input_tokens: 1000, output_tokens: 433 } }),
    ].join('');
    expect(render(input)).toBe(lines(
      'mcp_tool_call', 'srv/do (failed): boom', 'web_search', 'how to awk', 'todo_list', '1/2 done; next: two',
      'future_thing', 'ok', 'exec', 'rm -rf /', ' declined:', 'file update', 'D /a', '? /b', 'patch: failed',
      'ERROR: turn failed', 'ERROR: Reconnecting... 1/5', 'more', 'tokens used', '1,234,000'));
    expect(render(input, { view: 'assistant' })).toBe(lines(
      'file update', 'D /a', '? /b', 'patch: failed', 'ERROR: turn failed', 'ERROR: Reconnecting... 1/5', 'more',
      'tokens used', '1,234,000'));
  });

  it('repeats the exec header when other lines came between start and completion', () => {
    const cmd = (t: string, code: number) => ev({ type: t, item: { id: 'item_5', type: 'command_execution', command: 'make', aggregated_output: t === 'item.started' ? '' : 'done\n', exit_code: t === 'item.started' ? null : code, status: 'x' } });
    expect(render(cmd('item.started', 0) + agent('meanwhile') + cmd('item.completed', 2))).toBe(
      lines('exec', 'make', 'codex', 'meanwhile', 'exec', 'make', ' exited 2:', 'done'));
    expect(render(cmd('item.completed', 0))).toBe(lines('exec', 'make', ' succeeded:', 'done'));
  });

  it('a 1 MB aggregated_output is rendered completely', () => {
    const outLines = Array.from({ length: 21000 }, (_, i) => `line ${i} "quoted" \\ back ü ${'z'.repeat(20)}`);
    const output = `${outLines.join('\n')}\n`;
    expect(output.length).toBeGreaterThan(1_000_000);
    const input = ev({ type: 'item.completed', item: { id: 'c', type: 'command_execution', command: 'cat big', aggregated_output: output, exit_code: 0, status: 'completed' } });
    const out = render(input);
    expect(out).toBe(lines('exec', 'cat big', ' succeeded:', ...outLines));
    // one single line of 1 MB, cut in all_compact
    const one = ev({ type: 'item.completed', item: { id: 'c', type: 'command_execution', command: 'x', aggregated_output: 'ä'.repeat(600_000), exit_code: 0, status: 'completed' } });
    expect(render(one, { view: 'all_compact' })).toBe(lines('exec', 'x', ' succeeded:', `${'ä'.repeat(180)}...`));
    expect(render(one, { view: 'all' }).length).toBe('exec\nx\n succeeded:\n'.length + 600_001);
  });

  it('valid JSON in other shapes: key order, spaces, non-string fields, nested keys of the same names', () => {
    const input = [
      ev({ type: 'item.completed', item: { id: 'a', type: 'agent_message', message: 'not the text' } }),
      ev({ type: 'item.completed', item: { id: 'a', type: 'agent_message', text: { nested: 'object' } } }),
      ev({ type: 'item.completed', item: { id: 'a', type: 'agent_message', text: 'a"b', extra: 1 } }),
      '{ "type" : "item.completed" , "item" : { "id" : "w", "type" : "agent_message", "text" : "spaced" } }\n',
      ev({ type: 'item.completed', item: { id: 'f', type: 'file_change', changes: [{ path: '/q"x', kind: 'add' }, { path: '/b', kind: 'delete' }], status: 'completed' } }),
      ev({ type: 'item.completed', item: { id: 'f', type: 'file_change', changes: [{ kind: 'update', path: '/swapped' }], status: 'completed' } }),
      ev({ type: 'item.completed', item: { id: 'c', type: 'command_execution', command: 'ls', aggregated_output: 'x', exit_code: '7', status: 'weird' } }),
      ev({ type: 'item.completed', item: { id: 'c', type: 'command_execution', command: 'ls', aggregated_output: 'x', exit_code: -1, status: 'failed' } }),
      ev({ type: 'item.completed', item: { id: 'm', type: 'mcp_tool_call', server: 's', tool: 't', arguments: { type: 'x', text: 'inner', items: [1, { message: 'm' }] }, status: 'completed' } }),
      ev({ usage: { output_tokens: 2, cached_input_tokens: 1, input_tokens: 5 }, type: 'turn.completed' }),
      ev({ type: 'turn.completed', usage: { input_tokens: 5, output_tokens: 2, cached_input_tokens: 1 } }),
    ].join('');
    expect(render(input)).toBe(lines('codex', 'codex', 'codex', 'a"b', 'codex', 'spaced', 'file update', 'A /q"x', 'D /b',
      'file update', 'M /swapped', 'exec', 'ls', ' weird:', 'x', 'exec', 'ls', ' exited -1:', 'x', 'mcp_tool_call', 's/t (completed)',
      'tokens used', '6', 'spaced', 'tokens used', '6'));
  });
});

describe('stream_view.awk: user section, stream log, display', () => {
  const prompt = 'Do the task.\r\nExecute the task below.\nÉtape 2';
  const promptFile = join(scratch, 'prompt.txt');
  writeFileSync(promptFile, prompt);

  it('renders the prompt first as the user section, except in the thinking view', () => {
    const user = lines('user', 'Do the task.', 'Execute the task below.', 'Étape 2');
    expect(render(EVENTS, { view: 'all', prompt_file: promptFile })).toBe(user + EV_ALL);
    expect(render(EVENTS, { view: 'all_compact', prompt_file: promptFile, max: '5' }).startsWith(user)).toBe(true);
    expect(render(EVENTS, { view: 'assistant', prompt_file: promptFile })).toBe(user + EV_NO_EXEC);
    expect(render(EVENTS, { view: 'thinking', prompt_file: promptFile })).toBe(EV_NO_EXEC);
    // the path can also come from the environment (exact bytes, no -v escape processing)
    expect(renderBuf(EVENTS, { view: 'all' }, ['awk'], { SV_PROMPT_FILE: promptFile }).toString()).toBe(user + EV_ALL);
  });

  it('the stream log has every line from codex (no user section) in every view, display=0 prints nothing', () => {
    for (const view of VIEWS) {
      const log = join(scratch, `log-${view}.txt`);
      const shown = render(EXTENDED, { view, prompt_file: promptFile, stream_log: log, display: '0' });
      expect(shown).toBe('');
      expect(readFileSync(log, 'utf8')).toBe(EXT(true, undefined, false)); // no final-message repeat
    }
  });
});

describe('stream_view.awk: chunk and tagged modes (the executor framing)', () => {
  it('chunk records are at most 4001 bytes + newline and tagged mode rebuilds interleaved lines', () => {
    const big = ev({ type: 'item.completed', item: { id: 'c', type: 'agent_message', text: `${'a'.repeat(9000)}\n${'b'.repeat(5000)}` } });
    const errLine = `stderr ${'e'.repeat(8500)}`;
    const o = render(`${EVENTS.toString()}${big}`, { mode: 'chunk', tag: 'O' }).split('\n').filter(Boolean);
    const e = render(`hello\n${errLine}\n`, { mode: 'chunk', tag: 'E' }).split('\n').filter(Boolean);
    for (const r of [...o, ...e]) expect(Buffer.byteLength(r)).toBeLessThanOrEqual(4001);
    expect(o.filter((r) => r.startsWith('o')).length).toBe(3);
    expect(e.filter((r) => r.startsWith('e')).length).toBe(2);
    // interleave the two record streams record by record, as two writers on one pipe would
    const merged: string[] = [];
    for (let i = 0; i < Math.max(o.length, e.length); i++) {
      if (e[i]) merged.push(e[i]!);
      if (o[i]) merged.push(o[i]!);
    }
    const log = join(scratch, 'tagged.log');
    const out = render(`${merged.join('\n')}\n`, { mode: 'tagged', stream_log: log });
    const shown = out.split('\n');
    expect(shown).toContain('hello');
    expect(shown).toContain(errLine);
    expect(shown).toContain('a'.repeat(9000));
    expect(shown).toContain('b'.repeat(5000));
    const withoutStderr = out.split('\n').filter((l) => l !== 'hello' && l !== errLine).join('\n');
    expect(withoutStderr).toBe(`${EV_ALL}codex\n${'a'.repeat(9000)}\n${'b'.repeat(5000)}\n`);
    expect(readFileSync(log, 'utf8')).toBe(out.replace(lines('2,068', ...EV_ECHO), lines('2,068')));
  });

  it('a stdout event line of up to 4000 bytes passes the encoder as it is; longer ones, other lines and stderr are tagged', () => {
    const short = agent('hi');
    const exact = agent('y'.repeat(4001 - agent('').length)); // 4000 bytes + "\n"
    const over = agent('z'.repeat(4002 - agent('').length));
    expect(Buffer.byteLength(exact)).toBe(4001);
    const o = render(`${short}plain\n${exact}${over}`, { mode: 'chunk', tag: 'O' });
    expect(o.split('\n')).toEqual([short.trimEnd(), 'Oplain', exact.trimEnd(), `o${over.slice(0, 4000)}`, `O${over.slice(4000).trimEnd()}`, '']);
    expect(render(short, { mode: 'chunk', tag: 'E' })).toBe(`E${short}`);
    // the view takes an untagged "{" record as a whole stdout line, in any mix with tagged ones
    expect(render(o, { mode: 'tagged' })).toBe(render(`${short}plain\n${exact}${over}`));
  });

  it('a partial line left by a dead writer is still shown at the end', () => {
    expect(render('oabc\nEerr\n', { mode: 'tagged' })).toBe(lines('err', 'abc'));
  });

  it('the stream log is created at the start, also when no line reaches it', () => {
    const log = join(scratch, 'empty-stream.log');
    rmSync(log, { force: true });
    expect(render('{"type":"turn.started"}\n', { mode: 'tagged', stream_log: log })).toBe('');
    expect(readFileSync(log, 'utf8')).toBe('');
  });

  it('text mode shows every line verbatim', () => {
    expect(render('{"type":"turn.started"}\nplain\n', { mode: 'text' })).toBe(lines('{"type":"turn.started"}', 'plain'));
  });
});

describe.skipIf(OTHER_AWKS.length === 0)('stream_view.awk: other awks give the same bytes', () => {
  const extra = [
    String.raw`{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"\u00e9\ud83d\ude00 \ud800 q\"\\ \/ x\ty"}}`,
    agent('diff --git a b\n-x\nRESULT: ok'),
    agent('é'.repeat(300)),
    'not json',
  ].join('\n');
  const inputs = [EVENTS.toString(), EXTENDED.toString(), ERRORS, `${extra}\n`];
  for (const awk of OTHER_AWKS) {
    it(awk.join(' '), () => {
      for (const input of inputs) {
        for (const view of VIEWS) {
          for (const keep of ['', '1']) {
            expect(renderBuf(input + input, { view, max: '40', keep_lines: keep }, awk).toString('hex'))
              .toBe(renderBuf(input + input, { view, max: '40', keep_lines: keep }).toString('hex'));
          }
        }
      }
      const chunks = renderBuf(`${'x'.repeat(9000)}\nshort\n`, { mode: 'chunk', tag: 'E' }, awk);
      expect(chunks.toString()).toBe(renderBuf(`${'x'.repeat(9000)}\nshort\n`, { mode: 'chunk', tag: 'E' }).toString());
    });
  }
});

it('the fixture directory is where the tests expect it', () => {
  expect(existsSync(join(FIXTURES, 'events.jsonl'))).toBe(true);
});

// --- the awk against the reference model (stream_view_model.ts) on random streams -------------
const FRAGMENTS = ['diff --git a/x b/x', 'file update: y', '  File Update: z', '\x1b[1mdiff --git q\x1b[0m', '+added', '-removed',
  'RESULT: done', ' summary: s', 'Tokens Used', 'tokens used', 'plain text', 'é'.repeat(12), 'x'.repeat(25), '', '漢字😀 mix',
  'cr line\r', 'quote " back \\ tab \t end', 'Execute the task below.', 'exec ls'];
const textArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 5 }).map((a) => a.join('\n'));
const idArb = fc.constantFrom<string | number>('item_1', 'item_2', '1', 1, ''); // "1" and 1 are different ids
const eventArb = fc.oneof(
  textArb.map((text) => ({ type: 'item.completed', item: { id: 'item_0', type: 'agent_message', text } })),
  textArb.map((text) => ({ type: 'item.completed', item: { id: 'item_0', type: 'reasoning', text } })),
  textArb.map((message) => ({ type: 'item.completed', item: { id: 'item_0', type: 'error', message } })),
  fc.tuple(idArb, textArb).map(([id, command]) => ({ type: 'item.started', item: { id, type: 'command_execution', command, aggregated_output: '', exit_code: null, status: 'in_progress' } })),
  fc.tuple(idArb, textArb, textArb, fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 3 }))).map(([id, command, out, code]) => (
    { type: 'item.completed', item: { id, type: 'command_execution', command, aggregated_output: out, exit_code: code, status: code === null ? 'declined' : 'completed' } })),
  fc.array(fc.tuple(fc.constantFrom('add', 'delete', 'update', 'move'), fc.constantFrom('/a', '/b c', '/é"q')), { maxLength: 3 }).map((ch) => (
    { type: 'item.completed', item: { id: 'f', type: 'file_change', changes: ch.map(([kind, path]) => ({ path, kind })), status: ch.length % 2 ? 'completed' : 'failed' } })),
  fc.tuple(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 99_999 })).map(([i, c, o]) => (
    { type: 'turn.completed', usage: { input_tokens: i, cached_input_tokens: c, cache_write_input_tokens: 0, output_tokens: o, reasoning_output_tokens: 0 } })),
  textArb.map((message) => ({ type: 'error', message })),
  textArb.map((message) => ({ type: 'turn.failed', error: { message } })),
  fc.constant({ type: 'turn.started' }),
  fc.constant({ type: 'thread.started', thread_id: '01a1fc6d-1f3d-7da2-9983-f4184ab50577' }),
  fc.constantFrom('plain stderr line', 'not json { at all', '[1,2]'),
  fc.tuple(fc.constantFrom('mcp_tool_call', 'web_search', 'future_tool'), textArb, fc.constantFrom('completed', 'failed')).map(([type, text, status]) => (
    { type: 'item.completed', item: { id: 't', type, server: 'srv', tool: 'do', arguments: { text: 'inner', type: 'x' }, query: text, text, status } })),
  fc.array(fc.tuple(textArb, fc.boolean()), { maxLength: 3 }).map((items) => (
    { type: 'item.completed', item: { id: 'td', type: 'todo_list', items: items.map(([text, completed]) => ({ text, completed: completed || 'true' })) } })),
);
/** JSON lines; some strings written with \u escapes (surrogate pairs for astral chars). */
function toJsonl(events: StreamItem[], uEscape: boolean): string {
  return events.map((e) => {
    if (typeof e === 'string') return `${e}\n`;
    let j = JSON.stringify(e);
    if (uEscape) {
      j = j.replace(/[^\x00-\x7f]/gu, (c) => {
        const cp = c.codePointAt(0)!;
        if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
        const v = cp - 0x10000;
        return `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16).toUpperCase()}`;
      });
    }
    return `${j}\n`;
  }).join('');
}

describe('stream_view.awk agrees with the reference model on random streams', () => {
  it('every view, several max and keep_lines values, \\u-escaped or raw UTF-8, with prompt and stream log', () => {
    const promptFile = join(scratch, 'model-prompt.txt');
    const prompt = 'Execute the task below.\r\ndiff --git a b\nü';
    writeFileSync(promptFile, prompt);
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 14 }), fc.constantFrom(...VIEWS), fc.constantFrom('0', '5', '20', '180', 'abc', ''),
        fc.constantFrom('', '0', '1', '2', '-3', 'none'), fc.boolean(), (events, view, max, keep, uEscape) => {
          const input = toJsonl(events, uEscape);
          const log = join(scratch, 'model-log.txt');
          writeFileSync(log, ''); // awk only opens the log for a first line (the executor truncates it)
          const tagged = modelTag(events, prompt);
          const vars = { view, max, keep_lines: keep };
          expect(render(input, { ...vars, prompt_file: promptFile, stream_log: log })).toBe(modelView(tagged, view, max, keep));
          expect(readFileSync(log, 'utf8')).toBe(modelLog(tagged));
          // twice the input, no prompt, no log: no state leaks from one stream into the next
          expect(render(input + input, vars)).toBe(modelView(modelTag([...events, ...events]), view, max, keep));
          // through the executor's framing: the stdout encoder, then the view in tagged mode
          expect(render(render(input, { mode: 'chunk', tag: 'O' }), { ...vars, mode: 'tagged' })).toBe(modelView(modelTag(events), view, max, keep));
        }),
      { numRuns: 150 },
    );
  });
});

describe.skipIf(OTHER_AWKS.length === 0)('other awks agree with the model on random streams', () => {
  for (const awk of OTHER_AWKS) {
    it(awk.join(' '), () => {
      fc.assert(
        fc.property(fc.array(eventArb, { maxLength: 14 }), fc.constantFrom(...VIEWS), fc.constantFrom('0', '7', '180'),
          fc.constantFrom('', '1', 'none'), fc.boolean(), (events, view, max, keep, uEscape) => {
            const input = toJsonl(events, uEscape);
            expect(render(input + input, { view, max, keep_lines: keep }, awk))
              .toBe(modelView(modelTag([...events, ...events]), view, max, keep));
          }),
        { numRuns: 40 },
      );
    });
  }
});

it('a long stream (4 MB of replicated fixtures) renders as the same number of copies of one unit, in every view', () => {
  const unit = Buffer.concat([EVENTS, EXTENDED, Buffer.from(errorCases().map((c) => c.jsonl).join(''))]);
  const copies = Math.ceil(4e6 / unit.length);
  const big = Buffer.concat(Array.from({ length: copies }, () => unit));
  for (const view of VIEWS) {
    const one = renderBuf(unit, { view });
    expect(one.length).toBeGreaterThan(unit.length / 4);
    expect(renderBuf(big, { view }).equals(Buffer.concat(Array.from({ length: copies }, () => one)))).toBe(true);
  }
});
