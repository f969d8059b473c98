/**
 * The supported library surface: what `codex-child` exports at run time, and that package.json
 * `exports` keeps every other module (the adapter's internals, the MCP server's) unimportable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../../src/index.js';
import { REPO_ROOT } from '../../support/wrapper_harness.js';

describe('public API', () => {
  it('exports the run functions, the error model and the event helpers, nothing internal', () => {
    expect(Object.keys(api).sort()).toEqual(
      ['CodexChildError', 'EXIT', 'REASON_EXIT', 'isItemEvent', 'parseEventLine', 'parseResultBlock', 'runCodexPrompt', 'runStreamed', 'runTeammatePayload'].sort(),
    );
  });

  it('package.json exports only the root, the testing subpath and the manifest', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './package.json', './testing']);
  });
});
