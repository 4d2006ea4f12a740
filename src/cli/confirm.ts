import { GatewayError } from '../../contracts/errors/index.js';
import type { CliContext } from './CliContext.js';
import { cliText } from './cliText.js';

/**
 * The one confirmation every state-changing command goes through: it shows what will be done (stderr, so stdout
 * stays for the result), then --yes goes ahead, a terminal is asked (y/yes/是), and without either the command is
 * refused as a usage error naming --yes. Returns false when the person said no (nothing was changed).
 */
export async function confirmChange(ctx: CliContext, plan: readonly string[]): Promise<boolean> {
  if (!ctx.json) ctx.io.stderr.write(`${cliText(ctx.language, 'willDo')}\n${plan.map((line) => `  ${line}\n`).join('')}`);
  if (ctx.options.yes === true) return true;
  if (!ctx.io.ask) throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'needsYes') } });
  const answer = (await ctx.io.ask(cliText(ctx.language, 'confirmPrompt'))).trim().toLowerCase();
  if (['y', 'yes', '是', '确认'].includes(answer)) return true;
  ctx.io.stderr.write(`${cliText(ctx.language, 'notConfirmed')}\n`);
  return false;
}

/** `--dry-run`: the plan alone, on stdout (it is the command's answer), nothing asked of the daemon that changes anything. */
export function printPlan(ctx: CliContext, plan: readonly string[]): void {
  if (ctx.json) ctx.printJson({ dryRun: true, plan });
  else ctx.print(`${cliText(ctx.language, 'willDo')}\n${plan.map((line) => `  ${line}\n`).join('')}`);
}
