/** The artist prompt template: placeholders, rendering, the shipped template. */
import { REPO_ROOT } from '../../support/wrapper_harness.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../support/result.js';
import {
  ARTIST_PLACEHOLDERS,
  artistPromptValues,
  checkTemplate,
  loadArtistTemplate,
  placeholdersIn,
  renderTemplate,
} from '../../../src/mcp/prompt_template.js';

const shipped = path.join(REPO_ROOT, 'templates/art_loop_artist_prompt.md');
const values = artistPromptValues({
  repoRoot: '/repo',
  runsRoot: '/repo/sketch/agent_loop/runs',
  variantDir: '/repo/sketch/agent_loop/runs/run_1/iter_01/v03',
  variantRel: 'sketch/agent_loop/runs/run_1/iter_01/v03',
  python: '/opt/py/bin/python',
});

describe('renderTemplate', () => {
  it('replaces {{name}} and {{ name }}, inserting values literally', () => {
    expect(renderTemplate('a {{x}} b {{ x }} c', { x: '$1 $& {{y}}' })).toBe('a $1 $& {{y}} b $1 $& {{y}} c');
  });

  it('leaves unknown placeholders untouched (checkTemplate rules them out first)', () => {
    expect(renderTemplate('{{x}} {{nope}}', { x: '1' })).toBe('1 {{nope}}');
  });

  it('finds placeholders once each', () => {
    expect(placeholdersIn('{{a}} {{b}} {{ a }} {{ not valid }} {a}')).toEqual(['a', 'b']);
  });
});

describe('checkTemplate', () => {
  it('accepts known names, reports unknown ones and empty templates', () => {
    expect(checkTemplate('{{a}}', ['a'], 't.md')).toBeNull();
    expect(checkTemplate('{{a}} {{zz}}', ['a'], 't.md')).toBe('prompt template t.md uses unknown placeholder(s) {{zz}}; known: a');
    expect(checkTemplate(' \n', ['a'], 't.md')).toBe('prompt template is empty: t.md');
  });
});

describe('artistPromptValues', () => {
  it('derives every path from the variant dir', () => {
    expect(values).toMatchObject({
      variant_dir: 'sketch/agent_loop/runs/run_1/iter_01/v03',
      artist_context: 'sketch/agent_loop/runs/run_1/iter_01/v03/artist_context.json',
      creative_brief: 'sketch/agent_loop/runs/run_1/iter_01/v03/creative_brief.json',
      artifact_json: 'sketch/agent_loop/runs/run_1/iter_01/v03/artifact.json',
      callable_ref: 'sketch.agent_loop.runs.run_1.iter_01.v03.sketch:draw',
      python: '/opt/py/bin/python',
    });
    expect(Object.keys(values).sort()).toEqual(Object.keys(ARTIST_PLACEHOLDERS).sort());
  });
});

describe('the shipped template', () => {
  it('invokes the skill on its first line and names the variant dir, inputs and outputs', async () => {
    const loaded = await loadArtistTemplate(shipped);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const prompt = renderTemplate(loaded.value.text, values);
    expect(prompt.split('\n')[0]).toBe('$grafix-art-loop-artist');
    expect(prompt).toContain('- variant_dir: sketch/agent_loop/runs/run_1/iter_01/v03');
    for (const name of ['artist_context.json', 'creative_brief.json', 'sketch.py', 'out.png', 'artifact.json', 'stdout.txt', 'stderr.txt']) {
      expect(prompt).toContain(`sketch/agent_loop/runs/run_1/iter_01/v03/${name}`);
    }
    expect(prompt).toContain('PYTHONPATH=src /opt/py/bin/python -m grafix export --callable sketch.agent_loop.runs.run_1.iter_01.v03.sketch:draw');
    expect(prompt).toContain('.agents/skills/grafix-art-loop-orchestrator/references/schemas.md');
    expect(prompt).not.toMatch(/\{\{/);
  });

  it('can be replaced; a bad replacement is reported in one line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-tpl-'));
    try {
      const own = path.join(dir, 'own.md');
      writeFileSync(own, 'Do {{variant_dir}} with {{python}}');
      expect(await loadArtistTemplate(own)).toEqual({ ok: true, value: { path: own, text: readFileSync(own, 'utf8') } });
      writeFileSync(own, 'Do {{variant}}');
      expect(errorOf(await loadArtistTemplate(own))).toMatch(/^prompt template .* uses unknown placeholder\(s\) \{\{variant\}\}; known: /);
      expect(errorOf(await loadArtistTemplate(path.join(dir, 'missing.md')))).toBe(`cannot read prompt template ${path.join(dir, 'missing.md')}: ENOENT (ART_LOOP_PROMPT_TEMPLATE)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a FIFO, a device or a directory at once (never blocks start-up); follows a link to a file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-tpl-'));
    try {
      const fifo = path.join(dir, 'fifo.md');
      execFileSync('mkfifo', [fifo]);
      mkdirSync(path.join(dir, 'dir.md'));
      for (const file of [fifo, '/dev/zero', path.join(dir, 'dir.md')]) {
        expect(errorOf(await loadArtistTemplate(file))).toBe(`prompt template ${file} is not a regular file (ART_LOOP_PROMPT_TEMPLATE)`);
      }
      writeFileSync(path.join(dir, 'real.md'), 'Do {{variant_dir}}');
      symlinkSync('real.md', path.join(dir, 'link.md'));
      expect(await loadArtistTemplate(path.join(dir, 'link.md'))).toEqual({ ok: true, value: { path: path.join(dir, 'link.md'), text: 'Do {{variant_dir}}' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
