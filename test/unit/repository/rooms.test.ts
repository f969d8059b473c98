/**
 * The rooms of src/ keep their doors: the front doors (src/cli/, src/mcp/, src/index.ts) reach the
 * codex adapter only through its own module, src/infrastructure/adapter/codex/index.ts, and the
 * adapter never reaches back into a front door. Also, test/unit mirrors src/: a unit test file
 * sits where its source file does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/wrapper_harness.js';

const SRC = path.join(REPO_ROOT, 'src');
const ADAPTER = path.join(SRC, 'infrastructure', 'adapter', 'codex');
const ADAPTER_MODULE = path.join(ADAPTER, 'index.ts');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name));
}

/** The files a source file imports (relative specifiers only), as absolute .ts paths. */
export function relativeImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gm)].map((m) => m[1] as string);
  return specifiers.map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
}

function isFrontDoor(file: string): boolean {
  const rel = path.relative(SRC, file);
  return rel === 'index.ts' || rel.startsWith(`cli${path.sep}`) || rel.startsWith(`mcp${path.sep}`);
}

describe('rooms', () => {
  it('front doors import the adapter only through its module', () => {
    const offenders = tsFiles(SRC)
      .filter(isFrontDoor)
      .flatMap((file) =>
        relativeImports(file)
          .filter((target) => target.startsWith(ADAPTER + path.sep) && target !== ADAPTER_MODULE)
          .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the adapter imports no front door', () => {
    const offenders = tsFiles(path.join(SRC, 'infrastructure')).flatMap((file) =>
      relativeImports(file)
        .filter(isFrontDoor)
        .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the import check sees a deep adapter import (so it can fail)', () => {
    const file = path.join(SRC, 'mcp', 'example.ts');
    const found = relativeImports(file, "import { x } from '../infrastructure/adapter/codex/codex_adapter.js';\nexport { y } from './z.js';\n");
    expect(found).toEqual([path.join(ADAPTER, 'codex_adapter.ts'), path.join(SRC, 'mcp', 'z.ts')]);
  });

  it('every unit test file mirrors a source file', () => {
    const unit = path.join(REPO_ROOT, 'test', 'unit');
    const orphans = tsFiles(unit)
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => path.relative(unit, file))
      .filter((rel) => !rel.startsWith(`repository${path.sep}`)) // checks of the repository itself
      .filter((rel) => {
        const source = path.join(SRC, rel.replace(/\.test\.ts$/, '.ts'));
        const sourceDir = path.join(SRC, path.dirname(rel));
        if (!existsSync(sourceDir)) return true;
        // A source file's extra test files are named `<source>_<aspect>.test.ts`; a test of a
        // whole room (several of its files together) is named after the room.
        const stem = path.basename(rel, '.test.ts');
        const siblings = readdirSync(sourceDir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name.replace(/\.ts$/, ''));
        return !existsSync(source) && stem !== path.basename(sourceDir) && !siblings.some((name) => stem.startsWith(`${name}_`));
      });
    expect(orphans).toEqual([]);
  });
});
