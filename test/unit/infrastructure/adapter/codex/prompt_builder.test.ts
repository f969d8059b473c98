import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { valueOf } from '../../../../support/result.js';
import { checkMode, type TeammatePayload, validatePayload } from '../../../../../src/infrastructure/adapter/codex/payload_validator.js';
import {
  buildPrompt,
  formatStamp,
  readRecentLimits,
  renderPathList,
  renderRecentProgress,
  sanitizeProgressText,
} from '../../../../../src/infrastructure/adapter/codex/prompt_builder.js';
import type { EnvRecord } from '../../../../../src/infrastructure/env.js';
import { hasPython, py } from '../../../../support/python.js';
import { cpLength } from '../../../../../src/compat/python/py_text.js';


/** A validated payload from JSON text. */
function payload(json: string): TeammatePayload {
  return valueOf(validatePayload(Buffer.from(json, 'utf8')));
}

/** The prompt for a JSON payload whose mode is valid. */
function prompt(json: string, env: EnvRecord = {}): string {
  const p = payload(json);
  return buildPrompt(p, valueOf(checkMode(p)), env);
}

/** SHA-256 hex and byte length of the UTF-8 prompt. */
function digest(text: string): { bytes: number; sha256: string } {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const BIG_EXECUTE = JSON.stringify({
  mode: 'execute',
  teammate_id: 'tm-2',
  task: {
    id: 7,
    title: 'Fix parser',
    description: 'line one\nline two',
    target_paths: ['src/a.ts', null, true, 'FLOAT_ONE', 2],
    depends_on: 'T-1',
    requires_plan: 'false',
    progress_log: [
      { timestamp: 1739170000.12345, source: 'system', text: 'claimed\r\nby tm-2' },
      { timestamp: 'x', source: '', text: '  started   \u0001 work  ' },
      { timestamp: true, source: ' stdout ', text: 'ok' },
      { timestamp: 5, source: 'stderr', text: null },
      'junk',
      { timestamp: 1739170001, source: 'stderr', text: '0123456789'.repeat(10) },
    ],
  },
}).replace('"FLOAT_ONE"', '1.0');

const BIG_EXECUTE_PROMPT = [
  'You are implementation teammate tm-2.',
  'Execute the task below.',
  '',
  'task_id: 7',
  'title: Fix parser',
  'description: line one',
  'line two',
  'target_paths: src/a.ts, None, True, 1.0, 2',
  'depends_on: T-1',
  'requires_plan: True',
  'existing_progress_log_count: 6',
  'existing_progress_log_recent:',
  '- [1739170000.123] system: claimed by tm-2',
  '- [-] unknown: started work',
  '- [1.000] stdout: ok',
  '- [1739170001.000] stderr: 01234567890123456789012345678901234567890123456789012345678901234567890123456...',
  '',
  'Constraints:',
  '- Do not edit outside target_paths',
  '- Do not read/reference/edit .env or .env.*',
  '- Run required local checks',
  '- If failed, provide a short root cause',
  '',
  'Final output must be exactly these 4 lines:',
  'RESULT: completed|blocked',
  'SUMMARY: <=100 chars',
  'CHANGED_FILES: comma-separated',
  'CHECKS: executed check commands',
].join('\n');

describe('golden prompts (§6.5)', () => {
  it('plan example: 538 bytes, sha256 0ad5cb3e…53c8', () => {
    const text = prompt(
      '{"mode":"plan","teammate_id":"tm-1","task":{"id":"T-7","title":"Add greeting","description":"Print hello","target_paths":["src/app.ts","test/app.test.ts"],"depends_on":[],"requires_plan":true}}',
    );
    expect(digest(text)).toEqual({ bytes: 538, sha256: '0ad5cb3e3ce7840f5bb4e55b380acd9863b114bc6dab025fc272cb0f9e3153c8' });
    expect(text.split('\n').slice(3, 9)).toEqual([
      'task_id: T-7',
      'title: Add greeting',
      'description: Print hello',
      'target_paths: src/app.ts, test/app.test.ts',
      'depends_on: (none)',
      'requires_plan: True',
    ]);
    expect(text.endsWith('Keep total output within 12 lines.')).toBe(true);
  });

  it('{"mode":"execute"}: sha256 add500e3…5c9c', () => {
    const text = prompt('{"mode":"execute"}');
    expect(digest(text).sha256).toBe('add500e30d0ea861f1e2da80f111cfc241aae5e88f96132a80fa2ad6358a5c9c');
    expect(
      text.startsWith(
        [
          'You are implementation teammate teammate.',
          'Execute the task below.',
          '',
          'task_id: ',
          'title: ',
          'description: ',
          'target_paths: (none)',
          'depends_on: (none)',
          'requires_plan: False',
          'existing_progress_log_count: 0',
          'existing_progress_log_recent:',
          '(none)',
          '',
        ].join('\n'),
      ),
    ).toBe(true);
  });

  it('big execute example with CODEX_PROGRESS_RECENT_TEXT_CHARS=10: 778 bytes, sha256 a5227a6c…22d8', () => {
    const text = prompt(BIG_EXECUTE, { CODEX_PROGRESS_RECENT_TEXT_CHARS: '10' });
    expect(text).toBe(BIG_EXECUTE_PROMPT);
    expect(digest(text)).toEqual({ bytes: 778, sha256: 'a5227a6c45e87d195a2058fdd1e6714a05ecc9eefb9c68cc3f8f4314729822d8' });
  });
});

describe('field rendering (§4, §6.0)', () => {
  it('renders falsy values with their fallbacks and truthy ones with str()', () => {
    const text = prompt(
      '{"mode":"plan","teammate_id":[],"task":{"id":0,"title":null,"description":"a\\tb\\u0001","target_paths":{"k":[1.5]},"depends_on":"","requires_plan":"false"}}',
    );
    expect(text.split('\n').slice(0, 9)).toEqual([
      'You are implementation teammate teammate.',
      'Create only the execution plan for this task.',
      '',
      'task_id: ',
      'title: ',
      'description: a\tb\u0001',
      "target_paths: {'k': [1.5]}",
      'depends_on: (none)',
      'requires_plan: True',
    ]);
  });

  it('renders lists item by item with str(), nested values with repr()', () => {
    expect(renderPathList(py('["a", ["b", "it\'s"], {"k": null}, 1e16, -0, 12345678901234567890]'))).toBe(
      `a, ['b', "it's"], {'k': None}, 1e+16, 0, 12345678901234567890`,
    );
    expect(renderPathList(undefined)).toBe('(none)');
    expect(renderPathList(py('0'))).toBe('(none)');
    expect(renderPathList(py('5'))).toBe('5');
  });

  it('does not crash on lone surrogates; UTF-8 output carries U+FFFD', () => {
    const text = prompt('{"mode":"execute","teammate_id":"\\ud800","task":{"title":"a\\udc00b","progress_log":[{"text":"\\ud800"}]}}');
    expect(text).toContain('title: a\udc00b');
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.includes(Buffer.from('a\ufffdb', 'utf8'))).toBe(true);
    expect(bytes.toString('utf8')).toContain('- [-] unknown: \ufffd');
  });

  it('plan mode has no progress log and no cap', () => {
    const text = prompt(JSON.stringify({ mode: 'plan', task: { description: 'x'.repeat(200_000), progress_log: [{ text: 'hi' }] } }), {
      CODEX_PROMPT_MAX_CHARS: '2000',
    });
    expect(text).not.toContain('progress');
    expect(text.length).toBeGreaterThan(200_000);
  });
});

