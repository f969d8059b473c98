// Bundles each bin's compiled entry (dist/src/…) into ES modules in dist/bin/. Start-up time
// counts on every wrapper run: one file instead of a few hundred module resolutions and reads
// saves ~70 ms per run on a 2-core machine (docs/benchmarks.md, B1). The wrapper is split so that
// execa and fast-glob, imported on first use, are chunks a run loads only when it gets that far
// (docs/benchmarks.md, B9). The MCP server is split:
// what `initialize` needs is in the entry file, the run path / setup / doctor are chunks loaded
// on first use (docs/benchmarks.md, B6).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  outdir: 'dist/bin',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

// no stale chunks from earlier builds (`npm run build` also starts from an empty dist/)
for (const dir of ['dist/bin/wrapper_chunks', 'dist/bin/mcp_chunks']) rmSync(dir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { codex_wrapper: 'dist/src/cli/codex_wrapper_cli.js' },
  splitting: true,
  chunkNames: 'wrapper_chunks/[name]-[hash]',
});
await build({
  ...common,
  entryPoints: { codex_child_mcp: 'dist/src/mcp/entry.js' },
  splitting: true,
  chunkNames: 'mcp_chunks/[name]-[hash]',
});
