/** The recorded codex 0.169 output the tests replay (test/fixtures/codex-0.169, see its README). */
import path from 'node:path';

/** Absolute path of the fixture directory inside this repository. */
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '..', 'fixtures', 'codex-0.169');

/** Absolute path of one fixture file. */
export const fixturePath = (name: string): string => path.join(FIXTURES_DIR, name);
