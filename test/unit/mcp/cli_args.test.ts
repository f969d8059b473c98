/** Command line of codex-child-mcp: serve, --help/--version, setup, doctor, one-line usage errors. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../src/mcp/cli_args.js';

describe('parseCliArgs', () => {
  it('serves with no arguments; --help and --version win over anything else', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'serve' });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseCliArgs(['setup', 'codex', '--help'])).toEqual({ kind: 'help' });
  });

  it('parses setup codex|claude with --repo-root, --name and --print', () => {
    expect(parseCliArgs(['setup', 'codex', '--repo-root', '/r'])).toEqual({ kind: 'setup', host: 'codex', repoRoot: '/r', name: 'art-loop', print: false });
    expect(parseCliArgs(['setup', 'claude', '--repo-root=.', '--name', 'x_1', '--print'])).toEqual({ kind: 'setup', host: 'claude', repoRoot: '.', name: 'x_1', print: true });
  });

  it('parses doctor with an optional --repo-root', () => {
    expect(parseCliArgs(['doctor'])).toEqual({ kind: 'doctor', repoRoot: undefined });
    expect(parseCliArgs(['doctor', '--repo-root', '/r'])).toEqual({ kind: 'doctor', repoRoot: '/r' });
  });

  it('turns every misuse into one usage line', () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /^unknown command "bogus"/],
      [['setup'], /^setup needs a host/],
      [['setup', 'vim', '--repo-root', '/r'], /^setup needs a host/],
      [['setup', 'codex'], /^setup codex needs --repo-root DIR$/],
      [['setup', 'codex', '--repo-root', '/r', '--name', 'a.b'], /^--name must be/],
      [['setup', 'codex', '--repo-root', '/r', 'extra'], /takes no argument "extra"/],
      [['--frobnicate'], /frobnicate/],
      [['--print'], /needs a command/],
      [['doctor', '--print'], /^doctor accepts only --repo-root$/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseCliArgs(argv);
      expect(parsed.kind, argv.join(' ')).toBe('usage_error');
      if (parsed.kind === 'usage_error') {
        expect(parsed.message).toMatch(message);
        expect(parsed.message).not.toContain('\n');
      }
    }
  });
});
