/** Exit code of an invocation stopped by Ctrl-C (128 + SIGINT, as shells report it). */
export const INTERRUPTED_EXIT = 130;

/** Ctrl-C while following a job that was left running in fiscald: runCli says how to find it again, exit 130. */
export class JobLeftRunning extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} left running`);
    this.name = 'JobLeftRunning';
  }
}
