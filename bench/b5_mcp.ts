/**
 * B5 — MCP overhead: an `art_loop.run_codex_artist` call (official SDK Client over stdio, spawning
 * bin/codex-child-mcp once) vs the same child run directly through the library
 * (`runCodexPrompt` with the options the server's child run uses: same rendered prompt, env,
 * run dir = variant dir, kept log files, extra codex args, onEvent follower). Real codex, the fake
 * model on 127.0.0.1 (a scripted artist that writes sketch.py, out.png, artifact.json …), a fresh
 * variant directory per call for both arms, ABBA order.
 *
 * The MCP modules are loaded with dynamic imports, so the benchmark still builds while the server
 * is being changed; when bin/codex-child-mcp or dist/src/mcp/ is missing the section is a TODO.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { scriptedTurn, startFakeModelServer, type FakeScenarioStep } from '../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, resolveCodexBinary } from '../src/devtools/hermetic_codex.js';
import { runCodexPrompt } from '../src/index.js';
import { childRunSettings } from '../src/mcp/child_run.js';
import { loadServerConfig, type ServerConfig } from '../src/mcp/config.js';
import { artistPromptValues, loadArtistTemplate, renderTemplate } from '../src/mcp/prompt_template.js';
import { selfDisableArgs } from '../src/mcp/self_registration.js';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { readProfiles, summarizeProfile, topLines } from './lib/cpuprofile.js';
import { processCpuMs } from './lib/proc.js';
import { ms, msRange, pairedDiffs, summarize, table } from './lib/stats.js';

const TARGET_MS = 50;
const TOOL = 'art_loop.run_codex_artist';
const FAKE_KEY = 'sk-fake-bench-mcp-key';

function artifactFor(variantRel: string): string {
  const parts = variantRel.split('/');
  return JSON.stringify({
    artist_id: 'artist-bench',
    iteration: 1,
    variant_id: parts.at(-1),
    mode: 'exploration',
    status: 'success',
    code_ref: `${variantRel}/sketch.py`,
    callable_ref: `${parts.join('.')}.sketch:draw`,
    image_ref: `${variantRel}/out.png`,
    seed: 7,
  });
}

/** The scripted artist: one command writing every output into the cwd (the variant dir), then the Artifact. */
function artistScenario(arg: string | undefined): FakeScenarioStep[] {
  const v = arg ?? '';
  const b64 = Buffer.from(`${artifactFor(v)}\n`).toString('base64');
  const cmd = [
    "printf 'def draw(t):\\n    return []\\n' > sketch.py",
    'printf PNG > out.png',
    'echo rendered > stdout.txt',
    ': > stderr.txt',
    `echo ${b64} | base64 -d > artifact.json`,
  ].join(' && ');
  return scriptedTurn({ commands: [cmd], result: artifactFor(v) });
}

