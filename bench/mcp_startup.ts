/**
 * MCP start-up: time from spawning `bin/codex-child-mcp` until its answer to `initialize` arrives
 * on stdout, side by side with a bare `node -e 0` (spawn → exit) on the same machine, interleaved.
 * Target (issue 11): initialize within bare node start-up + 30 ms. A measurement, never a test.
 *
 *   npm run build && npx tsx bench/mcp_startup.ts [runs]     (default 21 runs per arm)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'codex-child-mcp');
const INITIALIZE = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`;

function timeNodeBare(): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('close', () => resolve(performance.now() - start)));
}

function timeInitialize(repo: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [BIN], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ART_LOOP_REPO_ROOT: repo } });
  child.stdin.write(INITIALIZE);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no initialize answer within 30 s')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!out.includes('\n')) return;
      const elapsed = performance.now() - start;
      clearTimeout(timer);
      if (!out.includes('"result"')) reject(new Error(`unexpected answer: ${out}`));
      child.stdin.end();
      child.once('close', () => resolve(elapsed));
    });
  });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] as number;
};

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 21);
  const repo = mkdtempSync(path.join(os.tmpdir(), 'mcp-startup-'));
  try {
    await timeInitialize(repo); // warm the file cache once
    const bare: number[] = [];
    const init: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      // ABBA order so drift in machine load hits both arms alike.
      if (i % 2 === 0) {
        bare.push(await timeNodeBare());
        init.push(await timeInitialize(repo));
      } else {
        init.push(await timeInitialize(repo));
        bare.push(await timeNodeBare());
      }
    }
    const diffs = init.map((v, i) => v - (bare[i] as number));
    const row = (name: string, v: number[]) => `| ${name} | ${quantile(v, 0.5).toFixed(1)} | ${quantile(v, 0.1).toFixed(1)} | ${quantile(v, 0.9).toFixed(1)} |`;
    process.stdout.write(
      [`${runs} runs per arm, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`, '', '| arm | median ms | p10 ms | p90 ms |', '|---|---|---|---|', row('`node -e 0` (spawn → exit)', bare), row('codex-child-mcp (spawn → initialize answer)', init), row('difference (paired)', diffs), ''].join('\n'),
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

await main();
