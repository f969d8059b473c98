/** containment.ts: the forced fallback, the probed mechanism and the teardown wording. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { chooseContainment, CONTAINMENT_SWITCH, describeTeardown, detectNamespaceSupport } from '../../../../src/infrastructure/process/containment.js';

describe('chooseContainment', () => {
  it('is tracking when CODEX_CHILD_CONTAINMENT=tracking, else what the machine allows', async () => {
    expect(CONTAINMENT_SWITCH).toBe('CODEX_CHILD_CONTAINMENT');
    expect(await chooseContainment({ CODEX_CHILD_CONTAINMENT: 'tracking' })).toBe('tracking');
    expect(await chooseContainment({ CODEX_CHILD_CONTAINMENT: 'pidns' })).toBe(await detectNamespaceSupport());
    expect(await chooseContainment({})).toBe(await detectNamespaceSupport());
  });

  it('detects what unshare really allows here (the same probe, run independently)', async () => {
    const works = (args: string[]) => spawnSync('unshare', [...args, 'true'], { timeout: 10_000 }).status === 0;
    const expected =
      process.platform !== 'linux'
        ? 'tracking'
        : works(['--pid', '--fork', '--kill-child', '--mount-proc'])
          ? 'pidns'
          : works(['--user', '--map-root-user', '--pid', '--fork', '--kill-child', '--mount-proc'])
            ? 'userns'
            : 'tracking';
    expect(await detectNamespaceSupport()).toBe(expected);
  });
});

describe('describeTeardown', () => {
  it('says what was killed, naming the limit of tracking', () => {
    expect(describeTeardown('tracking')).toMatch(/run marker.*a process that cleared CODEX_CHILD_RUN_ID from its environment is not found/);
    for (const c of ['pidns', 'userns'] as const) expect(describeTeardown(c)).toBe("codex's PID namespace was ended, which kills every process of the run");
  });
});
