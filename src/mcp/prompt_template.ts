/**
 * The artist's prompt lives in a replaceable template file (`templates/art_loop_artist_prompt.md`,
 * or `ART_LOOP_PROMPT_TEMPLATE`). Placeholders are `{{name}}` (blanks inside the braces allowed).
 * An unknown placeholder is a configuration error found at start-up, never a silent blank.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type Result } from '../domain/result.js';

/** Every placeholder a template may use, with its meaning. */
export const ARTIST_PLACEHOLDERS = {
  variant_dir: 'the variant directory relative to the repo root, `/` separators',
  variant_dir_abs: 'the variant directory as an absolute path',
  repo_root: 'the repository root (absolute)',
  runs_root: 'the runs root (absolute)',
  artist_context: '<variant_dir>/artist_context.json',
  creative_brief: '<variant_dir>/creative_brief.json',
  sketch_py: '<variant_dir>/sketch.py',
  out_png: '<variant_dir>/out.png',
  artifact_json: '<variant_dir>/artifact.json',
  stdout_txt: '<variant_dir>/stdout.txt',
  stderr_txt: '<variant_dir>/stderr.txt',
  callable_ref: 'the module path of sketch.py with `:draw`, e.g. `sketch.agent_loop.runs.r.iter_01.v01.sketch:draw`',
  python: 'the Python interpreter of the render command (ART_LOOP_PYTHON, default python3)',
} as const;

/** A placeholder name. */
export type ArtistPlaceholder = keyof typeof ARTIST_PLACEHOLDERS;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct placeholder names used in `template`, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Checks a template against the known names.
 * @returns null when fine, else a one-line message naming the unknown placeholders.
 */
export function checkTemplate(template: string, known: readonly string[], source: string): string | null {
  if (template.trim() === '') return `prompt template is empty: ${source}`;
  const unknown = placeholdersIn(template).filter((name) => !known.includes(name));
  if (unknown.length === 0) return null;
  return `prompt template ${source} uses unknown placeholder(s) ${unknown.map((n) => `{{${n}}}`).join(', ')}; known: ${known.join(', ')}`;
}

/**
 * Replaces each `{{name}}` with `values[name]`. Names missing from `values` are left untouched
 * (call {@link checkTemplate} first to rule them out). Replacement text is inserted literally.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? (values[name] as string) : whole));
}

/** A loaded, checked template. */
export interface LoadedTemplate {
  path: string;
  text: string;
}

/**
 * Reads and checks the artist template.
 * @returns the template, or a one-line error message.
 */
export async function loadArtistTemplate(file: string): Promise<Result<LoadedTemplate, string>> {
  let text: string;
  try {
    // O_NONBLOCK and a regular-file check: a FIFO or device named here must not hang start-up.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) return err(`prompt template ${file} is not a regular file (ART_LOOP_PROMPT_TEMPLATE)`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return err(`cannot read prompt template ${file}: ${code} (ART_LOOP_PROMPT_TEMPLATE)`);
  }
  const problem = checkTemplate(text, Object.keys(ARTIST_PLACEHOLDERS), file);
  return problem === null ? ok({ path: file, text }) : err(problem);
}

/** Inputs of {@link artistPromptValues}. */
export interface ArtistPromptInput {
  repoRoot: string;
  runsRoot: string;
  /** Absolute, resolved variant directory. */
  variantDir: string;
  /** The variant directory as shown to the artist (relative to the repo root when inside it). */
  variantRel: string;
  python: string;
}

/** The values of every {@link ARTIST_PLACEHOLDERS} entry for one variant. */
export function artistPromptValues(input: ArtistPromptInput): Record<ArtistPlaceholder, string> {
  const v = input.variantRel;
  const module = v.replace(/^\/+/, '').split('/').join('.');
  return {
    variant_dir: v,
    variant_dir_abs: input.variantDir.split(path.sep).join('/'),
    repo_root: input.repoRoot,
    runs_root: input.runsRoot,
    artist_context: `${v}/artist_context.json`,
    creative_brief: `${v}/creative_brief.json`,
    sketch_py: `${v}/sketch.py`,
    out_png: `${v}/out.png`,
    artifact_json: `${v}/artifact.json`,
    stdout_txt: `${v}/stdout.txt`,
    stderr_txt: `${v}/stderr.txt`,
    callable_ref: `${module}.sketch:draw`,
    python: input.python,
  };
}
