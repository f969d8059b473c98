/**
 * A candidate replacement for the fast-glob walk in src/infrastructure/adapter/codex/env_snapshot.ts,
 * kept here only to measure the suggested fix side by side (B3). Same semantics as V661's
 * `Path(root).resolve().rglob(".env*")` + `is_file()`: every directory walked (.git and
 * node_modules included), case-sensitive `.env` prefix on the entry name, symlinked directories
 * not descended, symlinked files hashed through their target, unreadable directories skipped.
 * The fingerprint format is the shipped one (sha256 hex, plus `→target` for a symlink).
 */
import { createHash } from 'node:crypto';
import { readdirSync, type Dirent } from 'node:fs';
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

async function fingerprint(absolute: string, isLink: boolean): Promise<string | null> {
  try {
    const target = await stat(absolute);
    if (!target.isFile()) return null;
  } catch {
    return null;
  }
  const digest = createHash('sha256').update(await readFile(absolute)).digest('hex');
  return isLink ? `${digest}→${await readlink(absolute)}` : digest;
}

/**
 * Walks `root` with `readdir(withFileTypes)` and at most `concurrency` directory reads in flight.
 * Returns relative path (with `/`) → fingerprint.
 */
export async function candidateSnapshot(root: string, concurrency = 16): Promise<Map<string, string>> {
  let base: string;
  try {
    base = await realpath(path.resolve(root));
  } catch {
    return new Map();
  }
  const hits: { rel: string; link: boolean }[] = [];
  const queue: string[] = [''];
  let active = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (queue.length === 0 && active === 0) return resolve();
      while (active < concurrency && queue.length > 0) {
        const rel = queue.pop() as string;
        active += 1;
        readdir(rel === '' ? base : path.join(base, rel), { withFileTypes: true })
          .then(
            (entries: Dirent[]) => {
              for (const e of entries) {
                const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
                if (e.isDirectory()) queue.push(childRel);
                else if (e.name.startsWith('.env')) hits.push({ rel: childRel, link: e.isSymbolicLink() });
              }
            },
            () => undefined, // unreadable directory: skipped, as rglob does
          )
          .finally(() => {
            active -= 1;
            pump();
          });
      }
    };
    pump();
  });
  const prints = await Promise.all(hits.map((h) => fingerprint(path.join(base, h.rel), h.link)));
  const snapshot = new Map<string, string>();
  hits.forEach((h, i) => {
    const p = prints[i];
    if (p != null) snapshot.set(h.rel, p);
  });
  return snapshot;
}

/**
 * The same walk with `readdirSync` (depth-first). Faster than the async walk on a warm cache, but
 * it blocks the event loop for the whole walk (~0.1 s per 100k entries): fine for the CLI, worth
 * thinking about in the MCP server where other calls share the loop.
 */
export async function candidateSnapshotSync(root: string): Promise<Map<string, string>> {
  let base: string;
  try {
    base = await realpath(path.resolve(root));
  } catch {
    return new Map();
  }
  const hits: { rel: string; link: boolean }[] = [];
  const walk = (abs: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return; // unreadable directory: skipped, as rglob does
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(`${abs}/${e.name}`, rel === '' ? e.name : `${rel}/${e.name}`);
      else if (e.name.startsWith('.env')) hits.push({ rel: rel === '' ? e.name : `${rel}/${e.name}`, link: e.isSymbolicLink() });
    }
  };
  walk(base, '');
  const prints = await Promise.all(hits.map((h) => fingerprint(path.join(base, h.rel), h.link)));
  const snapshot = new Map<string, string>();
  hits.forEach((h, i) => {
    const p = prints[i];
    if (p != null) snapshot.set(h.rel, p);
  });
  return snapshot;
}
