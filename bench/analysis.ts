/**
 * The "Missed targets" part of the report: generated from the headline rows, followed by the
 * hand-written findings in bench/analysis.md (profile reading and suggested fixes in files the
 * benchmark does not own), which is copied into the report verbatim.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepoRoot, type BenchSection } from './lib/context.js';

export function analysis(sections: readonly BenchSection[]): string {
  const rows = sections.flatMap((s) => s.headline);
  const missed = rows.filter((r) => r.status === 'missed');
  const errors = rows.filter((r) => r.status === 'error' || r.status === 'todo');
  const out: string[] = [];
  out.push('## Missed targets');
  out.push('');
  if (missed.length === 0) out.push('None in this run.');
  for (const r of missed) out.push(`- **${r.bench}** ${r.metric}: ${r.value} (target ${r.target}) — profile in the ${r.bench} section below.`);
  for (const r of errors) out.push(`- **${r.bench}** ${r.metric}: ${r.value} (${r.status})`);
  const notes = path.join(findRepoRoot(), 'bench', 'analysis.md');
  if (existsSync(notes)) {
    out.push('');
    out.push(readFileSync(notes, 'utf8').trim());
  }
  return out.join('\n');
}
