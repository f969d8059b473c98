/**
 * V8 CPU profiles (`node --cpu-prof` files, or the in-process inspector) reduced to "where the
 * time goes": self time per function and per module/file, largest first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** The `.cpuprofile` JSON shape. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A self-time entry. */
export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Totals of a profile. */
export interface ProfileSummary {
  totalMs: number;
  byFunction: SelfTime[];
  byModule: SelfTime[];
}

/** Shortens a script URL to something readable (package name or path below the repo). */
export function moduleLabel(url: string, repoRoot: string): string {
  if (url === '') return '(native/V8)';
  let p = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  if (p.startsWith('node:')) return p;
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 14).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `npm:${pkg}`;
  }
  if (p.startsWith(repoRoot)) p = path.relative(repoRoot, p);
  return p;
}

/** Self time per function and per module of a profile (sample-weighted when available). */
export function summarizeProfile(profile: CpuProfile, repoRoot: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas && profile.samples.length === profile.timeDeltas.length) {
    // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
    for (let i = 0; i < profile.samples.length; i += 1) {
      const id = profile.samples[i] as number;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] as number));
    }
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    for (const n of profile.nodes) selfUs.set(n.id, ((n.hitCount ?? 0) * total) / hits);
  }
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const label = moduleLabel(node.callFrame.url, repoRoot);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${label}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    mod.set(label, (mod.get(label) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m.entries()]
      .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { totalMs: totalUs / 1000, byFunction: rank(fn), byModule: rank(mod) };
}

/** Reads every `*.cpuprofile` in a directory. */
export function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as CpuProfile);
}

/** Profiles `work` in this process with the inspector's sampling profiler (interval in µs). */
export async function profileInProcess<T>(work: () => Promise<T>, intervalUs = 200): Promise<{ value: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const value = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return { value, profile };
  } finally {
    session.disconnect();
  }
}

/** Markdown lines "- 12.3 ms (45%) name" for the top entries. */
export function topLines(entries: readonly SelfTime[], count: number): string[] {
  return entries.slice(0, count).map((e) => `${e.ms.toFixed(1)} ms (${(e.share * 100).toFixed(0)}%) ${e.name}`);
}
