// scripts/codex_executor.sh with a fake codex (test/support/fake_codex.sh): argv (§8.2), the
// prompt on stdin, codex's environment, stdout = the last message only, exit statuses, the
// live views and logs (§9.5), and teardown (§11.2): temp files, signals, process groups, the
// drain grace and the watchdog.  Every run gets its own TMPDIR, which must be empty afterwards,
// and a unique environment tag, so that any process it leaves behind can be found in /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync,
  symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const EXECUTOR = join(ROOT, 'scripts/codex_executor.sh');
const FAKE = join(ROOT, 'test/support/fake_codex.sh');
const FIXTURES = FIXTURES_DIR;
const EVENTS_FILE = join(FIXTURES, 'events.jsonl');
const EXTENDED_FILE = join(FIXTURES, 'events-extended.jsonl');
const LAST_MESSAGE = readFileSync(join(FIXTURES, 'last-message.txt'), 'utf8');
const STDIN_NOTE = 'Reading additional input from stdin...';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

let box: { base: string; tmp: string; files: string; tag: string };
let extraPids: number[] = [];
let children: ChildProcess[] = [];

beforeEach(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'executor-test-')));
  box = { base, tmp: join(base, 'tmp'), files: join(base, 'files'), tag: randomUUID() };
  mkdirSync(box.tmp);
  mkdirSync(box.files);
  extraPids = [];
  children = [];
});

afterEach(async () => {
  // a failed test may leave its executor running: stop it (its watchdog then cleans up)
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  for (const pid of extraPids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  // nothing of the run may be left: no process, no temp file
  try {
    await until(() => tagged(box.tag).length === 0, 30_000);
    expect(tagged(box.tag)).toEqual([]);
    await until(() => readdirSync(box.tmp).length === 0, 30_000);
    expect(readdirSync(box.tmp)).toEqual([]);
  } finally {
    rmSync(box.base, { recursive: true, force: true });
  }
});

const f = (name: string) => join(box.files, name);

function baseEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    EXECUTOR_TEST_TAG: box.tag,
    TMPDIR: box.tmp,
    CODEX_BIN: FAKE,
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function start(opts: { env?: Record<string, string | undefined>; args?: string[]; input?: string | Buffer; cwd?: string;
  keepStdinOpen?: boolean; executor?: string } = {}) {
  const t0 = Date.now();
  const child = spawn(opts.executor ?? EXECUTOR, opts.args ?? [], {
    cwd: opts.cwd ?? box.files,
    env: baseEnv(opts.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  child.stdin!.on('error', () => { /* the executor may be gone already */ });
  if (opts.keepStdinOpen) child.stdin!.write(opts.input ?? 'partial prompt');
  else child.stdin!.end(opts.input ?? 'Do the task.\n');
  const done = new Promise<Run>((res) => {
    child.on('close', (code, signal) => res({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: Date.now() - t0 }));
  });
  return { child, done, stderrSoFar: () => Buffer.concat(err).toString() };
}
const run = (opts: Parameters<typeof start>[0] = {}) => start(opts).done;

function sleep(ms: number) { return new Promise((r) => setTimeout(r, ms)); }
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(25);
  }
  return cond();
}

function procState(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2);
  } catch { return undefined; }
}
/** Live (non-zombie) processes that carry this run's environment tag. */
function tagged(tag: string): number[] {
  const needle = Buffer.from(`EXECUTOR_TEST_TAG=${tag}\0`);
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || extraPids.includes(Number(d))) continue;
    try {
      if (!readFileSync(`/proc/${d}/environ`).includes(needle)) continue;
    } catch { continue; }
    const st = procState(d);
    if (st && st[0] !== 'Z') pids.push(Number(d));
  }
  return pids;
}
/** Live (non-zombie) members of a process group. */
function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procState(d)?.split(' ');
    if (st && st[0] !== 'Z' && Number(st[2]) === pgid) pids.push(Number(d));
  }
  return pids;
}
async function codexPid(file: string): Promise<{ pid: number; pgid: number }> {
  expect(await until(() => existsSync(file), 30_000)).toBe(true);
  const [pid, pgid] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
  return { pid: pid!, pgid: pgid! };
}
const argvOf = (file: string) => readFileSync(file, 'utf8').split('\0').slice(0, -1);
const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The extended fixture as each view shows it (same wording as stream_view.test.ts).
const EXT_HEAD = ['session id: 01a1fc64-838d-7990-9b87-83d9e56bd039', 'thinking', '**Planning**', '',
  'Create the file, run a failing check, then patch.'];
