import type { Command } from './Command.js';
import type { DaemonClient } from './DaemonClient.js';

export interface CliIo {
  readonly stdout: { write(text: string): void; isTTY?: boolean; columns?: number };
  readonly stderr: { write(text: string): void; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Asks a question on the terminal and gives the line typed; absent when stdin or stderr is not a terminal. */
  readonly ask?: (prompt: string) => Promise<string>;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called; absent in embedders that have none. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

/** What a command runs with: its parsed options and positionals, the client, and how to print. */
export interface CliContext {
  readonly io: CliIo;
  readonly client: DaemonClient;
  readonly json: boolean;
  readonly language: 'zh-CN' | 'en';
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Every command of this fiscalctl (watch finds the one that shows a job kind's result). */
  readonly commands: readonly Command[];
  /** Prints a value as the command's JSON output (one document). */
  printJson(value: unknown): void;
  print(text: string): void;
}