describe('recent progress block (§6.3)', () => {
  const limits = { lines: 8, textChars: 220, totalChars: 2000 };

  it('sanitizes texts', () => {
    expect(sanitizeProgressText('A\tB\nC\r\u0001D')).toBe('A B C D');
    expect(sanitizeProgressText('  started   \u0001 work  ')).toBe('started work');
    expect(sanitizeProgressText('\u0085x\u00a0\u00a0y\ufeff')).toBe('x y\ufeff');
    expect(sanitizeProgressText('\u001c\u001d')).toBe('');
  });

  it.each<[string, string]>([
    ['0.0625', '0.062'],
    ['true', '1.000'],
    ['false', '0.000'],
    ['-0.0', '-0.000'],
    ['NaN', 'nan'],
    ['Infinity', 'inf'],
    ['-Infinity', '-inf'],
    ['1000000000000000000000000000000', '1000000000000000019884624838656.000'],
    ['1' + '0'.repeat(400), '-'],
    ['5', '5.000'],
    ['"1.0"', '-'],
    ['null', '-'],
    ['[1]', '-'],
  ])('stamp of %s is %s', (json, expected) => {
    expect(formatStamp(py(json))).toBe(expected);
  });

  it('takes the last LINES raw entries before filtering', () => {
    const log = py('[{"text":"a"},{"text":"b"},"junk",{"text":""},{"text":"c"}]');
    if (log.kind !== 'list') throw new Error('list expected');
    expect(renderRecentProgress(log.items, { ...limits, lines: 3 })).toBe('- [-] unknown: c');
    expect(renderRecentProgress(log.items, { ...limits, lines: 2 })).toBe('- [-] unknown: c');
    expect(renderRecentProgress(log.items, { ...limits, lines: 1 })).toBe('- [-] unknown: c');
    expect(renderRecentProgress(log.items.slice(2, 4), limits)).toBe('(none)');
  });

  it('cuts texts and the block in code points, the block possibly mid-line', () => {
    const log = py(JSON.stringify(Array.from({ length: 20 }, () => ({ source: ' s ', text: '😀'.repeat(100) }))));
    if (log.kind !== 'list') throw new Error('list expected');
    const block = renderRecentProgress(log.items, { lines: 20, textChars: 80, totalChars: 400 });
    expect(cpLength(block)).toBe(400);
    expect(block.endsWith('😀...')).toBe(true);
    expect(block.split('\n')[0]).toBe(`- [-] s: ${'😀'.repeat(77)}...`);
  });

  it('reads the limits with Python int() and clamps', () => {
    expect(readRecentLimits({})).toEqual({ lines: 8, textChars: 220, totalChars: 2000 });
    expect(
      readRecentLimits({
        CODEX_PROGRESS_RECENT_LINES: '1e3',
        CODEX_PROGRESS_RECENT_TEXT_CHARS: ' 5000 ',
        CODEX_PROGRESS_RECENT_TOTAL_CHARS: '-5',
      }),
    ).toEqual({ lines: 8, textChars: 1200, totalChars: 400 });
  });

  it('counts every entry but shows (none) for a non-list progress_log', () => {
    expect(prompt('{"mode":"execute","task":{"progress_log":{"text":"x"}}}')).toContain(
      'existing_progress_log_count: 0\nexisting_progress_log_recent:\n(none)\n',
    );
    expect(prompt('{"mode":"execute","task":{"progress_log":[1,2,null]}}')).toContain(
      'existing_progress_log_count: 3\nexisting_progress_log_recent:\n(none)\n',
    );
  });
});

