/** Argument checks with the contract's messages, and the JSON Schemas tools/list shows. */
import { describe, expect, it } from 'vitest';
import {
  checkReadTailArgs,
  checkRunArtistArgs,
  checkRunTaskArgs,
  MAX_TIMEOUT_S,
  runArtistInput,
  runArtistOutput,
  jsonSchemaOf,
} from '../../../src/mcp/tool_schemas.js';

describe('checkRunArtistArgs', () => {
  it('defaults timeout_s to 900', () => {
    expect(checkRunArtistArgs({ variant_dir: 'x' })).toEqual({ ok: true, value: { variantDir: 'x', timeoutS: 900 } });
    expect(checkRunArtistArgs({ variant_dir: 'x', timeout_s: 5, extra: 1 })).toEqual({ ok: true, value: { variantDir: 'x', timeoutS: 5 } });
  });

  it('refuses a missing, non-string or blank variant_dir', () => {
    for (const bad of [{}, { variant_dir: 3 }, { variant_dir: '  ' }, { variant_dir: null }, undefined, 'str']) {
      expect(checkRunArtistArgs(bad)).toEqual({ ok: false, error: 'variant_dir is required' });
    }
  });

  it('refuses booleans, floats, zero, negatives and strings as timeout_s', () => {
    for (const bad of [true, false, 1.5, 0, -3, '10', null, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(checkRunArtistArgs({ variant_dir: 'x', timeout_s: bad })).toEqual({ ok: false, error: 'timeout_s must be a positive integer' });
    }
    expect(checkRunArtistArgs({ variant_dir: 'x', timeout_s: MAX_TIMEOUT_S + 1 })).toEqual({
      ok: false,
      error: `timeout_s must be a positive integer (at most ${MAX_TIMEOUT_S})`,
    });
  });
});

describe('checkReadTailArgs', () => {
  it('checks path and max_chars', () => {
    expect(checkReadTailArgs({ path: 'a' })).toEqual({ ok: true, value: { path: 'a', maxChars: 4000 } });
    expect(checkReadTailArgs({})).toEqual({ ok: false, error: 'path is required' });
    expect(checkReadTailArgs({ path: 'a', max_chars: 0 })).toEqual({ ok: false, error: 'max_chars must be a positive integer' });
    expect(checkReadTailArgs({ path: 'a', max_chars: true })).toEqual({ ok: false, error: 'max_chars must be a positive integer' });
  });
});

describe('checkRunTaskArgs', () => {
  it('requires workspace_dir, prompt and timeout_s; checks sandbox and model', () => {
    expect(checkRunTaskArgs({ workspace_dir: 'w', prompt: 'p', timeout_s: 10 })).toEqual({
      ok: true,
      value: { workspaceDir: 'w', prompt: 'p', timeoutS: 10, sandbox: undefined, model: undefined },
    });
    expect(checkRunTaskArgs({ prompt: 'p', timeout_s: 10 })).toEqual({ ok: false, error: 'workspace_dir is required' });
    expect(checkRunTaskArgs({ workspace_dir: 'w', timeout_s: 10 })).toEqual({ ok: false, error: 'prompt is required' });
    expect(checkRunTaskArgs({ workspace_dir: 'w', prompt: 'p' })).toEqual({ ok: false, error: 'timeout_s is required' });
    expect(checkRunTaskArgs({ workspace_dir: 'w', prompt: 'p', timeout_s: 1, sandbox: 'yolo' })).toMatchObject({ ok: false, error: expect.stringMatching(/^sandbox must be one of/) });
    expect(checkRunTaskArgs({ workspace_dir: 'w', prompt: 'p', timeout_s: 1, model: '' })).toMatchObject({ ok: false });
    expect(checkRunTaskArgs({ workspace_dir: 'w', prompt: 'p', timeout_s: 1, sandbox: 'read-only', model: 'gpt-5.5' })).toMatchObject({
      ok: true,
      value: { sandbox: 'read-only', model: 'gpt-5.5' },
    });
  });
});

describe('jsonSchemaOf', () => {
  it('shows typed fields, bounds and defaults; defaulted fields are optional on input', () => {
    expect(jsonSchemaOf(runArtistInput, 'input')).toMatchObject({
      type: 'object',
      properties: {
        variant_dir: { type: 'string', minLength: 1 },
        timeout_s: { type: 'integer', minimum: 1, default: 900 },
      },
      required: ['variant_dir'],
    });
    expect(jsonSchemaOf(runArtistInput, 'input')).not.toHaveProperty('$schema');
  });

  it('lists reason as a required nullable string of the output', () => {
    const schema = jsonSchemaOf(runArtistOutput, 'output') as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toContain('reason');
    expect(schema.properties.reason).toMatchObject({ anyOf: [{ type: 'string' }, { type: 'null' }] });
  });

  it('the output schema accepts a full result', () => {
    const ok = runArtistOutput.safeParse({
      status: 'success',
      variant_dir: 'v',
      artifact_json_path: 'v/artifact.json',
      stdout_path: 'v/stdout.txt',
      stderr_path: 'v/stderr.txt',
      codex_stdout_path: 'v/codex_stdout.txt',
      codex_stderr_path: 'v/codex_stderr.txt',
      codex_last_message_path: 'v/codex_last_message.md',
      elapsed_ms: 10,
      server_queue_ms: 0,
      timed_out: false,
      cancelled: false,
      exit_code: 0,
      error_summary: '',
      reason: null,
      artifact_written_by_server: false,
    });
    expect(ok.success).toBe(true);
  });
});
