/**
 * Turns SIGTERM/SIGINT/SIGHUP into an AbortSignal whose reason names the signal, so a running
 * codex tree is torn down and the process exits 128+N (143/130/129) after cleaning up. A signal
 * that arrives before any run started ends the process at once with that code.
 */
import { HANDLED_SIGNALS, signalExitCode, type HandledSignal } from '../infrastructure/process/signals.js';

/** The abort wiring of one CLI invocation. */
export interface SignalAbort {
  signal: AbortSignal;
  /** True once a signal arrived. */
  readonly received: boolean;
  dispose(): void;
}

/** Installs the handlers; call `dispose()` when the run is over. */
export function installSignalAbort(): SignalAbort {
  const controller = new AbortController();
  let received = false;
  const handlers = new Map<HandledSignal, () => void>();
  for (const name of HANDLED_SIGNALS) {
    const handler = () => {
      received = true;
      process.exitCode = signalExitCode(name);
      controller.abort({ signal: name });
    };
    handlers.set(name, handler);
    process.on(name, handler);
  }
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
