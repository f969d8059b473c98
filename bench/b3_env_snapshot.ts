/**
 * B3 — `.env*` snapshot on a large tree.
 *
 * A generated tree of 100,000 files (a `.git/objects` store, a `node_modules` with 1,000 packages,
 * a `src` tree, and a few `.env*` files including ones inside .git and node_modules, a `.envrc` and
 * a `.env.d/` directory). Arms, alternated round by round after one warm-up round:
 *  - takeDotenvSnapshot (src/infrastructure/adapter/codex/env_snapshot.ts), in this process;
 *  - V661's method in python3: `Path(root).resolve().rglob('.env*')`, `is_file()`, sha256 of each
 *    hit — timed inside the interpreter (perf_counter) and as a whole process;
 *  - the walk as it shipped before (fast-glob, bench/lib/dotenv_fast_glob_reference.ts), as a reference.
 * All three must find the same files with the same hashes.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { takeDotenvSnapshot } from '../src/infrastructure/adapter/codex/env_snapshot.js';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { profileInProcess, summarizeProfile, topLines } from './lib/cpuprofile.js';
import { fastGlobSnapshot } from './lib/dotenv_fast_glob_reference.js';
import { run, which } from './lib/proc.js';
import { ms, msRange, pairedRatios, ratio, ratioRange, summarize, table } from './lib/stats.js';

const TARGET = 0.5;

const PY_SNAPSHOT = `
import hashlib, json, sys, time
from pathlib import Path
t0 = time.perf_counter()
root = Path(sys.argv[1]).resolve()
snap = {}
for p in root.rglob('.env*'):
    if p.is_file():
        snap[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "snapshot": snap}))
`;

/** The .env* files of the tree (relative paths) and the directories that look like them. */
const DOTENV_FILES = ['.env', '.env.local', 'src/m1/.env.test', 'src/.env.production', 'src/m7/.envrc', 'node_modules/pkg3/.env.example', 'node_modules/pkg9/lib/.env', '.git/.env.bak'];

/** Builds the tree; returns the number of regular files written. */
export function generateTree(root: string, totalFiles: number): { files: number; dirs: number } {
  let files = 0;
  const dirs = new Set<string>();
  const write = (rel: string, data: string) => {
    const full = path.join(root, rel);
    const parent = path.dirname(full);
    if (!dirs.has(parent)) {
      mkdirSync(parent, { recursive: true });
      dirs.add(parent);
    }
    writeFileSync(full, data);
    files += 1;
  };
  const budget = totalFiles - DOTENV_FILES.length - 1; // minus the .env files and the file in .env.d/
  const gitObjects = Math.round(budget * 0.3);
  const perPackage = 60;
  const packages = Math.floor((budget * 0.6) / perPackage);
  const srcFiles = budget - gitObjects - packages * perPackage;
  for (let i = 0; i < gitObjects; i += 1) {
    const h = (BigInt(i) * 2654435761n + 97n).toString(16).padStart(40, '0');
    write(`.git/objects/${h.slice(0, 2)}/${h.slice(2)}`, 'x');
  }
  for (let p = 0; p < packages; p += 1) {
    write(`node_modules/pkg${p}/package.json`, `{"name":"pkg${p}"}`);
    for (let f = 1; f < perPackage; f += 1) write(`node_modules/pkg${p}/lib/d${f % 5}/f${f}.js`, 'module.exports = 1;\n');
  }
  for (let i = 0; i < srcFiles; i += 1) write(`src/m${Math.floor(i / 50)}/f${i}.ts`, 'export {};\n');
  for (const rel of DOTENV_FILES) write(rel, `SECRET_${rel.length}=value\n`);
  write('src/.env.d/ignored.txt', 'a directory named like .env*, never a hit\n');
  // A symlinked .env file (hashed through its target) — the shipped code records the link target.
  symlinkSync('.env.local', path.join(root, '.env.link'));
  return { files, dirs: dirs.size };
}

