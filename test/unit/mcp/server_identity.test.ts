/** server_identity.ts: what the server announces in `initialize`. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_CAPABILITIES, SERVER_NAME, serverIdentity } from '../../../src/mcp/server_identity.js';
import { REPO_ROOT } from '../../support/wrapper_harness.js';

describe('serverIdentity', () => {
  it("is the server's name, the package version and the tools capability", () => {
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(serverIdentity()).toEqual({ name: 'codex-child-mcp', version, capabilities: { tools: { listChanged: true } } });
    expect(SERVER_NAME).toBe('codex-child-mcp');
  });

  it('hands out a copy of the capabilities, so a caller cannot change the next answer', () => {
    const first = serverIdentity();
    (first.capabilities as { tools: { listChanged: boolean } }).tools.listChanged = false;
    expect(serverIdentity().capabilities).toEqual({ tools: { listChanged: true } });
    expect(SERVER_CAPABILITIES.tools.listChanged).toBe(true);
  });
});