const EXT_EXEC = ['exec', String.raw`/bin/bash -c "printf 'hello from codex\\n' > a.txt && cat a.txt"`, ' succeeded:',
  'hello from codex', 'exec', String.raw`/bin/bash -c "echo 'checking...'; echo 'oops' >&2; exit 3"`, ' exited 3:',
  'checking...', 'oops'];
const EXT_TAIL = ['file update', 'M /work/ws/a.txt', 'A /work/ws/b.txt', 'codex', 'RESULT: completed',
  'SUMMARY: created and patched a.txt, added b.txt', 'CHANGED_FILES: a.txt', 'CHECKS: npm test', 'tokens used', '4,136'];
// all and all_compact end with the last message again, as V661's merged stream did (issue 10)
const EXT_ECHO = ['RESULT: completed', 'SUMMARY: created and patched a.txt, added b.txt', 'CHANGED_FILES: a.txt', 'CHECKS: npm test'];
const EV_END = 'tokens used\n2,068\nRESULT: completed\nSUMMARY: created a.txt with one line of text\nCHANGED_FILES: a.txt\nCHECKS: npm test\n';

describe('argv (§8.2)', () => {
  it('defaults: exec --json -C <cwd> --output-last-message <private file> --skip-git-repo-check -s workspace-write -', async () => {
    const r = await run({ env: { FAKE_CODEX_ARGV_FILE: f('argv') } });
    expect(r.code).toBe(0);
    const argv = argvOf(f('argv'));
    expect(argv).toEqual(['exec', '--json', '-C', box.files, '--output-last-message', argv[5], '--skip-git-repo-check',
      '-s', 'workspace-write', '-']);
    expect(argv[5]).toMatch(new RegExp(`^${escapeRe(box.tmp)}/codex-executor\\.[^/]+/last_message$`));
  });

  it('everything set, CODEX_FULL_AUTO=1 overriding CODEX_SANDBOX, no git check, extra args before "-"', async () => {
    const r = await run({
      env: {
        FAKE_CODEX_ARGV_FILE: f('argv'), TARGET_PROJECT_DIR: '/path/to/proj', CODEX_MODEL: 'gpt-5-codex',
        CODEX_REASONING_EFFORT: 'high', CODEX_PROFILE: 'prof', CODEX_FULL_AUTO: '1', CODEX_SANDBOX: 'read-only',
        CODEX_SKIP_GIT_REPO_CHECK: '0', CODEX_EXECUTOR_LAST_MESSAGE: f('last.txt'),
      },
      args: ['-c', 'model_providers.mock.base_url=http://127.0.0.1:1/v1', '-c', 'a b="c d"'],
    });
    expect(r.code).toBe(0);
    expect(argvOf(f('argv'))).toEqual(['exec', '--json', '-C', '/path/to/proj', '--output-last-message', f('last.txt'),
      '-m', 'gpt-5-codex', '-c', 'model_reasoning_effort="high"', '-p', 'prof', '-s', 'workspace-write',
      '-c', 'model_providers.mock.base_url=http://127.0.0.1:1/v1', '-c', 'a b="c d"', '-']);
  });

  it('flags compare the exact string; empty values count as unset', async () => {
    const r = await run({
      env: {
        FAKE_CODEX_ARGV_FILE: f('argv'), CODEX_FULL_AUTO: 'true', CODEX_SANDBOX: 'danger-full-access',
        CODEX_SKIP_GIT_REPO_CHECK: ' 1', CODEX_MODEL: '', CODEX_PROFILE: '', CODEX_REASONING_EFFORT: '',
        TARGET_PROJECT_DIR: '',
      },
    });
    expect(r.code).toBe(0);
    expect(argvOf(f('argv'))).toEqual(['exec', '--json', '-C', box.files, '--output-last-message',
      argvOf(f('argv'))[5], '-s', 'danger-full-access', '-']);
    await run({ env: { FAKE_CODEX_ARGV_FILE: f('argv2'), CODEX_SKIP_GIT_REPO_CHECK: '', CODEX_SANDBOX: '' } });
    expect(argvOf(f('argv2')).slice(6)).toEqual(['--skip-git-repo-check', '-s', 'workspace-write', '-']);
  });
});

