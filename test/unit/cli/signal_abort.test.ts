/**
 * installSignalAbort in a real child process: a real SIGTERM/SIGINT/SIGHUP aborts the signal with
 * `{ signal }`, sets exitCode 128+N and does not kill the process (cleanup can run); dispose()
 * gives the signal back to its default action.
 */
import { describe, expect, it } from 'vitest';
import { src, startScript } from '../../support/tsx_script.js';

const SCRIPT = `
import { installSignalAbort } from ${src('cli/signal_abort.js')};
const wiring = installSignalAbort();
wiring.signal.addEventListener('abort', () => {
  console.log('ABORT ' + JSON.stringify(wiring.signal.reason) + ' received=' + wiring.received + ' exitCode=' + process.exitCode);
  if (process.env.DISPOSE_AFTER === '1') { wiring.dispose(); console.log('disposed'); }
  else setTimeout(() => { console.log('cleaned up'); }, 50);
});
console.log('ready received=' + wiring.received + ' aborted=' + wiring.signal.aborted);
if (process.env.DISPOSE_AT_ONCE === '1') { wiring.dispose(); console.log('disposed'); }
setTimeout(() => {}, 60_000).unref();
setInterval(() => {}, 1000);
if (process.env.DISPOSE_AFTER !== '1' && process.env.DISPOSE_AT_ONCE !== '1') wiring.signal.addEventListener('abort', () => setTimeout(() => process.exit(), 100));
`;

describe('installSignalAbort', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s aborts with the signal name, exits %i after cleaning up', async (name, code) => {
    const run = startScript(SCRIPT);
    await run.waitForOutput('ready');
    expect(run.stdout()).toContain('ready received=false aborted=false');
    run.child.kill(name);
    const end = await run.done;
    expect(end.stdout).toContain(`ABORT {"signal":"${name}"} received=true exitCode=${code}`);
    expect(end.stdout).toContain('cleaned up');
    expect(end.signal).toBeNull();
    expect(end.code).toBe(code);
  });

  it('dispose() removes the handlers: the next signal kills the process by its default action', async () => {
    const run = startScript(SCRIPT, { env: { ...process.env, DISPOSE_AT_ONCE: '1' } });
    await run.waitForOutput('disposed');
    run.child.kill('SIGTERM');
    const end = await run.done;
    expect(end.stdout).not.toContain('ABORT');
    expect(end.signal).toBe('SIGTERM');
  });

  it('only the first signal counts; after dispose a second one is not swallowed', async () => {
    const run = startScript(SCRIPT, { env: { ...process.env, DISPOSE_AFTER: '1' } });
    await run.waitForOutput('ready');
    run.child.kill('SIGINT');
    await run.waitForOutput('disposed');
    run.child.kill('SIGINT');
    const end = await run.done;
    expect(end.stdout.match(/ABORT/g)).toHaveLength(1);
    expect(end.signal).toBe('SIGINT');
  });
});