export async function benchEnvSnapshot(ctx: BenchContext): Promise<BenchSection> {
  const dir = path.join(ctx.tmpRoot, 'b3');
  const root = path.join(dir, 'tree');
  mkdirSync(root, { recursive: true });
  const total = ctx.quick ? 20_000 : 100_000;
  const python = which('python3');
  if (python === null) throw new Error('python3 is not installed: B3 compares against it');
  ctx.log(`B3: generating a tree of ${total.toLocaleString('en-US')} files`);
  const t0 = performance.now();
  const tree = generateTree(root, total);
  ctx.log(`B3: tree ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${tree.files} files, ${tree.dirs} directories)`);

  const samples = { node: [] as number[], pyInner: [] as number[], pyProcess: [] as number[], fastGlob: [] as number[] };
  const mismatches: string[] = [];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };

  const nodeArm = async () => {
    const t = performance.now();
    const r = await takeDotenvSnapshot(root);
    const dt = performance.now() - t;
    if (!r.ok) throw new Error(`takeDotenvSnapshot failed: ${r.error.message}`);
    return { dt, snap: new Map(r.value.snapshot) };
  };
  const pyArm = async () => {
    const r = await run(python, ['-c', PY_SNAPSHOT, root], { env, stdout: 'pipe', stderr: 'pipe', timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`python snapshot failed: ${r.stderr.toString('utf8').slice(0, 400)}`);
    const parsed = JSON.parse(r.stdout.toString('utf8')) as { ms: number; snapshot: Record<string, string> };
    return { inner: parsed.ms, wall: r.wallMs, snap: new Map(Object.entries(parsed.snapshot)) };
  };
  const fastGlobArm = async () => {
    const t = performance.now();
    const snap = await fastGlobSnapshot(root);
    return { dt: performance.now() - t, snap };
  };
  const stripLinks = (m: Map<string, string>) => new Map([...m].map(([k, v]) => [k, v.split('→')[0] as string]));
  const compare = (label: string, a: Map<string, string>, b: Map<string, string>) => {
    const keys = new Set([...a.keys(), ...b.keys()]);
    for (const k of keys) if (a.get(k) !== b.get(k)) mismatches.push(`${label}: ${k} ${a.get(k) ?? '(missing)'} vs ${b.get(k) ?? '(missing)'}`);
  };

  // warm-up: fills the dentry/inode caches for everyone alike
  const w1 = await nodeArm();
  const w2 = await pyArm();
  const w3 = await fastGlobArm();
  compare('node vs python (link targets stripped)', stripLinks(w1.snap), w2.snap);
  compare('fast-glob reference vs node', w3.snap, w1.snap);
  const found = w1.snap.size;

  const rounds = ctx.quick ? 5 : 15;
  ctx.log(`B3: ${rounds} alternated rounds`);
  for (let r = 0; r < rounds; r += 1) {
    checkDeadline(ctx, `B3 round ${r + 1}`);
    const arms = [
      async () => samples.node.push((await nodeArm()).dt),
      async () => {
        const p = await pyArm();
        samples.pyInner.push(p.inner);
        samples.pyProcess.push(p.wall);
      },
      async () => samples.fastGlob.push((await fastGlobArm()).dt),
    ];
    for (let i = 0; i < arms.length; i += 1) await (arms[(i + r) % arms.length] as () => Promise<unknown>)();
  }

  const node = summarize(samples.node);
  const pyInner = summarize(samples.pyInner);
  const pyProc = summarize(samples.pyProcess);
  const fastGlobRef = summarize(samples.fastGlob);
  const headlineRatio = node.median / pyInner.median;
  const md: string[] = [];
  md.push(
    `Tree: ${tree.files.toLocaleString('en-US')} regular files in ${tree.dirs.toLocaleString('en-US')} directories (30% a \`.git/objects\` store, ` +
      `60% \`node_modules/pkgN/lib/dK/*.js\`, the rest \`src/mK/*.ts\`), plus ${DOTENV_FILES.length} \`.env*\` files ` +
      '(root, src, inside `.git` and `node_modules`, a `.envrc`), a `src/.env.d/` directory and a symlink `.env.link → .env.local`; ' +
      `${found} entries in the snapshot. Page cache warm (one warm-up round for every arm; dropping caches is not possible here), ` +
      `then ${rounds} rounds, the arm order rotated every round.`,
  );
  md.push('');
  md.push(
    'Arms: **takeDotenvSnapshot** = the shipped function (a `readdir(withFileTypes)` walk, 16 reads in flight, no symlink following, then ' +
      'stat + streamed SHA-256 per hit) called in the benchmark process; **python3 rglob** = V661\'s method ' +
      '(`Path(root).resolve().rglob(".env*")`, `is_file()`, `hashlib.sha256(read_bytes())`) timed with `perf_counter` inside ' +
      'python3 (no interpreter start-up), and the same as a whole `python3 -c` process (what V661 paid per snapshot); ' +
      '**fast-glob** = bench/lib/dotenv_fast_glob_reference.ts: the walk as it shipped before (`**/.env*`, `dot`, `onlyFiles:false`, ' +
      '64 reads in flight), with the shipped fingerprints (same results, checked).',
  );
  md.push('');
  md.push(
    table(
      ['arm', 'n', 'median ms (min–max)', 'ratio to python3 in-process (median of per-round ratios)'],
      [
        ['takeDotenvSnapshot (shipped)', String(node.n), msRange(node), `${ratio(headlineRatio)} (${ratioRange(summarize(pairedRatios(samples.node, samples.pyInner)))})`],
        ['python3 rglob, timed in-process', String(pyInner.n), msRange(pyInner), '1'],
        ['python3 rglob, whole process', String(pyProc.n), msRange(pyProc), ratio(pyProc.median / pyInner.median)],
        ['fast-glob walk (the previous implementation)', String(fastGlobRef.n), msRange(fastGlobRef), `${ratio(fastGlobRef.median / pyInner.median)} (${ratioRange(summarize(pairedRatios(samples.fastGlob, samples.pyInner)))})`],
      ],
    ),
  );
  md.push('');
  md.push(`- takeDotenvSnapshot vs the python3 process as V661 ran it: ${ratio(node.median / pyProc.median)}.`);
  md.push(`- Results identical across arms: ${mismatches.length === 0 ? 'yes' : `NO — ${mismatches.slice(0, 5).join('; ')}`} (python3 has no link-target suffix; compared without it).`);
  const headline: HeadlineRow[] = [
    {
      bench: 'B3',
      metric: `takeDotenvSnapshot / python3 rglob+sha256 (${(total / 1000).toFixed(0)}k files, both timed in-process)`,
      value: `${ratio(headlineRatio)} (${ms(node.median)} vs ${ms(pyInner.median)} ms)`,
      target: `≤ ${TARGET}×`,
      status: mismatches.length ? 'error' : headlineRatio <= TARGET ? 'met' : 'missed',
    },
    {
      bench: 'B3',
      metric: 'same, against the whole python3 process (V661 paid its start-up per snapshot)',
      value: `${ratio(node.median / pyProc.median)} (${ms(node.median)} vs ${ms(pyProc.median)} ms)`,
      target: 'report',
      status: 'info',
    },
  ];

  if (headline[0]?.status === 'missed' || process.env.BENCH_PROFILE === '1') {
    checkDeadline(ctx, 'B3 profile');
    ctx.log('B3: profiling takeDotenvSnapshot');
    const profiled = await profileInProcess(() => takeDotenvSnapshot(root), 100);
    const summary = summarizeProfile(profiled.profile, ctx.repoRoot);
    md.push('');
    md.push('### B3 profile — where takeDotenvSnapshot\'s time goes');
    md.push('');
    md.push(`In-process V8 sampling profile (node:inspector, 100 µs) of one call: ${ms(summary.totalMs)} ms sampled. Self time per module:`);
    md.push('');
    md.push(...topLines(summary.byModule, 8).map((l) => `- ${l}`));
    md.push('');
    md.push('Top functions by self time:');
    md.push('');
    md.push(...topLines(summary.byFunction, 12).map((l) => `- ${l}`));
    md.push('');
  }
  rmSync(root, { recursive: true, force: true });
  return { id: 'B3', title: 'B3 — .env snapshot', headline, markdown: md.join('\n'), raw: { tree, found, samples, mismatches } };
}