describe('prompt and environment', () => {
  it('codex receives the prompt bytes exactly on stdin, then EOF', async () => {
    const prompt = Buffer.concat([Buffer.from('Ünïcödé ✓ 漢字 😀\r\nline\twith tab\n'), Buffer.from([0, 1, 255, 10]), Buffer.from('no newline at end')]);
    const r = await run({ input: prompt, env: { FAKE_CODEX_STDIN_FILE: f('stdin'), CODEX_STREAM_LOGS: '0' } });
    expect(r.code).toBe(0);
    expect(readFileSync(f('stdin')).equals(prompt)).toBe(true);
  });

  it('an 8 MiB prompt arrives intact and is shown as the user section', async () => {
    const line = 'Ärger über 8 MiB: the quick brown fox jumps over the lazy dog 0123456789\n';
    const prompt = Buffer.from(line.repeat(Math.ceil((8 * 1024 * 1024) / Buffer.byteLength(line))));
    expect(prompt.length).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    const r = await run({ input: prompt, env: { FAKE_CODEX_STDIN_FILE: f('stdin'), FAKE_CODEX_JSONL: EVENTS_FILE } });
    expect(r.code).toBe(0);
    expect(readFileSync(f('stdin')).equals(prompt)).toBe(true);
    const err = r.stderr.toString();
    expect(err.startsWith(`user\n${line}${line}`)).toBe(true);
    expect(err.length).toBeGreaterThan(prompt.toString().length);
    expect(err.endsWith(EV_END)).toBe(true);
  });

  it('LANG, LC_ALL and RUST_BACKTRACE are set for codex; the rest of the environment passes through', async () => {
    await run({ env: { FAKE_CODEX_ENV_FILE: f('env1'), FAKE_CODEX_ENV_NAMES: 'MY_VAR', MY_VAR: 'kept', LANG: 'C', LC_ALL: 'C' } });
    expect(readFileSync(f('env1'), 'utf8')).toBe(lines('LANG=en_US.UTF-8', 'LC_ALL=en_US.UTF-8', 'RUST_BACKTRACE=0', 'MY_VAR=kept'));
    const r = await run({ env: { FAKE_CODEX_ENV_FILE: f('env2'), CODEX_WRAPPER_LANG: 'C.UTF-8', CODEX_RUST_BACKTRACE: 'full' } });
    expect(readFileSync(f('env2'), 'utf8')).toBe(lines('LANG=C.UTF-8', 'LC_ALL=C.UTF-8', 'RUST_BACKTRACE=full'));
    // a missing locale makes bash warn; that must not reach the view (it would look like codex's stderr)
    expect(r.stderr.toString()).not.toContain('setlocale');
  });
});