describe('whole-prompt cap (§6.4)', () => {
  it('reproduces the observed truncation (MAX=1 clamped to 2000, 3000-char description)', () => {
    const text = prompt(JSON.stringify({ mode: 'execute', task: { description: 'x'.repeat(3000) } }), { CODEX_PROMPT_MAX_CHARS: '1' });
    expect(cpLength(text)).toBe(1970);
    expect(text.endsWith('xxxxxxxxxx\n\n[truncated by codex_wrapper]')).toBe(true);
  });

  it('counts code points and never splits a surrogate pair', () => {
    const text = prompt(JSON.stringify({ mode: 'execute', task: { description: '😀'.repeat(3000) } }), { CODEX_PROMPT_MAX_CHARS: '2000' });
    expect(cpLength(text)).toBe(1970);
    expect(text.endsWith('😀\n\n[truncated by codex_wrapper]')).toBe(true);
  });

  it('leaves a prompt of exactly MAX code points alone', () => {
    const base = prompt('{"mode":"execute","task":{"description":""}}');
    const text = prompt(JSON.stringify({ mode: 'execute', task: { description: 'é'.repeat(2000 - cpLength(base)) } }), {
      CODEX_PROMPT_MAX_CHARS: '2000',
    });
    expect(cpLength(text)).toBe(2000);
    expect(text.endsWith('CHECKS: executed check commands')).toBe(true);
  });

  it('uses the default on a non-integer value', () => {
    const text = prompt(JSON.stringify({ mode: 'execute', task: { description: 'x'.repeat(15_000) } }), { CODEX_PROMPT_MAX_CHARS: '1e3' });
    expect(text.endsWith('CHECKS: executed check commands')).toBe(true);
  });
});

