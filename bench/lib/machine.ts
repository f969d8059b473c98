/** Machine and tool versions for the report header, so a reader can judge and rerun the figures. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { resolveCodexBinary } from '../../src/devtools/hermetic_codex.js';
import { firstLine, HAVE_GNU_TIME, which } from './proc.js';

/** One "name: value" pair per line of the header. */
export type MachineInfo = [string, string][];

function cpuModel(): string {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.*)$/m.exec(text)?.[1];
    if (model) return model.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function memTotal(): string {
  return `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
}

/** Collects the header facts (cheap: a few `--version` calls). */
export function machineInfo(): MachineInfo {
  let codex = 'not installed';
  try {
    const bin = resolveCodexBinary();
    codex = `${firstLine(bin, ['--version'])} (${bin.includes('vendor') ? 'native binary' : 'npm launcher'})`;
  } catch {
    // leave "not installed"
  }
  const awk = which('awk');
  const gawk = which('gawk');
  const mawk = which('mawk');
  const nproc = firstLine('nproc', []);
  return [
    ['date', new Date().toISOString()],
    ['cpu', cpuModel()],
    ['cores', `${os.cpus().length} logical (nproc ${nproc || '?'})`],
    ['memory', memTotal()],
    ['kernel', `${os.type()} ${os.release()} ${os.arch()}`],
    ['load average at start', os.loadavg().map((l) => l.toFixed(2)).join(' ')],
    ['node', process.version],
    ['codex', codex],
    ['awk (executor default)', awk ? `${awk} → ${firstLine('awk', ['-W', 'version']) || firstLine('awk', ['--version'])}` : 'missing'],
    ['mawk', mawk ? firstLine('mawk', ['-W', 'version']) : 'not installed'],
    ['gawk', gawk ? firstLine('gawk', ['--version']) : 'not installed'],
    ['bash', firstLine('bash', ['--version'])],
    ['python3', firstLine('python3', ['--version']) || 'not installed'],
    ['GNU time', HAVE_GNU_TIME ? firstLine('/usr/bin/time', ['--version']) || '/usr/bin/time' : 'missing'],
    ['strace', which('strace') ? firstLine('strace', ['-V']) : 'missing (no process timelines)'],
  ];
}
