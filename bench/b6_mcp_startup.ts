/**
 * B6 — MCP start-up: time from spawning `bin/codex-child-mcp` until its answer to `initialize`
 * arrives on stdout (and, after it, the `tools/list` answer), side by side with a bare
 * `node -e 0` (spawn → exit), interleaved ABBA. Target (issue 11): initialize within bare node
 * start-up + 30 ms. A measurement, never a test assertion.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { ms, msRange, pairedDiffs, summarize, table } from './lib/stats.js';

const TARGET_MS = 30;
const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const INITIALIZE = line({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
const INITIALIZED = line({ jsonrpc: '2.0', method: 'notifications/initialized' });
const LIST = line({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });

function timeBareNode(): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('close', () => resolve(performance.now() - start)));
}

/** Spawn → initialize answer, and spawn → tools/list answer (sent right after initialize). */
function timeServer(bin: string, repo: string): Promise<{ init: number; list: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, [bin], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ART_LOOP_REPO_ROOT: repo } });
  child.stdin.write(INITIALIZE);
  return new Promise((resolve, reject) => {
    let out = '';
    let init = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no answer within 60 s'));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const lines = out.split('\n').slice(0, -1);
      if (init === 0 && lines.length >= 1) {
        init = performance.now() - start;
        child.stdin.write(INITIALIZED + LIST);
      }
      if (lines.length >= 2) {
        const list = performance.now() - start;
        clearTimeout(timer);
        child.stdin.end();
        child.once('close', () => resolve({ init, list }));
      }
    });
  });
}

/** Runs B6. */
export async function benchMcpStartup(ctx: BenchContext): Promise<BenchSection> {
  const bin = path.join(ctx.repoRoot, 'bin', 'codex-child-mcp');
  const repo = mkdtempSync(path.join(ctx.tmpRoot, 'b6-'));
  const runs = ctx.quick ? 7 : 31;
  await timeServer(bin, repo); // warm the file cache
  const bare: number[] = [];
  const init: number[] = [];
  const list: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    checkDeadline(ctx, 'B6');
    const server = async () => {
      const t = await timeServer(bin, repo);
      init.push(t.init);
      list.push(t.list);
    };
    if (i % 2 === 0) {
      bare.push(await timeBareNode());
      await server();
    } else {
      await server();
      bare.push(await timeBareNode());
    }
  }
  const diff = summarize(pairedDiffs(init, bare));
  const diffList = summarize(pairedDiffs(list, bare));
  const b = summarize(bare);
  const s = summarize(init);
  const l = summarize(list);
  const headline: HeadlineRow[] = [
    { bench: 'B6', metric: 'MCP initialize answer − bare `node -e 0` (median of paired differences)', value: `${ms(diff.median)} ms (${ms(s.median)} vs ${ms(b.median)} ms)`, target: `≤ +${TARGET_MS} ms`, status: diff.median <= TARGET_MS ? 'met' : 'missed' },
    { bench: 'B6', metric: 'MCP tools/list answer − bare `node -e 0` (SDK loaded after initialize)', value: `${ms(diffList.median)} ms`, target: 'report', status: 'info' },
  ];
  const md = [
    `${runs} runs per arm, ABBA order. The server answers \`initialize\` from its own stdio transport before the SDK loads (src/mcp/early_stdio.ts); \`tools/list\` needs the SDK.`,
    '',
    table(
      ['arm', 'median (min–max) ms'],
      [
        ['`node -e 0` (spawn → exit)', msRange(b)],
        ['codex-child-mcp spawn → `initialize` answer', msRange(s)],
        ['codex-child-mcp spawn → `tools/list` answer', msRange(l)],
        ['initialize − bare node (paired)', msRange(diff)],
      ],
    ),
  ];
  return { id: 'B6', title: 'B6 — MCP start-up', headline, markdown: md.join('\n'), raw: { bare, init, list } };
}
