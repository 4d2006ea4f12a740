import { createInterface } from 'node:readline/promises';
import { runCli } from './runCli.js';

/** A question on the terminal: only when both stdin and stderr are one (prompts go to stderr, stdout stays the answer). */
async function ask(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Ctrl-C at a prompt answers it with nothing (no, leave it) instead of pausing the prompt for ever.
  rl.on('SIGINT', () => rl.close());
  try {
    return await rl.question(prompt);
  } catch {
    return '';
  } finally {
    rl.close();
  }
}

function onInterrupt(handler: () => void): () => void {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

const terminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout, stderr: process.stderr, env: process.env, onInterrupt, ...(terminal ? { ask } : {}),
});
