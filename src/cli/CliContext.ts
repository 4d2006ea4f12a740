import type { DaemonClient } from './DaemonClient.js';

export interface CliIo {
  readonly stdout: { write(text: string): void; isTTY?: boolean };
  readonly stderr: { write(text: string): void; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** What a command runs with: its parsed options and positionals, the client, and how to print. */
export interface CliContext {
  readonly io: CliIo;
  readonly client: DaemonClient;
  readonly json: boolean;
  readonly language: 'zh-CN' | 'en';
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Prints a value as the command's JSON output (one document). */
  printJson(value: unknown): void;
  print(text: string): void;
}
