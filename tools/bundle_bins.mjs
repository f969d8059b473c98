// Bundles each bin's compiled entry (dist/src/…) into ES modules in dist/bin/. Start-up time
// counts on every wrapper run: one file instead of a few hundred module resolutions and reads
// saves ~70 ms per run on a 2-core machine (docs/benchmarks.md, B1). The wrapper is one CommonJS
// file with no run-time package in it (the adapter's run path needs none): node starts a CommonJS
// main without initialising its ES module loader, a few ms per run (docs/benchmarks.md, B9); its
// `import.meta.url` (package_paths.ts) becomes the bundle's own file URL. The MCP server is split:
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
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: { codex_child_mcp: 'dist/src/mcp/entry.js' },
  splitting: true,
  chunkNames: 'mcp_chunks/[name]-[hash]',
});
