/** artifact.json rules: success judgement, the failure Artifact, never overwriting the artist's. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureArtifact, failureArtifact, judgeArtifact } from '../../../src/mcp/artifact.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'mcp-artifact-'));
let counter = 0;
let vd: string;
const rel = 'sketch/agent_loop/runs/run_x/iter_03/v02';

beforeEach(() => {
  counter += 1;
  vd = path.join(root, String(counter), rel);
  mkdirSync(vd, { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const put = (name: string, text: string) => writeFileSync(path.join(vd, name), text);
const readArtifact = () => JSON.parse(readFileSync(path.join(vd, 'artifact.json'), 'utf8')) as Record<string, unknown>;

describe('failureArtifact', () => {
  it('takes the fields from artist_context.json', () => {
    const ctx = { run_id: 'run_x', iteration: 3, variant_id: 'v02', artist_id: 'artist-7', mode: 'exploitation' };
    expect(failureArtifact(ctx, rel)).toEqual({
      artist_id: 'artist-7',
      iteration: 3,
      variant_id: 'v02',
      mode: 'exploitation',
      status: 'failed',
      code_ref: `${rel}/sketch.py`,
      callable_ref: 'sketch.agent_loop.runs.run_x.iter_03.v02.sketch:draw',
      image_ref: `${rel}/out.png`,
      seed: 0,
    });
  });

  it('derives iteration and variant_id from the directory names without a context', () => {
    expect(failureArtifact(null, rel)).toMatchObject({ artist_id: '', iteration: 3, variant_id: 'v02', mode: 'exploration', status: 'failed' });
    expect(failureArtifact([1, 2], rel)).toMatchObject({ iteration: 3, variant_id: 'v02' });
    expect(failureArtifact({ iteration: 'x', mode: 'weird', artist_id: 5 }, rel)).toMatchObject({ iteration: 3, mode: 'exploration', artist_id: '' });
    expect(failureArtifact({ iteration: '7' }, rel)).toMatchObject({ iteration: 7 });
  });
});

describe('ensureArtifact', () => {
  it('writes the failure Artifact (2-space JSON, trailing newline) from the context', async () => {
    put('artist_context.json', JSON.stringify({ iteration: 3, variant_id: 'v02', artist_id: 'a1', mode: 'exploration' }));
    expect(await ensureArtifact(vd, rel)).toBe(true);
    const text = readFileSync(path.join(vd, 'artifact.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "artist_id": "a1",\n');
    expect(readArtifact()).toMatchObject({ artist_id: 'a1', status: 'failed' });
  });

  it('writes one from the directory names when the context is unreadable', async () => {
    put('artist_context.json', '{not json');
    expect(await ensureArtifact(vd, rel)).toBe(true);
    expect(readArtifact()).toMatchObject({ artist_id: '', iteration: 3, variant_id: 'v02' });
  });

  it('leaves no temporary file behind, and one of two racing writers wins', async () => {
    const results = await Promise.all([ensureArtifact(vd, rel), ensureArtifact(vd, rel), ensureArtifact(vd, rel)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(readdirSync(vd)).toEqual(['artifact.json']);
    expect(readArtifact()).toMatchObject({ status: 'failed' });
  });

  it("never overwrites the artist's file, valid or not", async () => {
    put('artifact.json', '{"status":"success","artist_id":"mine"}');
    expect(await ensureArtifact(vd, rel)).toBe(false);
    expect(readArtifact()).toEqual({ status: 'success', artist_id: 'mine' });
    put('artifact.json', 'garbage');
    expect(await ensureArtifact(vd, rel)).toBe(false);
    expect(readFileSync(path.join(vd, 'artifact.json'), 'utf8')).toBe('garbage');
  });
});

describe('judgeArtifact', () => {
  it('succeeds with status success and both outputs present', async () => {
    put('artifact.json', JSON.stringify({ status: 'success' }));
    put('sketch.py', 'def draw(t): pass');
    put('out.png', 'png');
    expect(await judgeArtifact(vd)).toEqual({ success: true, problem: null, exists: true });
  });

  it('names what is wrong', async () => {
    expect(await judgeArtifact(vd)).toMatchObject({ success: false, exists: false, problem: 'the artist wrote no artifact.json' });
    put('artifact.json', '[1]');
    expect(await judgeArtifact(vd)).toMatchObject({ success: false, problem: 'artifact.json is not a JSON object' });
    put('artifact.json', '{');
    expect(await judgeArtifact(vd)).toMatchObject({ success: false, problem: 'artifact.json is not valid JSON' });
    put('artifact.json', JSON.stringify({ status: 'failed' }));
    expect(await judgeArtifact(vd)).toMatchObject({ success: false, problem: 'artifact.json has status "failed", not "success"' });
    put('artifact.json', JSON.stringify({ status: 'success' }));
    expect(await judgeArtifact(vd)).toMatchObject({ success: false, problem: 'artifact.json says success but sketch.py and out.png missing' });
    put('sketch.py', 'x');
    expect(await judgeArtifact(vd)).toMatchObject({ success: false, problem: 'artifact.json says success but out.png missing' });
  });
});
