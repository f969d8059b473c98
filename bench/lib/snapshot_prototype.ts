/**
 * A V8 startup-snapshot build of the wrapper, for measurement only (B9, issue 12's option 2): the
 * compiled CLI bundled as CommonJS with execa and fast-glob evaluated before the heap is written,
 * `node --snapshot-blob blob --build-snapshot entry.cjs`, then run as
 * `node --snapshot-blob blob <bin>`. Not shipped (docs/benchmarks.md, B9 findings say why).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The blob, or why there is none. */
export type SnapshotPrototype = { blob: string } | { skipped: string };

/** Builds the prototype blob in `dir` from the compiled sources under `repoRoot/dist/src`. */
export async function buildSnapshotPrototype(repoRoot: string, dir: string): Promise<SnapshotPrototype> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return { skipped: 'esbuild (a devDependency) is not installed' };
  }
  const source = path.join(dir, 'snapshot_entry.mjs');
  const bundle = path.join(dir, 'snapshot_entry.cjs');
  const blob = path.join(dir, 'codex_wrapper.blob');
  const cli = path.join(repoRoot, 'dist', 'src', 'cli', 'codex_wrapper_cli.js');
  // import.meta.url does not exist in a CommonJS bundle: the package root is found from a URL set
  // when the snapshot starts, as a shipped launcher would have to do.
  const moduleUrl = pathToFileURL(path.join(repoRoot, 'dist', 'bin', 'codex_wrapper.mjs')).href;
  writeFileSync(
    source,
    [
      "import v8 from 'node:v8';",
      `import { main } from ${JSON.stringify(cli)};`,
      // evaluate the lazily imported libraries now, so that the heap holds them
      "void import('execa'); void import('fast-glob');",
      'v8.startupSnapshot.setDeserializeMainFunction(() => {',
      `  globalThis.__codexChildModuleUrl = ${JSON.stringify(moduleUrl)};`,
      '  return main({ entryScript: process.argv[1] });',
      '});',
      '',
    ].join('\n'),
  );
  try {
    await esbuild.build({
      entryPoints: [source],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      define: { 'import.meta.url': 'globalThis.__codexChildModuleUrl' },
      logLevel: 'silent',
      nodePaths: [path.join(repoRoot, 'node_modules')],
    });
  } catch (error) {
    return { skipped: `esbuild failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) return { skipped: `--build-snapshot failed (${built.status ?? built.signal}): ${(built.stderr ?? '').trim().split('\n').pop() ?? ''}` };
  return { blob };
}
