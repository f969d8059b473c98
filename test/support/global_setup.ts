/**
 * vitest global setup: the bins run the bundled dist/, so rebuild (tsc + bundle) when a source
 * file is newer than the bundles. `npm test` builds first anyway; this keeps `npx vitest` honest.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = ['dist/bin/codex_wrapper.mjs', 'dist/bin/codex_child_mcp.mjs'].map((file) => path.join(ROOT, file));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const sources = newestSource(path.join(ROOT, 'src'));
  if (BUNDLES.every((bundle) => existsSync(bundle) && statSync(bundle).mtimeMs >= sources)) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(ROOT, 'tools/bundle_bins.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
