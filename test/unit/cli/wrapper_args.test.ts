/** parseWrapperArgs / wrapperHelp: the drop-in takes no arguments but --help and --version. */
import { describe, expect, it } from 'vitest';
import { parseWrapperArgs, WRAPPER_USAGE, wrapperHelp } from '../../../src/cli/wrapper_args.js';

describe('parseWrapperArgs', () => {
  it('runs with no arguments (the V661 call)', () => {
    expect(parseWrapperArgs([])).toEqual({ kind: 'run' });
  });

  it('knows --help/-h and --version/-V; help wins when both are given', () => {
    expect(parseWrapperArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseWrapperArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseWrapperArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseWrapperArgs(['-V'])).toEqual({ kind: 'version' });
    expect(parseWrapperArgs(['-V', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], /^codex-wrapper: Unknown option '--bogus'/],
    [['payload.json'], /^codex-wrapper: Unexpected argument 'payload.json'/],
    [['--help=yes'], /^codex-wrapper: Option '-h, --help' does not take an argument/],
    [['-x'], /^codex-wrapper: Unknown option '-x'/],
  ])('%j is a one-line usage error that ends with the usage', (argv, start) => {
    const parsed = parseWrapperArgs(argv);
    expect(parsed.kind).toBe('usage_error');
    const message = (parsed as { message: string }).message;
    expect(message).toMatch(start);
    expect(message).not.toContain('\n');
    expect(message.endsWith(`; ${WRAPPER_USAGE}`)).toBe(true);
  });

  it('survives hostile argument text (huge, control characters) without throwing', () => {
    const parsed = parseWrapperArgs([`--${'x'.repeat(100_000)}`, '\u0000\n']);
    expect(parsed.kind).toBe('usage_error');
  });
});

describe('wrapperHelp', () => {
  it('names the version, the usage line, the exit codes and both options', () => {
    const text = wrapperHelp('9.8.7');
    expect(text.split('\n')[0]).toMatch(/^codex-wrapper 9\.8\.7: /);
    expect(text).toContain(WRAPPER_USAGE);
    expect(text).toContain('Exit codes: 0 ok, 1 codex missing');
    expect(text).toMatch(/-h, --help/);
    expect(text).toMatch(/-V, --version/);
    expect(text.endsWith('\n')).toBe(true);
  });
});
