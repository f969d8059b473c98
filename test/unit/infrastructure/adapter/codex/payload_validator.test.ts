import { describe, expect, it } from 'vitest';

import { CodexChildError } from '../../../../../src/domain/errors.js';
import type { Result } from '../../../../../src/domain/result.js';
import { errorOf, valueOf } from '../../../../support/result.js';
import {
  checkMode,
  isEmptyStdin,
  MAX_PAYLOAD_BYTES,
  type TeammatePayload,
  v661JsonText,
  validatePayload,
} from '../../../../../src/infrastructure/adapter/codex/payload_validator.js';
import { pyRepr } from '../../../../../src/compat/python/py_render.js';

/** Validates a string or bytes. */
function validate(input: string | Uint8Array): Result<TeammatePayload> {
  return validatePayload(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
}

/** Expects a failure and returns it. */
function failure(input: string | Uint8Array): CodexChildError {
  const result = validate(input);
  if (result.ok) throw new Error('expected a CodexChildError');
  return result.error;
}

/** Expects success and returns the payload. */
function success(input: string | Uint8Array): TeammatePayload {
  return valueOf(validate(input));
}

describe('empty stdin by the V661 rule (§3.2)', () => {
  it.each(['', '   ', '\n\n', ' \n', '\0', '\n\0\n', ' \0 \n\0'])('%j is empty', (input) => {
    const error = failure(input);
    expect(error.message).toBe('empty stdin payload');
    expect(error.reason).toBe('empty_stdin');
    expect(error.exitCode).toBe(2);
  });

  it('"  \\n  " is a JSON error, not empty', () => {
    const error = failure('  \n  ');
    expect(error.message).toBe('invalid input payload: Expecting value: line 2 column 3 (char 5)');
    expect(error.reason).toBe('invalid_json');
    expect(error.exitCode).toBe(2);
  });

  it('"\\t" is a JSON error, not empty', () => {
    expect(failure('\t').message).toBe('invalid input payload: Expecting value: line 1 column 2 (char 1)');
  });

  it('only spaces then newlines count (raw bytes)', () => {
    expect(isEmptyStdin(Buffer.from('\n '))).toBe(false);
    expect(isEmptyStdin(Buffer.from('\r\n'))).toBe(false);
    expect(isEmptyStdin(Buffer.from([0xff]))).toBe(false);
  });
});

describe('size cap (§12.2 row 3)', () => {
  it('is 64 MiB and reports it', () => {
    expect(MAX_PAYLOAD_BYTES).toBe(64 * 1024 * 1024);
    const error = failure(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x78));
    expect(error.message).toBe('invalid input payload: payload larger than 67108864 bytes');
    expect(error.reason).toBe('payload_too_large');
    expect(error.exitCode).toBe(2);
  });

  it('checks emptiness first, then size, then UTF-8', () => {
    expect(failure(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20)).reason).toBe('empty_stdin');
    expect(failure(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0xff)).reason).toBe('payload_too_large');
  });

  it('accepts an 8 MiB payload', () => {
    const description = 'd'.repeat(8 * 1024 * 1024);
    const payload = success(JSON.stringify({ mode: 'execute', task: { description } }) + '\n');
    expect(payload.task.description).toEqual({ kind: 'str', value: description });
  });
});

describe('UTF-8 (§12.2 row 4)', () => {
  it.each([
    ['lone 0xff', [0x7b, 0xff, 0x7d]],
    ['overlong', [0x22, 0xc0, 0xaf, 0x22]],
    ['encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['truncated sequence', [0x22, 0xe2, 0x82]],
  ])('%s is rejected', (_name, bytes) => {
    const error = failure(Uint8Array.from(bytes));
    expect(error.message).toBe('invalid input payload: payload is not valid UTF-8');
    expect(error.reason).toBe('invalid_utf8');
    expect(error.exitCode).toBe(2);
  });

  it('keeps a UTF-8 BOM so that the JSON reader rejects it like Python', () => {
    const error = failure(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]));
    expect(error.message).toBe(
      'invalid input payload: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)',
    );
  });
});

