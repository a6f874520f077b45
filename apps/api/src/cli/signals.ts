/**
 * The one place the CLI listens to process signals: resolves with the first
 * SIGINT or SIGTERM and removes its listeners, so a second Ctrl-C falls back
 * to Node's default (exit at once) if a clean shutdown hangs.
 */
export function waitForTerminationSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
