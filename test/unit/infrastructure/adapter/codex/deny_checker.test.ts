import { describe, expect, it } from 'vitest';

import { CodexChildError } from '../../../../../src/domain/errors.js';
import { errorOf, valueOf } from '../../../../support/result.js';
import {
  checkDotenvReferences,
  collectDotenvHits,
  containsDotenvReference,
  isDenyPayloadCheckEnabled,
  isDotenvSnapshotEnabled,
} from '../../../../../src/infrastructure/adapter/codex/deny_checker.js';
import { type TeammatePayload, validatePayload } from '../../../../../src/infrastructure/adapter/codex/payload_validator.js';

/** A validated payload from JSON text. */
function payload(json: string): TeammatePayload {
  return valueOf(validatePayload(Buffer.from(json, 'utf8')));
}

/** The deny message for a task object given as JSON text, or null. */
function denyMessage(taskJson: string): string | null {
  return errorOf(checkDotenvReferences(payload(`{"mode":"plan","task":${taskJson}}`)))?.message ?? null;
}

describe('match rule (§5 table)', () => {
  it.each([
    '.env',
    '.env.local',
    '.env.',
    '.envrc',
    '.environment',
    'foo/.env',
    'docs/.env.sample',
    './.env',
    '~/.env',
    'a/.envrc',
    'foo\\.env',
    "'.env'",
    '(.ENV)',
    '[.env]',
    '{.env}',
    '"(.env)"',
    'see .env, please',
    '  .ENV.LOCAL  ',
    'a,.env',
    'x\u0085.env',
    'x\u3000.env',
    "(['.env'])",
  ])('%j matches', (text) => {
    expect(containsDotenvReference(text)).toBe(true);
  });

  it.each([
    'environment',
    'dotenv',
    'process.env.FOO',
    'my.env',
    'foo.env.bar',
    'x=.env',
    'path:.env',
    '`.env`',
    '<.env>',
    'README.md',
    '',
    'x\ufeff.env',
    'x\u200b.env',
  ])('%j does not match', (text) => {
    expect(containsDotenvReference(text)).toBe(false);
  });
});

describe('checkDotenvReferences (§5)', () => {
  it('reproduces the observed message', () => {
    const error = errorOf(checkDotenvReferences(
      payload(
        JSON.stringify({
          mode: 'execute',
          task: {
            id: 'T9',
            title: 'Fix config loading',
            description: 'please edit .env.local and foo/.env',
            target_paths: ['src/.env', 'src/app.ts', '.envrc'],
            depends_on: ['.env'],
          },
        }),
      ),
    ));
    expect(error).toBeInstanceOf(CodexChildError);
    expect(error?.message).toBe(
      'deny rule violation: .env/.env.* references are forbidden in task payload (task_id=T9; description:please edit .env.local and foo/.env, target_paths:src/.env, target_paths:.envrc, depends_on:.env)',
    );
    expect(error?.reason).toBe('dotenv_reference');
    expect(error?.exitCode).toBe(3);
    expect(error?.details).toEqual({
      taskId: 'T9',
      hits: [
        { field: 'description', text: 'please edit .env.local and foo/.env' },
        { field: 'target_paths', text: 'src/.env' },
        { field: 'target_paths', text: '.envrc' },
        { field: 'depends_on', text: '.env' },
      ],
    });
  });

  it('returns null without hits', () => {
    expect(denyMessage('{"id":"T1","title":"process.env.FOO","target_paths":["src/a.ts"]}')).toBeNull();
    expect(checkDotenvReferences(payload('{}')).ok).toBe(true);
  });

  it('lists only the first 5 hits, in scan order, with the original text', () => {
    const message = denyMessage(
      '{"id":"T1","depends_on":[".env"],"target_paths":["(.ENV)","a/.env","b/.env","c/.env"],"description":".env.x","title":"ENV: .env"}',
    );
    expect(message).toBe(
      'deny rule violation: .env/.env.* references are forbidden in task payload (task_id=T1; title:ENV: .env, description:.env.x, target_paths:(.ENV), target_paths:a/.env, target_paths:b/.env)',
    );
  });

  it('uses task_id=unknown when the id renders empty (falsy)', () => {
    for (const id of ['""', 'null', '0', '[]', 'false']) {
      expect(denyMessage(`{"id":${id},"title":".env"}`)).toBe(
        'deny rule violation: .env/.env.* references are forbidden in task payload (task_id=unknown; title:.env)',
      );
    }
    expect(denyMessage('{"id":7,"title":".env"}')).toContain('(task_id=7; title:.env)');
    expect(denyMessage('{"id":" ","title":".env"}')).toContain('(task_id= ; title:.env)');
  });

  it('scans list items and non-list values through pyStr', () => {
    expect(denyMessage('{"target_paths":[null, true, 1.0, [".env"], {"k":".env"}]}')).toBe(
      "deny rule violation: .env/.env.* references are forbidden in task payload (task_id=unknown; target_paths:['.env'], target_paths:{'k': '.env'})",
    );
    expect(denyMessage('{"depends_on":"see .env, please"}')).toContain('(task_id=unknown; depends_on:see .env, please)');
    expect(denyMessage('{"depends_on":{"a":".env"}}')).toContain("depends_on:{'a': '.env'}");
  });

  it('does not scan teammate_id, task.id, progress_log or other keys', () => {
    const p = payload(
      '{"mode":".env","teammate_id":".env","task":{"id":".env","progress_log":[{"text":".env"}],"owner":".env","plan_text":".env"}}',
    );
    expect(checkDotenvReferences(p).ok).toBe(true);
  });

  it('ignores falsy target_paths / depends_on and non-string falsy titles', () => {
    expect(collectDotenvHits(payload('{"task":{"title":0,"description":null,"target_paths":"","depends_on":{}}}'))).toEqual([]);
  });
});

describe('CODEX_DENY_DOTENV switches (§2)', () => {
  it.each<[string | undefined, boolean, boolean]>([
    [undefined, true, true],
    ['', true, true],
    ['1', true, true],
    ['0', false, false],
    [' 0 ', false, true],
    ['\u00850\u3000', false, true],
    ['\t0\n', false, true],
    ['00', true, true],
    ['false', true, true],
    ['no', true, true],
    ['\ufeff0', true, true],
  ])('CODEX_DENY_DOTENV=%j → payload check %s, snapshot %s', (value, payloadCheck, snapshot) => {
    const env = { CODEX_DENY_DOTENV: value };
    expect(isDenyPayloadCheckEnabled(env)).toBe(payloadCheck);
    expect(isDotenvSnapshotEnabled(env)).toBe(snapshot);
  });
});