describe('JSON (§3.4, §12.2 row 5)', () => {
  it.each([
    ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['{"mode" "plan"}', "Expecting ':' delimiter: line 1 column 9 (char 8)"],
    ['{"mode":"plan" "x":1}', "Expecting ',' delimiter: line 1 column 16 (char 15)"],
    ['{"mode":"pl', 'Unterminated string starting at: line 1 column 9 (char 8)'],
    ['{"mode":"p\tl"}', 'Invalid control character at: line 1 column 11 (char 10)'],
    ['{"mode":"\\q"}', 'Invalid \\escape: line 1 column 10 (char 9)'],
    ['{} {}', 'Extra data: line 1 column 4 (char 3)'],
    ['{"a": [1,]}', 'Expecting value: line 1 column 10 (char 9)'],
  ])('%j → %s', (input, detail) => {
    const error = failure(input);
    expect(error.message).toBe(`invalid input payload: ${detail}`);
    expect(error.reason).toBe('invalid_json');
    expect(error.exitCode).toBe(2);
  });

  it('parses the text V661 saw: NULs dropped, trailing newlines removed', () => {
    // Python on the raw text would say "line 2 column 1 (char 6)".
    expect(failure('{"a":\n').message).toBe('invalid input payload: Expecting value: line 1 column 6 (char 5)');
    expect(success('{"mode":"pl\0an"}\n\n').mode).toEqual({ kind: 'str', value: 'plan' });
    expect(v661JsonText('a\n\0\n')).toBe('a');
    expect(v661JsonText('\n a \n\r\n')).toBe('\n a \n\r');
  });

  it('fails cleanly on deeply nested input', () => {
    const error = failure('['.repeat(100_000) + ']'.repeat(100_000));
    expect(error.message).toBe(
      'invalid input payload: maximum recursion depth exceeded while decoding a JSON array from a unicode string',
    );
    expect(error.exitCode).toBe(2);
  });
});

describe('root and task type (§3.5, §12.2 rows 6–7)', () => {
  it.each(['[]', '[1]', '"s"', '1', '1.5', 'null', 'true', 'NaN'])('root %s is rejected', (input) => {
    const error = failure(input);
    expect(error.message).toBe('invalid input payload: root must be JSON object');
    expect(error.reason).toBe('invalid_root');
    expect(error.exitCode).toBe(2);
  });

  it.each(['"abc"', '[1]', '5', 'true', '1.5', 'NaN', '" "'])('truthy non-object task %s is rejected', (task) => {
    const error = failure(`{"task": ${task}}`);
    expect(error.message).toBe('invalid input payload: task must be JSON object');
    expect(error.reason).toBe('invalid_task');
    expect(error.exitCode).toBe(2);
  });

  it.each(['null', 'false', '0', '0.0', '-0.0', '""', '[]', '{}'])('falsy task %s becomes {}', (task) => {
    const payload = success(`{"mode":"plan","task": ${task}}`);
    expect(Object.values(payload.task).every((value) => value === undefined)).toBe(true);
  });

  it('a missing task becomes {}', () => {
    expect(success('{}').task.title).toBeUndefined();
  });

  it('extracts the raw fields, duplicates keep the last value', () => {
    const payload = success(
      JSON.stringify({
        mode: 'execute',
        teammate_id: 'tm',
        task: { id: 7, title: 't', description: 'd', target_paths: ['a'], depends_on: 'T-1', requires_plan: 'false', progress_log: [] },
      }).replace('"id":7', '"id":1,"id":7'),
    );
    expect(payload.mode).toEqual({ kind: 'str', value: 'execute' });
    expect(payload.teammateId).toEqual({ kind: 'str', value: 'tm' });
    expect(payload.task.id).toEqual({ kind: 'int', value: 7n });
    expect(pyRepr(payload.task.targetPaths!)).toBe("['a']");
    expect(payload.task.requiresPlan).toEqual({ kind: 'str', value: 'false' });
    expect(payload.task.progressLog).toEqual({ kind: 'list', items: [] });
    expect([...payload.root.entries.keys()]).toEqual(['mode', 'teammate_id', 'task']);
  });
});

describe('checkMode (§6.0)', () => {
  it.each(['plan', 'execute'])('accepts %s', (mode) => {
    expect(valueOf(checkMode(success(JSON.stringify({ mode }))))).toBe(mode);
  });

  it.each([
    ['{}', 'unknown mode: None'],
    ['{"mode":null}', 'unknown mode: None'],
    ['{"mode":"Plan"}', 'unknown mode: Plan'],
    ['{"mode":" plan"}', 'unknown mode:  plan'],
    ['{"mode":"EXECUTE"}', 'unknown mode: EXECUTE'],
    ['{"mode":1.0}', 'unknown mode: 1.0'],
    ['{"mode":["plan"]}', "unknown mode: ['plan']"],
    ['{"mode":{"a":true}}', "unknown mode: {'a': True}"],
    ['{"mode":""}', 'unknown mode: '],
  ])('%s → %s (exit 2)', (input, message) => {
    const error = errorOf(checkMode(success(input)));
    expect(error).toBeInstanceOf(CodexChildError);
    expect(error?.message).toBe(message);
    expect(error?.reason).toBe('unknown_mode');
    expect(error?.exitCode).toBe(2);
  });
});

describe('one-line messages', () => {
  it('escapes newlines echoed from the payload so every message stays one line', async () => {
    const { validatePayload, checkMode } = await import('../../../../../src/infrastructure/adapter/codex/payload_validator.js');
    const error = errorOf(checkMode(valueOf(validatePayload(Buffer.from('{"mode":"pl\\nan"}')))));
    expect(error?.message).toBe('unknown mode: pl\\nan');
  });
});
