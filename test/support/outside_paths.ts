/**
 * Finds references to files outside the repository in test, bench, demo, tools and CI sources:
 * the suite must run from a plain clone with no sibling folders (issue 8).
 */
import path from 'node:path';

/** One reference that leaves the repository. */
export interface OutsideReference {
  line: number;
  text: string;
  why: string;
}

// Spelled in pieces so this file does not match its own rules.
const SHARED = ['sha', 'red'].join('');
const SIBLING_RULES: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(`\\.\\./${SHARED}\\b`), `a sibling ${SHARED}/ folder`],
  [new RegExp(`'\\.\\.'\\s*,\\s*'${SHARED}'`), `a sibling ${SHARED}/ folder`],
  [new RegExp(`${SHARED}/fixtures`), `the ${SHARED} fixtures (use test/fixtures/)`],
  // /work/ws is the fixtures' normalised workspace placeholder, not a path anybody reads.
  [/(?<![\w.-])\/(?:work(?!\/ws\b)|home|Users|root)\/[\w.-]/, 'an absolute path on the author\'s machine'],
];

const segments = (list: string) => [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');

/**
 * References in `source` (the text of `file`, inside `repoRoot`) that point outside the repository:
 * sibling folders, absolute machine paths, and imports or `dirname`/`ROOT`-relative paths that
 * resolve above the root.
 */
export function outsideReferences(source: string, file: string, repoRoot: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  const root = path.resolve(repoRoot);
  const escapes = (target: string) => {
    const rel = path.relative(root, target);
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  source.split('\n').forEach((text, index) => {
    const add = (why: string) => found.push({ line: index + 1, text: text.trim(), why });
    for (const [rule, why] of SIBLING_RULES) if (rule.test(text)) add(why);
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)'(\.\.?\/[^']*)'/g)) {
      if (escapes(path.resolve(path.dirname(file), m[1] ?? ''))) add(`import ${m[1]} leaves the repository`);
    }
    for (const m of text.matchAll(/(import\.meta\.dirname|__dirname|\bREPO_ROOT|\bROOT)\s*,\s*((?:'[^']*'\s*,?\s*)+)/g)) {
      const base = m[1] === 'import.meta.dirname' || m[1] === '__dirname' ? path.dirname(file) : root;
      if (escapes(path.resolve(base, ...segments(m[2] ?? '')))) add(`${m[1]}-relative path leaves the repository`);
    }
  });
  return found;
}