/** A JSON value with an explicit int/float distinction, for the python3 comparison. */
type Gen =
  | { t: 's'; v: string }
  | { t: 'i'; v: bigint }
  | { t: 'f'; v: number }
  | { t: 'b'; v: boolean }
  | { t: 'n' }
  | { t: 'l'; v: Gen[] }
  | { t: 'd'; v: [string, Gen][] };

/** Serializes a {@link Gen}; floats always carry an exponent so both sides read a float. */
function toJson(g: Gen): string {
  switch (g.t) {
    case 's':
      return JSON.stringify(g.v);
    case 'i':
      return g.v.toString();
    case 'f':
      return Number.isNaN(g.v) ? 'NaN' : g.v === Infinity ? 'Infinity' : g.v === -Infinity ? '-Infinity' : Object.is(g.v, -0) ? '-0.0' : g.v.toExponential();
    case 'b':
      return String(g.v);
    case 'n':
      return 'null';
    case 'l':
      return `[${g.v.map(toJson).join(',')}]`;
    case 'd':
      return `{${g.v.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
}

describe('agreement with Python semantics (python3, one run)', () => {
  const unit = fc.oneof(
    fc.constantFrom(' ', '  ', '\t', '\n', '\r', '\u0001', '\u001c', '\u001f', '\u0085', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u007f', '\ud800', '"', "'", '\\', 'x', 'é', '😀', '.env'),
    // Code points whose Unicode category is the same in every Unicode version since 6.0, so the
    // repr() escaping rules cannot differ between python3's tables and Node's.
    fc
      .oneof(
        fc.integer({ min: 0x20, max: 0x24f }),
        fc.integer({ min: 0x370, max: 0x3ff }),
        fc.integer({ min: 0x400, max: 0x4ff }),
        fc.integer({ min: 0x2000, max: 0x206f }),
        fc.integer({ min: 0x4e00, max: 0x9fa5 }),
        fc.integer({ min: 0xe000, max: 0xe0ff }),
        fc.integer({ min: 0xfff0, max: 0xffff }),
        fc.integer({ min: 0x10000, max: 0x1005d }),
        fc.integer({ min: 0x1f600, max: 0x1f64f }),
      )
      .map((code) => String.fromCodePoint(code)),
  );
  const text = fc.array(unit, { maxLength: 12 }).map((parts) => parts.join(''));
  const longText = fc.tuple(text, fc.integer({ min: 1, max: 40 })).map(([s, n]) => s.repeat(n));
  const str: fc.Arbitrary<Gen> = fc.oneof(text, longText).map((v) => ({ t: 's', v }));
  const scalar: fc.Arbitrary<Gen> = fc.oneof(
    str,
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((v): Gen => ({ t: 'i', v })),
    fc.integer({ min: -1_000_000, max: 2_000_000_000 }).map((v): Gen => ({ t: 'i', v: BigInt(v) })),
    fc.double().map((v): Gen => ({ t: 'f', v })),
    fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((n): Gen => ({ t: 'f', v: n / 16 })),
    fc.boolean().map((v): Gen => ({ t: 'b', v })),
    fc.constant<Gen>({ t: 'n' }),
  );
  const value: fc.Arbitrary<Gen> = fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }).map((v): Gen => ({ t: 'l', v })) },
    { weight: 1, arbitrary: fc.array(fc.tuple(text, scalar), { maxLength: 3 }).map((v): Gen => ({ t: 'd', v })) },
  );
  const optional = (key: string, arb: fc.Arbitrary<Gen>): fc.Arbitrary<[string, Gen][]> =>
    fc.option(arb, { nil: undefined }).map((v) => (v === undefined ? [] : [[key, v]]));
  const entry: fc.Arbitrary<Gen> = fc
    .tuple(optional('timestamp', scalar), optional('source', value), optional('text', fc.oneof(str, str, value)))
    .map(([a, b, c]): Gen => ({ t: 'd', v: [...a, ...b, ...c] }));
  const task: fc.Arbitrary<Gen> = fc
    .tuple(
      ...(['id', 'title', 'description', 'target_paths', 'depends_on', 'requires_plan'] as const).map((key) => optional(key, value)),
      optional('progress_log', fc.oneof(fc.array(fc.oneof({ weight: 5, arbitrary: entry }, { weight: 1, arbitrary: value }), { maxLength: 25 }).map((v): Gen => ({ t: 'l', v })), value)),
    )
    .map((parts): Gen => ({ t: 'd', v: parts.flat() }));
  const envValue = fc.constantFrom(undefined, '', '0', '1', '3', '10', '100', '450', '1_000', '2500', '1e3', ' 5000 ', '-5', '٣٠٠', 'abc', '999999');
  const caseArb = fc.record({
    mode: fc.constantFrom('plan', 'execute', 'execute'),
    teammate: fc.option(value, { nil: undefined }),
    task: fc.option(task, { nil: undefined }),
    env: fc.record({
      CODEX_PROGRESS_RECENT_LINES: envValue,
      CODEX_PROGRESS_RECENT_TEXT_CHARS: envValue,
      CODEX_PROGRESS_RECENT_TOTAL_CHARS: envValue,
      CODEX_PROMPT_MAX_CHARS: envValue,
    }),
  });

  // An independent Python rendering of §4–§6, run with the real json.loads, str(), format()
  // and str.strip() of the machine's python3.
  const ORACLE = String.raw`
import json, re, sys

def limit(env, name, default, low, high):
    raw = (env.get(name) or '').strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return max(low, min(high, value))

def paths(value):
    value = value or []
    if not isinstance(value, list):
        return str(value)
    return ', '.join(str(item) for item in value) if value else '(none)'

def clean(text):
    text = text.replace('\r', ' ').replace('\n', ' ').strip()
    text = ''.join(ch for ch in text if ch == '\t' or ord(ch) >= 32)
    return re.sub(r'\s+', ' ', text).strip()

def stamp(ts):
    if not isinstance(ts, (int, float)):
        return '-'
    try:
        return format(ts, '.3f')
    except OverflowError:
        return '-'

def recent(log, env):
    lines_max = limit(env, 'CODEX_PROGRESS_RECENT_LINES', 8, 1, 20)
    text_max = limit(env, 'CODEX_PROGRESS_RECENT_TEXT_CHARS', 220, 80, 1200)
    total_max = limit(env, 'CODEX_PROGRESS_RECENT_TOTAL_CHARS', 2000, 400, 12000)
    lines = []
    for entry in log[-lines_max:]:
        if not isinstance(entry, dict):
            continue
        text = clean(str(entry.get('text') or ''))
        if not text:
            continue
        if len(text) > text_max:
            text = text[:text_max - 3] + '...'
        source = str(entry.get('source') or 'unknown').strip() or 'unknown'
        lines.append('- [%s] %s: %s' % (stamp(entry.get('timestamp')), source, text))
    block = '\n'.join(lines)
    if len(block) > total_max:
        block = block[:total_max - 3] + '...'
    return block or '(none)'

def build(payload, env):
    task = payload.get('task') or {}
    execute = payload.get('mode') == 'execute'
    lines = ['You are implementation teammate %s.' % str(payload.get('teammate_id') or 'teammate'),
             'Execute the task below.' if execute else 'Create only the execution plan for this task.', '',
             'task_id: ' + str(task.get('id') or ''), 'title: ' + str(task.get('title') or ''),
             'description: ' + str(task.get('description') or ''),
             'target_paths: ' + paths(task.get('target_paths')), 'depends_on: ' + paths(task.get('depends_on')),
             'requires_plan: %s' % bool(task.get('requires_plan'))]
    if not execute:
        lines += ['', 'Constraints:', '- Do not propose edits outside target_paths',
                  '- Do not read/reference/edit .env or .env.*', '- Keep steps short and concrete',
                  '- Include local verification commands at the end', '', 'Output format:',
                  '1) Acceptance criteria', '2) Implementation steps', '3) Files to edit', '4) Local checks',
                  'Keep total output within 12 lines.']
        return '\n'.join(lines)
    log = task.get('progress_log') or []
    is_list = isinstance(log, list)
    lines += ['existing_progress_log_count: %d' % (len(log) if is_list else 0), 'existing_progress_log_recent:',
              recent(log, env) if is_list else '(none)', '', 'Constraints:', '- Do not edit outside target_paths',
              '- Do not read/reference/edit .env or .env.*', '- Run required local checks',
              '- If failed, provide a short root cause', '', 'Final output must be exactly these 4 lines:',
              'RESULT: completed|blocked', 'SUMMARY: <=100 chars', 'CHANGED_FILES: comma-separated',
              'CHECKS: executed check commands']
    prompt = '\n'.join(lines)
    cap = limit(env, 'CODEX_PROMPT_MAX_CHARS', 16000, 2000, 120000)
    if len(prompt) > cap:
        prompt = prompt[:cap - 60] + '\n\n[truncated by codex_wrapper]'
    return prompt

cases = json.load(sys.stdin)
sys.stdout.write(json.dumps([build(json.loads(c['payload']), c['env']) for c in cases], ensure_ascii=True))
`;

  it.skipIf(!hasPython)('builds the same prompts as Python for 400 fast-check payloads', () => {
    const cases = fc.sample(caseArb, { numRuns: 400, seed: 661 }).map((c) => {
      const root: [string, Gen][] = [['mode', { t: 's', v: c.mode }]];
      if (c.teammate !== undefined) root.push(['teammate_id', c.teammate]);
      if (c.task !== undefined) root.push(['task', c.task]);
      const env = Object.fromEntries(Object.entries(c.env).filter(([, v]) => v !== undefined)) as Record<string, string>;
      return { payload: toJson({ t: 'd', v: root }), env };
    });
    const expected = JSON.parse(
      execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(cases), maxBuffer: 1 << 28 }).toString(),
    ) as string[];
    const actual = cases.map((c) => prompt(c.payload, c.env));
    for (let i = 0; i < cases.length; i += 1) {
      expect(actual[i], cases[i]?.payload).toBe(expected[i]);
    }
  });
});

describe('NUL bytes (bash $(…) parity)', () => {
  it('drops U+0000 from the prompt, as V661 did when it captured the prompt with $(…)', async () => {
    const { validatePayload } = await import('../../../../../src/infrastructure/adapter/codex/payload_validator.js');
    const { buildPrompt } = await import('../../../../../src/infrastructure/adapter/codex/prompt_builder.js');
    const payload = valueOf(validatePayload(Buffer.from('{"mode":"plan","task":{"title":"a\\u0000b"}}')));
    const prompt = buildPrompt(payload, 'plan', {});
    expect(prompt).toContain('title: ab\n');
    expect(prompt).not.toContain('\0');
  });
});
