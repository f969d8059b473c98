/**
 * `npm run fixtures:record` works: re-recorded from the pinned codex against the fake model into a
 * temporary directory, every fixture file equals the committed one except for session/thread ids.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/wrapper_harness.js';

const run = promisify(execFile);
const out = mkdtempSync(path.join(os.tmpdir(), 'fixtures-record-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Ids are new on every run; the failing command's two output lines may still race (see README).
const comparable = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/oops(\\n|\n)checking\.\.\./g, 'checking...$1oops');

describe('npm run fixtures:record', () => {
  it('re-records every fixture with the committed shape', async () => {
    await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'tools/record_fixtures.ts'), '--out', out], { cwd: REPO_ROOT, timeout: 600_000 });
    const committed = readdirSync(FIXTURES_DIR).filter((name) => name !== 'README.md').sort();
    expect(readdirSync(out).sort()).toEqual(committed);
    for (const name of committed) {
      expect(comparable(readFileSync(path.join(out, name), 'utf8')), name).toBe(comparable(readFileSync(path.join(FIXTURES_DIR, name), 'utf8')));
    }
  }, 600_000);
});
