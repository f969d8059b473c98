/**
 * runArtistTool, the checks that end a call before any codex run: bad arguments and the path rule
 * are refusals that create nothing; a valid variant dir without its inputs, or with a link planted
 * under a log name, is a failed result that still leaves artifact.json; a call cancelled while it
 * waits for the directory's lock does nothing. Codex itself is never started here.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ARTIST_INPUTS, runArtistTool } from '../../../src/mcp/run_artist.js';
import { pinDir } from '../../../src/infrastructure/fs/pinned_dir.js';
import { toolDeps, toolExtra } from '../../support/mcp_tool_deps.js';

const roots: string[] = [];
let world: ReturnType<typeof toolDeps>;
let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'run-artist-')));
  roots.push(root);
  world = toolDeps(root);
});
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;
const variant = (rel = 'run_1/iter_01/v01') => {
  const dir = path.join(world.runs, rel);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('runArtistTool refusals (nothing created)', () => {
  it.each([
    [{}, 'variant_dir is required'],
    [{ variant_dir: 7 }, 'variant_dir is required'],
    [{ variant_dir: 'runs/r/iter_01/v01', timeout_s: 0 }, 'timeout_s must be a positive integer'],
  ])('refuses bad arguments %j', async (args, message) => {
    const result = await runArtistTool(args, toolExtra(), world.deps);
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(message);
  });

  it('refuses a dir outside the runs root, a missing dir, a file, a wrong shape and a NUL byte', async () => {
    const file = path.join(world.runs, 'r', 'iter_01');
    mkdirSync(file, { recursive: true });
    writeFileSync(path.join(file, 'v02'), 'not a dir');
    mkdirSync(path.join(world.runs, 'flat'), { recursive: true });
    const cases: [string, RegExp][] = [
      [world.repo, /^path must be under /],
      ['runs/r/iter_01/v09', /^variant_dir not found: /],
      ['runs/r/iter_01/v02', /^variant_dir not found: /],
      ['runs/flat', /^variant_dir must be <run_id>\/iter_XX\/vYY under /],
      ['runs/r/iter_01/v01\0', /^variant_dir must not contain NUL bytes/],
      [`runs/${'x'.repeat(5000)}`, /^variant_dir is too long: /],
    ];
    for (const [dir, message] of cases) {
      const result = await runArtistTool({ variant_dir: dir }, toolExtra(), world.deps);
      expect(result.isError, dir).toBe(true);
      expect(text(result), dir).toMatch(message);
      expect(result.structuredContent).toBeUndefined();
    }
    expect(readdirSync(path.join(world.runs, 'flat'))).toEqual([]);
  });

  it('refuses a symlink that leads out of the runs root, writing nothing at its target', async () => {
    const outside = path.join(root, 'outside', 'iter_01', 'v01');
    mkdirSync(outside, { recursive: true });
    mkdirSync(path.join(world.runs, 'evil'), { recursive: true });
    symlinkSync(path.join(root, 'outside', 'iter_01'), path.join(world.runs, 'evil', 'iter_01'));
    const result = await runArtistTool({ variant_dir: 'runs/evil/iter_01/v01' }, toolExtra(), world.deps);
    expect(text(result)).toMatch(/^path must be under /);
    expect(readdirSync(outside)).toEqual([]);
    expect(world.codexStarted()).toBe(false);
  });
});

describe('runArtistTool failures before codex (artifact.json and logs left)', () => {
  it('fails with the missing inputs named, and leaves artifact.json plus empty codex logs', async () => {
    const dir = variant();
    writeFileSync(path.join(dir, 'creative_brief.json'), '{}');
    const result = await runArtistTool({ variant_dir: 'runs/run_1/iter_01/v01' }, toolExtra(), world.deps);
    expect(result.isError).toBe(true);
    const out = result.structuredContent as Record<string, unknown>;
    expect(out).toMatchObject({
      status: 'failed',
      variant_dir: 'runs/run_1/iter_01/v01',
      artifact_json_path: 'runs/run_1/iter_01/v01/artifact.json',
      error_summary: 'missing input file: runs/run_1/iter_01/v01/artist_context.json',
      artifact_written_by_server: true,
      exit_code: null,
      server_queue_ms: null,
      timed_out: false,
      cancelled: false,
    });
    expect(JSON.parse(text(result))).toEqual(out);
    expect(JSON.parse(readFileSync(path.join(dir, 'artifact.json'), 'utf8'))).toMatchObject({ status: 'failed' });
    for (const log of ['codex_stdout.txt', 'codex_stderr.txt', 'codex_last_message.md']) expect(readFileSync(path.join(dir, log), 'utf8')).toBe('');
    expect(world.codexStarted()).toBe(false);
    expect(world.logs.at(-1)).toMatch(/^run_codex_artist runs\/run_1\/iter_01\/v01: failed \(missing input file/);
  });

  it('names both inputs when both are missing', async () => {
    variant();
    const result = await runArtistTool({ variant_dir: 'runs/run_1/iter_01/v01' }, toolExtra(), world.deps);
    expect((result.structuredContent as { error_summary: string }).error_summary).toBe(
      `missing input files: ${ARTIST_INPUTS.map((n) => `runs/run_1/iter_01/v01/${n}`).join(', ')}`,
    );
  });

  it('counts an input that is a directory or a dangling link as missing', async () => {
    const dir = variant();
    mkdirSync(path.join(dir, 'artist_context.json'));
    symlinkSync(path.join(root, 'gone.json'), path.join(dir, 'creative_brief.json'));
    const result = await runArtistTool({ variant_dir: 'runs/run_1/iter_01/v01' }, toolExtra(), world.deps);
    expect((result.structuredContent as { error_summary: string }).error_summary).toMatch(/^missing input files: /);
    expect(world.codexStarted()).toBe(false);
  });

  it('refuses to create a codex log through a planted symlink, leaving its target untouched', async () => {
    const dir = variant();
    for (const name of ARTIST_INPUTS) writeFileSync(path.join(dir, name), '{}');
    const secret = path.join(root, 'secret.txt');
    writeFileSync(secret, 'KEEP ME\n');
    symlinkSync(secret, path.join(dir, 'codex_stderr.txt'));
    const result = await runArtistTool({ variant_dir: 'runs/run_1/iter_01/v01' }, toolExtra(), world.deps);
    const out = result.structuredContent as { status: string; error_summary: string };
    expect(out.status).toBe('failed');
    expect(out.error_summary).toMatch(/^cannot write the codex logs in runs\/run_1\/iter_01\/v01: /);
    expect(out.error_summary).not.toContain('/proc/');
    expect(readFileSync(secret, 'utf8')).toBe('KEEP ME\n');
    expect(existsSync(path.join(dir, 'artifact.json'))).toBe(true);
    expect(world.codexStarted()).toBe(false);
  });
});

describe('runArtistTool while another call holds the directory', () => {
  it('a call cancelled while it waits for the lock is refused and does nothing', async () => {
    const dir = variant();
    const pin = await pinDir(dir);
    const unlock = await world.deps.dirLocks.acquire(pin.identity, new AbortController().signal);
    try {
      const controller = new AbortController();
      const pending = runArtistTool({ variant_dir: 'runs/run_1/iter_01/v01' }, toolExtra(controller.signal), world.deps);
      controller.abort();
      const result = await pending;
      expect(result.isError).toBe(true);
      expect(text(result)).toBe('cancelled while waiting for the earlier call on runs/run_1/iter_01/v01 to finish; nothing was done');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      unlock();
      await pin.close();
    }
  });
});