export async function benchMcp(ctx: BenchContext): Promise<BenchSection> {
  const bin = path.join(ctx.repoRoot, 'bin', 'codex-child-mcp');
  const mcpDist = path.join(ctx.repoRoot, 'dist', 'src', 'mcp');
  if (!existsSync(bin) || !existsSync(path.join(mcpDist, 'main.js'))) {
    return {
      id: 'B5',
      title: 'B5 — MCP overhead',
      headline: [{ bench: 'B5', metric: 'MCP call vs library child run', value: 'bin/codex-child-mcp or dist/src/mcp/ missing', target: '≤ +50 ms', status: 'todo' }],
      markdown: 'TODO: the MCP server (`bin/codex-child-mcp`, `src/mcp/`) is not built in this checkout; rerun `npm run bench` once it is.',
      raw: null,
    };
  }

  const dir = path.join(ctx.tmpRoot, 'b5');
  mkdirSync(dir, { recursive: true });
  const root = realpathSync(dir);
  const fake = await startFakeModelServer({ scenarios: { artist: artistScenario }, expectedBearer: FAKE_KEY });
  const home = createHermeticCodexHome({ baseUrl: fake.baseUrl, parentDir: root, requiresOpenaiAuth: true, modelCatalog: true });
  writeFileSync(path.join(home.codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: FAKE_KEY }), { mode: 0o600 });
  const repo = path.join(root, 'repo');
  const runs = path.join(repo, 'sketch', 'agent_loop', 'runs');
  mkdirSync(runs, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: repo });
  mkdirSync(path.join(repo, '.agents/skills/grafix-art-loop-artist'), { recursive: true });
  writeFileSync(path.join(repo, '.agents/skills/grafix-art-loop-artist/SKILL.md'), '---\nname: grafix-art-loop-artist\ndescription: bench artist skill\n---\nDraw.\n');
  const templatePath = path.join(root, 'artist_prompt_bench.md');
  writeFileSync(templatePath, `${readFileSync(path.join(ctx.repoRoot, 'templates', 'art_loop_artist_prompt.md'), 'utf8')}\n[[scenario:artist:{{variant_dir}}]]\n`);
  const sandbox = 'danger-full-access';
  const codexBin = resolveCodexBinary();
  const serverEnv: Record<string, string> = {
    ...home.env,
    CODEX_BIN: codexBin,
    ART_LOOP_PROMPT_TEMPLATE: templatePath,
    CODEX_CHILD_SANDBOX: sandbox,
    CODEX_CHILD_KILL_GRACE_MS: '1000',
  };

  let variantSeq = 0;
  const newVariant = (prefix: string): { abs: string; rel: string } => {
    variantSeq += 1;
    const abs = path.join(runs, `${prefix}${String(variantSeq).padStart(3, '0')}`, 'iter_01', 'v01');
    mkdirSync(abs, { recursive: true });
    writeFileSync(path.join(abs, 'artist_context.json'), JSON.stringify({ run_id: prefix, iteration: 1, variant_id: 'v01', artist_id: 'artist-v01', mode: 'exploration', creative_brief: {}, critic_feedback_prev: null }));
    writeFileSync(path.join(abs, 'creative_brief.json'), JSON.stringify({ title: 't', context: 'c', intent: 'i', canvas: { w: 64, h: 64 }, colors: {} }));
    return { abs, rel: path.relative(repo, abs).split(path.sep).join('/') };
  };

  const startServer = async (command: string, args: string[]) => {
    const transport = new StdioClientTransport({ command, args, cwd: repo, stderr: 'pipe', env: serverEnv });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'bench', version: '1.0.0' });
    const t0 = performance.now();
    await client.connect(transport);
    return { client, transport, startMs: performance.now() - t0, stderr: () => stderr };
  };

  // The library arm's options, built the way the server's child run builds them.
  const loaded = await loadServerConfig({ ...process.env, ...serverEnv }, repo);
  if (!loaded.ok) throw new Error(`MCP config: ${loaded.error}`);
  const config: ServerConfig = { ...loaded.value, env: serverEnv };
  const template = await loadArtistTemplate(templatePath);
  if (!template.ok) throw new Error(template.error);
  const libraryRun = async (v: { abs: string; rel: string }) => {
    const prompt = renderTemplate(
      template.value.text,
      artistPromptValues({ repoRoot: config.repoRoot, runsRoot: config.runsRoot, variantDir: v.abs, variantRel: v.rel, python: config.python }),
    );
    const settings = childRunSettings(config, { workdir: v.abs, sandbox, model: undefined, runDir: v.abs });
    const self = await selfDisableArgs(path.join(v.abs, '.codex_home'), serverEnv);
    const logs = {
      stdoutLog: path.join(v.abs, 'codex_stdout.txt'),
      stderrLog: path.join(v.abs, 'codex_stderr.txt'),
      lastMessage: path.join(v.abs, 'codex_last_message.md'),
    };
    const t0 = performance.now();
    const outcome = await runCodexPrompt(prompt, {
      ...settings,
      cwd: config.repoRoot,
      runDir: v.abs,
      logFiles: logs,
      display: 'ignore',
      timeoutMs: 900_000,
      signal: new AbortController().signal,
      killGraceMs: config.killGraceMs,
      extraCodexArgs: self.args,
      onEvent: () => undefined,
    });
    const dt = performance.now() - t0;
    const artifact = path.join(v.abs, 'artifact.json');
    const ok = outcome.ok && existsSync(artifact) && (JSON.parse(readFileSync(artifact, 'utf8')) as { status?: string }).status === 'success';
    return { ms: dt, ok, why: outcome.ok ? '' : outcome.error.message };
  };

  const md: string[] = [];
  const headline: HeadlineRow[] = [];
  const raw: Record<string, unknown> = {};
  const servers: { client: Client }[] = [];
  try {
    // server start-up (spawn → initialize done), a few fresh servers
    const startups: number[] = [];
    for (let i = 0; i < (ctx.quick ? 2 : 4); i += 1) {
      const s = await startServer(bin, []);
      startups.push(s.startMs);
      await s.client.close();
    }
    const server = await startServer(bin, []);
    servers.push(server);
    const serverPid = server.transport.pid ?? undefined;
    const mcpRun = async () => {
      const v = newVariant('mcp');
      const cpu0 = serverPid ? processCpuMs(serverPid) : Number.NaN;
      const t0 = performance.now();
      const result = (await server.client.callTool({ name: TOOL, arguments: { variant_dir: v.rel } }, undefined, { timeout: 300_000 })) as CallToolResult;
      const dt = performance.now() - t0;
      const sc = (result.structuredContent ?? {}) as { status?: string; elapsed_ms?: number; server_queue_ms?: number; error_summary?: string };
      return { ms: dt, ok: sc.status === 'success', elapsed: sc.elapsed_ms ?? Number.NaN, cpu: serverPid ? processCpuMs(serverPid) - cpu0 : Number.NaN, why: sc.error_summary ?? '' };
    };
    const libRun = () => libraryRun(newVariant('lib'));

    const samples = { mcp: [] as number[], lib: [] as number[], serverElapsed: [] as number[], serverCpu: [] as number[] };
    const failures: string[] = [];
    for (let w = 0; w < 2; w += 1) {
      await mcpRun();
      await libRun();
    }
    const pairs = ctx.quick ? 6 : 20;
    ctx.log(`B5: ${pairs} alternated pairs (MCP call vs library run)`);
    for (let i = 0; i < pairs; i += 1) {
      checkDeadline(ctx, `B5 pair ${i + 1}`);
      const order = i % 2 === 0 ? ['mcp', 'lib'] : ['lib', 'mcp'];
      for (const arm of order) {
        if (arm === 'mcp') {
          const r = await mcpRun();
          if (!r.ok) failures.push(`mcp: ${r.why}`);
          else {
            samples.mcp.push(r.ms);
            samples.serverElapsed.push(r.elapsed);
            samples.serverCpu.push(r.cpu);
          }
        } else {
          const r = await libRun();
          if (!r.ok) failures.push(`library: ${r.why}`);
          else samples.lib.push(r.ms);
        }
      }
    }
    raw.samples = samples;
    raw.startupMs = startups;
    const mcp = summarize(samples.mcp);
    const lib = summarize(samples.lib);
    const added = mcp.median - lib.median;
    const diffs = summarize(pairedDiffs(samples.mcp, samples.lib));
    const elapsed = summarize(samples.serverElapsed);
    md.push(
      'Method: one `bin/codex-child-mcp` process started by the official SDK `Client` + `StdioClientTransport` (cwd = a temp git repo, ' +
        `\`CODEX_CHILD_SANDBOX=${sandbox}\`, the artist template plus a \`[[scenario:artist:{{variant_dir}}]]\` marker, parent CODEX_HOME = a ` +
        'hermetic home with an API-key auth.json, linked into each run home by the server). The scripted artist runs one shell command that ' +
        'writes sketch.py, out.png, stdout/stderr.txt and a success artifact.json, then answers with the Artifact JSON. MCP arm: ' +
        '`client.callTool(art_loop.run_codex_artist, { variant_dir })`, timed around the call. Library arm: `runCodexPrompt` in the ' +
        'benchmark process with what the server\'s child run passes (same template rendering, `childEnv`, run dir = variant dir, kept ' +
        'codex_* logs, `selfDisableArgs`, an onEvent follower, display ignored). A fresh variant directory per call for both arms; 2 warm-up ' +
        `pairs, then ${pairs} pairs in ABBA order. The fake model runs in the benchmark process for both arms.`,
    );
    md.push('');
    md.push(
      table(
        ['arm', 'n', 'wall median ms (min–max)', 'p25–p75 ms'],
        [
          ['MCP tools/call (client round trip)', String(mcp.n), msRange(mcp), `${ms(mcp.p25)}–${ms(mcp.p75)}`],
          ['… of which the server reports elapsed_ms (child run)', String(elapsed.n), msRange(elapsed), `${ms(elapsed.p25)}–${ms(elapsed.p75)}`],
          ['library runCodexPrompt (same child run)', String(lib.n), msRange(lib), `${ms(lib.p25)}–${ms(lib.p75)}`],
        ],
      ),
    );
    md.push('');
    md.push(`- **MCP − library: ${ms(added)} ms** (difference of medians; per-pair differences: median ${msRange(diffs)} ms). Target ≤ +${TARGET_MS} ms.`);
    md.push(`- Server start-up (spawn → initialize answered): median ${msRange(summarize(startups))} ms over ${startups.length} starts (paid once per session, not per call).`);
    md.push(`- Server process CPU per call (utime+stime of its /proc stat; its children not included): median ${ms(summarize(samples.serverCpu).median)} ms.`);
    if (failures.length) md.push(`- Failures: ${failures.length} (${[...new Set(failures)].slice(0, 3).join('; ')})`);
    headline.push({
      bench: 'B5',
      metric: 'MCP art_loop.run_codex_artist call − same child run via the library (median wall)',
      value: `${added >= 0 ? '+' : ''}${ms(added)} ms (${ms(mcp.median)} vs ${ms(lib.median)} ms)`,
      target: `≤ +${TARGET_MS} ms`,
      status: failures.length || !mcp.n || !lib.n ? 'error' : added <= TARGET_MS ? 'met' : 'missed',
    });

    if (added > TARGET_MS || process.env.BENCH_PROFILE === '1') {
      checkDeadline(ctx, 'B5 profile');
      ctx.log('B5: profiling the server');
      md.push('');
      md.push('### B5 profile — where the MCP call\'s extra time goes');
      md.push('');
      md.push(
        `- Outside the child run (client round trip − server-reported elapsed_ms): median ${ms(summarize(pairedDiffs(samples.mcp, samples.serverElapsed)).median)} ms ` +
          '(JSON-RPC over stdio, argument and path checks, log files, artifact judging, result JSON).',
      );
      md.push(`- Inside the child run (server elapsed_ms − library wall, medians): ${ms(elapsed.median - lib.median)} ms (runCodexPrompt in the server process vs in this one).`);
      const profDir = path.join(dir, 'cpuprof');
      mkdirSync(profDir, { recursive: true });
      const prof = await startServer(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval', '200', bin]);
      const profCalls = 5;
      for (let i = 0; i < profCalls; i += 1) {
        const v = newVariant('prof');
        await prof.client.callTool({ name: TOOL, arguments: { variant_dir: v.rel } }, undefined, { timeout: 300_000 });
      }
      await prof.client.close();
      for (let i = 0; i < 50 && readProfiles(profDir).length === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
      const profiles = readProfiles(profDir);
      if (profiles[0]) {
        const s = summarizeProfile(profiles[0], ctx.repoRoot);
        md.push(`- V8 CPU profile of the server over start-up + ${profCalls} calls (\`node --cpu-prof\`): ${ms(s.totalMs)} ms sampled; self time per module:`);
        md.push('');
        md.push(...topLines(s.byModule, 10).map((l) => `  - ${l}`));
        md.push('');
        md.push('  Top functions:');
        md.push('');
        md.push(...topLines(s.byFunction, 10).map((l) => `  - ${l}`));
      }
    }
  } finally {
    for (const s of servers) await s.client.close().catch(() => undefined);
    await fake.close();
    home.cleanup();
  }
  return { id: 'B5', title: 'B5 — MCP overhead', headline, markdown: md.join('\n'), raw };
}
