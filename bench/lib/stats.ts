/** Small statistics and formatting helpers for the benchmark tables. */

/** Summary of a sample. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
  mean: number;
}

/** Linear-interpolated quantile (q in [0, 1]) of an unsorted sample; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  return {
    n,
    median: median(values),
    min: n ? Math.min(...values) : Number.NaN,
    max: n ? Math.max(...values) : Number.NaN,
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    mean: n ? values.reduce((s, v) => s + v, 0) / n : Number.NaN,
  };
}

/** Element-wise a[i] / b[i] of paired (alternated) samples. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((a[i] as number) / (b[i] as number));
  return out;
}

/** Element-wise a[i] - b[i] of paired samples. */
export function pairedDiffs(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((a[i] as number) - (b[i] as number));
  return out;
}

/** "12.3" with a sensible number of decimals for milliseconds. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** "12.3 (10.1–15.0)" in ms. */
export function msRange(s: Summary): string {
  return `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(3)}×` : 'n/a';
}

export function ratioRange(s: Summary): string {
  return `${ratio(s.median)} (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
}

export function kbToMb(kb: number): string {
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MiB` : 'n/a';
}

/** A markdown table from a header and rows (cells are escaped for `|`). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(esc).join(' | ')} |`);
  return lines.join('\n');
}