describe('stdout and exit status', () => {
  it('stdout is the last-message file verbatim, nothing else', async () => {
    const r = await run({ env: { FAKE_CODEX_JSONL: EVENTS_FILE, FAKE_CODEX_LAST_MESSAGE: LAST_MESSAGE, FAKE_CODEX_STDERR: `${STDIN_NOTE}\\n` } });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(LAST_MESSAGE);
    expect(LAST_MESSAGE.endsWith('\n')).toBe(false);
    expect(r.stderr.toString()).toContain('tokens used\n2,068\n');
    const nl = await run({ env: { FAKE_CODEX_LAST_MESSAGE: '\n' } });
    expect(nl.stdout.toString()).toBe('\n');
    const odd = await run({ env: { FAKE_CODEX_LAST_MESSAGE: 'ünï\r\n  spaced  \t' } });
    expect(odd.stdout.toString()).toBe('ünï\r\n  spaced  \t');
  });

  it('the last-message file is created fresh and empty: a stale one is not a result', async () => {
    writeFileSync(f('last.txt'), 'RESULT: completed\nstale');
    const r = await run({ env: { CODEX_EXECUTOR_LAST_MESSAGE: f('last.txt'), FAKE_CODEX_EXIT: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBe(0);
    expect(readFileSync(f('last.txt')).length).toBe(0);
    const w = await run({ env: { CODEX_EXECUTOR_LAST_MESSAGE: f('last.txt'), FAKE_CODEX_LAST_MESSAGE: 'partial', FAKE_CODEX_EXIT: '1' } });
    expect(w.code).toBe(1);
    expect(w.stdout.toString()).toBe('partial');
    expect(readFileSync(f('last.txt'), 'utf8')).toBe('partial');
  });

  it('passes codex exit statuses through: 0, 1, 7, 128+N for a signal', async () => {
    for (const code of [0, 1, 7]) expect((await run({ env: { FAKE_CODEX_EXIT: String(code) } })).code).toBe(code);
    expect((await run({ env: { FAKE_CODEX_KILL_SELF: 'USR1' } })).code).toBe(128 + 10);
  });

  it('127 when CODEX_BIN does not exist, 126 when it is not executable', async () => {
    const missing = await run({ env: { CODEX_BIN: f('no-such-codex') } });
    expect(missing.code).toBe(127);
    expect(missing.stdout.length).toBe(0);
    expect(missing.stderr.toString()).toContain('no-such-codex');
    expect((await run({ env: { CODEX_BIN: 'no-such-codex-on-path' } })).code).toBe(127);
    copyFileSync(FAKE, f('not-exec'));
    chmodSync(f('not-exec'), 0o644);
    const noexec = await run({ env: { CODEX_BIN: f('not-exec') } });
    expect(noexec.code).toBe(126);
  });

  it('its own setup failures exit 125 and leave nothing behind', async () => {
    const r = await run({ env: { CODEX_EXECUTOR_STDOUT_LOG: f('no/such/dir/out.jsonl') } });
    expect(r.code).toBe(125);
    expect(r.stderr.toString()).toContain('codex_executor: cannot write');
    const w = await run({ env: { CODEX_EXECUTOR_WORK_DIR: f('missing-dir') } });
    expect(w.code).toBe(125);
  });
});

describe('views and logs (§9.5)', () => {
  const prompt = 'Execute the task below.\nSecond line ü';
  const USER = ['user', 'Execute the task below.', 'Second line ü'];
  const env = { FAKE_CODEX_JSONL: EXTENDED_FILE, FAKE_CODEX_STDERR: `${STDIN_NOTE}\\n`, FAKE_CODEX_LAST_MESSAGE: LAST_MESSAGE };
  const want: Record<string, string[]> = {
    all: [...USER, ...EXT_HEAD, ...EXT_EXEC, ...EXT_TAIL, ...EXT_ECHO],
    all_compact: [...USER, ...EXT_HEAD, ...EXT_EXEC, ...EXT_TAIL, ...EXT_ECHO],
    assistant: [...USER, ...EXT_HEAD, ...EXT_TAIL],
    thinking: [...EXT_HEAD, ...EXT_TAIL],
  };
  /** codex's stderr line races its stdout lines: take it out, check it was there once. */
  const withoutNote = (s: string) => {
    const l = s.split('\n');
    expect(l.filter((x) => x === STDIN_NOTE)).toHaveLength(1);
    return l.filter((x) => x !== STDIN_NOTE).join('\n');
  };

  for (const view of ['all', 'all_compact', 'assistant', 'thinking']) {
    it(`CODEX_STREAM_VIEW=${view}: ends, shows the view on stderr, only the result on stdout`, async () => {
      const r = await run({ input: prompt, env: { ...env, CODEX_STREAM_VIEW: view } });
      expect(r.code).toBe(0);
      expect(r.stdout.toString()).toBe(LAST_MESSAGE);
      expect(withoutNote(r.stderr.toString())).toBe(lines(...want[view]!));
    });
  }

  it('all_compact honours CODEX_STREAM_EXEC_MAX_CHARS; the stream log keeps full lines and no user section', async () => {
    const r = await run({ input: prompt, env: { ...env, CODEX_STREAM_VIEW: 'all_compact', CODEX_STREAM_EXEC_MAX_CHARS: '20', CODEX_EXECUTOR_STREAM_LOG: f('stream.log') } });
    expect(withoutNote(r.stderr.toString())).toContain(lines('exec', '/bin/bash -c "printf...', ' succeeded:'));
    expect(withoutNote(readFileSync(f('stream.log'), 'utf8'))).toBe(lines(...EXT_HEAD, ...EXT_EXEC, ...EXT_TAIL));
  });

  it('CODEX_EXECUTOR_KEEP_LINES reaches the view: all_compact folds each exec section after N body lines', async () => {
    const r = await run({ input: prompt, env: { ...env, FAKE_CODEX_STDERR: '', CODEX_STREAM_VIEW: 'all_compact', CODEX_EXECUTOR_KEEP_LINES: '1' } });
    expect(r.stderr.toString()).toBe(lines(...USER, ...EXT_HEAD, EXT_EXEC[0]!, EXT_EXEC[1]!, '[all_compact] exec output omitted lines=2',
      EXT_EXEC[4]!, EXT_EXEC[5]!, '[all_compact] exec output omitted lines=3', ...EXT_TAIL, ...EXT_ECHO));
  });

  it('a non-integer CODEX_STREAM_EXEC_MAX_CHARS means no truncation', async () => {
    const r = await run({ input: prompt, env: { ...env, FAKE_CODEX_STDERR: '', CODEX_STREAM_VIEW: 'all_compact', CODEX_STREAM_EXEC_MAX_CHARS: '1\\0' } });
    expect(r.stderr.toString()).toBe(lines(...want.all_compact!));
  });

  it('paths with backslashes, quotes and spaces reach awk unchanged (temp dir, relative log path)', async () => {
    const odd = join(box.tmp, String.raw`we\ird "dir" \n`);
    mkdirSync(odd);
    mkdirSync(f(String.raw`lo\gs`));
    const r = await run({
      input: prompt,
      env: { ...env, FAKE_CODEX_STDERR: '', TMPDIR: odd, CODEX_EXECUTOR_STREAM_LOG: String.raw`lo\gs/stream \t.log` },
    });
    expect(r.code).toBe(0);
    expect(r.stderr.toString()).toBe(lines(...want.all!));
    expect(readFileSync(f(String.raw`lo\gs/stream \t.log`), 'utf8')).toBe(lines(...EXT_HEAD, ...EXT_EXEC, ...EXT_TAIL));
    expect(readdirSync(odd)).toEqual([]);
    rmSync(odd, { recursive: true });
  });

  it('CODEX_STREAM_LOGS other than 1 shows nothing, but every log is still written', async () => {
    for (const logs of ['0', 'true']) {
      for (const name of ['out', 'err', 'stream']) writeFileSync(f(`${name}.${logs}`), 'old content to be truncated\n');
      const r = await run({
        input: prompt,
        env: { ...env, CODEX_STREAM_LOGS: logs, CODEX_EXECUTOR_STDOUT_LOG: f(`out.${logs}`), CODEX_EXECUTOR_STDERR_LOG: f(`err.${logs}`), CODEX_EXECUTOR_STREAM_LOG: f(`stream.${logs}`) },
      });
      expect(r.code).toBe(0);
      expect(r.stderr.length).toBe(0);
      expect(r.stdout.toString()).toBe(LAST_MESSAGE);
      expect(readFileSync(f(`out.${logs}`)).equals(readFileSync(EXTENDED_FILE))).toBe(true);
      expect(readFileSync(f(`err.${logs}`), 'utf8')).toBe(`${STDIN_NOTE}\n`);
      expect(withoutNote(readFileSync(f(`stream.${logs}`), 'utf8'))).toBe(lines(...EXT_HEAD, ...EXT_EXEC, ...EXT_TAIL));
    }
  });

  it('the raw logs are byte-exact, also without a final newline and with non-UTF-8 bytes', async () => {
    const raw = Buffer.concat([readFileSync(EVENTS_FILE), Buffer.from([0xff, 0xfe, 0x41])]);
    writeFileSync(f('raw.jsonl'), raw);
    const r = await run({ env: { FAKE_CODEX_JSONL: f('raw.jsonl'), FAKE_CODEX_STDERR: 'e1\\ne2 no newline', CODEX_EXECUTOR_STDOUT_LOG: f('o'), CODEX_EXECUTOR_STDERR_LOG: f('e') } });
    expect(r.code).toBe(0);
    expect(readFileSync(f('o')).equals(raw)).toBe(true);
    expect(readFileSync(f('e'), 'utf8')).toBe('e1\ne2 no newline');
    const err = r.stderr.toString('latin1');
    expect(err).toContain('e2 no newline\n');
    expect(err).toContain('\xff\xfeA\n');
  });

  it('lines are shown while codex runs (live), not at the end', async () => {
    const p = start({ env: { FAKE_CODEX_JSONL: EVENTS_FILE, FAKE_CODEX_LINE_DELAY: '0.3' } });
    // Order, not time: when the first line arrives, the turn's last line has not been shown yet.
    let endShownWithFirst: boolean | undefined;
    p.child.stderr!.on('data', () => {
      const soFar = p.stderrSoFar();
      if (endShownWithFirst === undefined && soFar.includes('session id:')) endShownWithFirst = soFar.includes('tokens used');
    });
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(endShownWithFirst).toBe(false);
    expect(r.stderr.toString()).toContain('tokens used');
  });

  it('a caller that stops reading stderr does not break codex or the raw logs', async () => {
    const many = Array.from({ length: 300 }, (_, i) => JSON.stringify({ type: 'item.completed', item: { id: 'a', type: 'agent_message', text: `line ${i}` } })).join('\n');
    writeFileSync(f('many.jsonl'), `${many}\n`);
    const p = start({ env: { FAKE_CODEX_JSONL: f('many.jsonl'), FAKE_CODEX_LINE_DELAY: '0.002', FAKE_CODEX_LAST_MESSAGE: 'fine', CODEX_EXECUTOR_STDOUT_LOG: f('out.jsonl') } });
    p.child.stderr!.once('data', () => p.child.stderr!.destroy());
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('fine');
    expect(readFileSync(f('out.jsonl'), 'utf8')).toBe(`${many}\n`);
  });

  const otherAwks = ['gawk', 'original-awk'].filter((a) => spawnSync(a, ['BEGIN { exit 0 }'], { stdio: 'ignore' }).status === 0);
  it.skipIf(otherAwks.length === 0)('works the same with gawk and BSD awk (CODEX_EXECUTOR_AWK)', async () => {
    const ref = await run({ input: prompt, env: { ...env, FAKE_CODEX_STDERR: '' } });
    for (const awk of otherAwks) {
      const r = await run({ input: prompt, env: { ...env, FAKE_CODEX_STDERR: '', CODEX_EXECUTOR_AWK: awk } });
      expect(r.stderr.toString()).toBe(ref.stderr.toString());
      expect(r.stdout.toString()).toBe(LAST_MESSAGE);
    }
  });
});

describe('teardown (§11.2)', () => {
  for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
    it(`${sig}: codex's whole group is terminated, temp files removed, exit ${code}`, async () => {
      const p = start({ env: { FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_SLEEP: '300', FAKE_CODEX_JSONL: EVENTS_FILE } });
      const { pgid } = await codexPid(f('pid'));
      expect(await until(() => groupMembers(pgid).length >= 2, 30_000)).toBe(true); // codex and its sleep
      p.child.kill(sig);
      const r = await p.done;
      expect(r.code).toBe(code);
      expect(groupMembers(pgid)).toEqual([]);
      expect(readdirSync(box.tmp)).toEqual([]);
      expect(r.stdout.length).toBe(0);
    });
  }

  it('a codex that ignores SIGTERM gets SIGKILL after CODEX_EXECUTOR_KILL_GRACE_S', async () => {
    const p = start({ env: { FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_SLEEP: '300', FAKE_CODEX_IGNORE_TERM: '1', CODEX_EXECUTOR_KILL_GRACE_S: '0.4' } });
    const { pgid } = await codexPid(f('pid'));
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code).toBe(143);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(groupMembers(pgid)).toEqual([]);
    // no job-control noise about the killed job
    expect(r.stderr.toString()).not.toMatch(/Killed|Terminated|Done|\[\d+\]/);
  });

  it('a grandchild holding codex\'s pipes: the view ends after the drain grace, the group is killed', async () => {
    const r = await run({
      env: {
        FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_GRANDCHILD: 'group', FAKE_CODEX_GRANDCHILD_PID_FILE: f('gc'),
        FAKE_CODEX_JSONL: EVENTS_FILE, FAKE_CODEX_LAST_MESSAGE: 'done', CODEX_EXECUTOR_DRAIN_GRACE_S: '0.3',
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('done');
    expect(r.stderr.toString().endsWith(EV_END)).toBe(true);
    expect(r.stderr.toString()).not.toMatch(/Killed|Terminated|Done|\[\d+\]/);
    const { pgid } = await codexPid(f('pid'));
    expect(groupMembers(pgid)).toEqual([]);
  });

  it('a process codex leaves in its group without our pipes is ended with the run', async () => {
    const r = await run({
      env: { FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_GRANDCHILD: 'detached', FAKE_CODEX_GRANDCHILD_PID_FILE: f('gc'), FAKE_CODEX_LAST_MESSAGE: 'done' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('done');
    const { pgid } = await codexPid(f('pid'));
    expect(groupMembers(pgid)).toEqual([]);
  });

  it('a grandchild that left codex\'s group: the readers are stopped, the executor still ends', async () => {
    const r = await run({
      env: {
        FAKE_CODEX_GRANDCHILD: 'setsid', FAKE_CODEX_GRANDCHILD_PID_FILE: f('gc'), FAKE_CODEX_JSONL: EVENTS_FILE,
        FAKE_CODEX_LAST_MESSAGE: 'done', CODEX_EXECUTOR_DRAIN_GRACE_S: '0.3',
      },
    });
    const gc = Number(readFileSync(f('gc'), 'utf8'));
    extraPids.push(gc); // outside codex's group: not ours to kill; the test removes it
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('done');
    expect(r.stderr.toString()).toContain('tokens used\n2,068\n');
  });

  it('SIGKILL of the executor: the watchdog kills codex\'s group and removes the temp files', async () => {
    const p = start({ env: { FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_SLEEP: '300' } });
    const { pgid } = await codexPid(f('pid'));
    p.child.kill('SIGKILL');
    await p.done;
    expect(await until(() => groupMembers(pgid).length === 0, 30_000)).toBe(true);
    expect(await until(() => readdirSync(box.tmp).length === 0, 30_000)).toBe(true);
  });

  it('death of the watched process (CODEX_EXECUTOR_WATCH_PID): codex is killed, the executor ends', async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    const p = start({ env: { FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_SLEEP: '300', CODEX_EXECUTOR_WATCH_PID: String(parent.pid) } });
    const { pgid } = await codexPid(f('pid'));
    parent.kill('SIGKILL');
    const r = await p.done;
    expect(r.code).toBe(143); // codex's status: it died of the watchdog's SIGTERM
    expect(groupMembers(pgid)).toEqual([]);
  });

  it('a signal while the caller still holds stdin open: no hang, nothing left', async () => {
    const p = start({ keepStdinOpen: true, env: { FAKE_CODEX_ARGV_FILE: f('argv') } });
    await until(() => readdirSync(box.tmp).length > 0, 30_000);
    await sleep(100);
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code).toBe(143);
    expect(existsSync(f('argv'))).toBe(false); // codex never started
  });

  it('works when called through a symlink (finds stream_view.awk next to the real script)', async () => {
    symlinkSync(EXECUTOR, f('codex-executor-link'));
    const r = await run({ executor: f('codex-executor-link'), env: { FAKE_CODEX_JSONL: EVENTS_FILE, FAKE_CODEX_LAST_MESSAGE: 'ok' } });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('ok');
    expect(r.stderr.toString()).toContain('tokens used\n2,068\n');
  });

  it('codex runs in its own process group and nothing of the run survives a normal exit', async () => {
    const r = await run({ env: { FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_JSONL: EVENTS_FILE } });
    expect(r.code).toBe(0);
    const { pid, pgid } = await codexPid(f('pid'));
    expect(pgid).toBe(pid);
    // no watchdog, reader, view or sleep may be left: checked right away, not after a delay
    expect(tagged(box.tag)).toEqual([]);
    expect(readdirSync(box.tmp)).toEqual([]);
  });
});

// CODEX_EXECUTOR_CONTAIN: where the kernel allows a PID namespace, nothing codex started can
// outlive it; the tracking fallback finds the run's processes by CODEX_CHILD_RUN_ID. Survivors are
// found by EXECUTOR_TEST_TAG (afterEach), which the fallback never uses.
const canUnshare = (args: string[]) => spawnSync('unshare', [...args, '--pid', '--fork', '--kill-child', '--mount-proc', 'true']).status === 0;
const MODES = [
  ['pidns', canUnshare([])],
  ['userns', canUnshare(['--user', '--map-root-user'])],
  ['tracking', true],
] as const;

describe('containment (CODEX_EXECUTOR_CONTAIN)', () => {
  for (const [mode, available] of MODES) {
    describe.skipIf(!available)(mode, () => {
      it('a grandchild in its own session is gone when codex ends; the debug line names the mode', async () => {
        const r = await run({
          env: {
            CODEX_EXECUTOR_CONTAIN: mode, FAKE_CODEX_GRANDCHILD: 'setsid', FAKE_CODEX_GRANDCHILD_PID_FILE: f('gc'),
            FAKE_CODEX_LAST_MESSAGE: 'done', CODEX_WRAPPER_DEBUG: '1', CODEX_EXECUTOR_RUN_ID: 'run-1',
          },
        });
        expect(r.code).toBe(0);
        expect(r.stdout.toString()).toBe('done');
        expect(existsSync(f('gc'))).toBe(true); // it did start
        expect(r.stderr.toString()).toContain(`[codex_wrapper] containment=${mode} run_id=run-1\n`);
        expect(await until(() => tagged(box.tag).length === 0, 5000)).toBe(true);
      });

      it('SIGTERM: exit 143, codex and the escaped grandchild gone', async () => {
        const p = start({ env: { CODEX_EXECUTOR_CONTAIN: mode, FAKE_CODEX_GRANDCHILD: 'setsid', FAKE_CODEX_GRANDCHILD_PID_FILE: f('gc'), FAKE_CODEX_SLEEP: '30' } });
        expect(await until(() => existsSync(f('gc')), 10_000)).toBe(true);
        p.child.kill('SIGTERM');
        expect((await p.done).code).toBe(143);
        expect(await until(() => tagged(box.tag).length === 0, 5000)).toBe(true);
      });

      it('SIGKILL of the executor: the watchdog (and, in a namespace, the kernel) ends everything', async () => {
        const p = start({ env: { CODEX_EXECUTOR_CONTAIN: mode, FAKE_CODEX_GRANDCHILD: 'setsid', FAKE_CODEX_GRANDCHILD_PID_FILE: f('gc'), FAKE_CODEX_SLEEP: '30', CODEX_EXECUTOR_KILL_GRACE_S: '0.5' } });
        expect(await until(() => existsSync(f('gc')), 10_000)).toBe(true);
        p.child.kill('SIGKILL');
        await p.done;
        expect(await until(() => tagged(box.tag).length === 0, 10_000)).toBe(true);
        expect(await until(() => readdirSync(box.tmp).length === 0, 10_000)).toBe(true);
      });

      it('codex gets LANG and LC_ALL; a missing locale makes no setlocale warning in the view (the init is bash)', async () => {
        const r = await run({ env: { CODEX_EXECUTOR_CONTAIN: mode, FAKE_CODEX_ENV_FILE: f('env'), LANG: 'C', LC_ALL: 'C', CODEX_WRAPPER_LANG: 'yy_YY.UTF-8' } });
        expect(r.code).toBe(0);
        expect(readFileSync(f('env'), 'utf8')).toBe(lines('LANG=yy_YY.UTF-8', 'LC_ALL=yy_YY.UTF-8', 'RUST_BACKTRACE=0'));
        expect(r.stderr.toString()).not.toContain('setlocale');
      });

      it('codex exit statuses and 127 pass through the namespace init unchanged', async () => {
        expect((await run({ env: { CODEX_EXECUTOR_CONTAIN: mode, FAKE_CODEX_EXIT: '7' } })).code).toBe(7);
        expect((await run({ env: { CODEX_EXECUTOR_CONTAIN: mode, FAKE_CODEX_KILL_SELF: 'USR1' } })).code).toBe(128 + 10);
        expect((await run({ env: { CODEX_EXECUTOR_CONTAIN: mode, CODEX_BIN: f('no-such-codex') } })).code).toBe(127);
      });
    });
  }

  it('CODEX_EXECUTOR_ORPHAN_DIR is removed when the watched process dies, kept otherwise', async () => {
    mkdirSync(f('orphan'));
    writeFileSync(f('orphan/log'), 'x');
    const ok = await run({ env: { CODEX_EXECUTOR_ORPHAN_DIR: f('orphan'), FAKE_CODEX_LAST_MESSAGE: 'done' } });
    expect(ok.code).toBe(0);
    expect(existsSync(f('orphan/log'))).toBe(true);
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    const p = start({ env: { CODEX_EXECUTOR_ORPHAN_DIR: f('orphan'), FAKE_CODEX_PID_FILE: f('pid'), FAKE_CODEX_SLEEP: '30', CODEX_EXECUTOR_WATCH_PID: String(parent.pid) } });
    await codexPid(f('pid'));
    parent.kill('SIGKILL');
    await p.done;
    expect(await until(() => !existsSync(f('orphan')), 10_000)).toBe(true);
  });
});
