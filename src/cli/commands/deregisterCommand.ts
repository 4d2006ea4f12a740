import type { Command } from '../Command.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface DeregistrationView { summary: string; technician: { 'zh-CN': string; en: string }; backup: { backupId: string } }

export const deregisterCommand: Command = {
  name: 'deregister', summary: 'Retire a register (注销): verified backup, final state, service record for the tax office',
  usage: 'deregister ID [--allow-undeclared] [--note TEXT]',
  positionals: [{ name: 'ID', required: true }],
  options: { 'allow-undeclared': { type: 'boolean' }, note: { type: 'string' } },
  help: 'Prints the service record (zh-CN) to hand in with the fiscal card. Refused while sales after the last declaration remain,\n'
    + 'unless --allow-undeclared (the tax office agreed). The gateway changes no fiscal data and cannot punch the card: take it out.',
  run(ctx) {
    const note = ctx.options.note;
    return runDeviceJob<DeregistrationView>(ctx, {
      path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/deregister`,
      body: { allowUndeclared: ctx.options['allow-undeclared'] === true, ...(typeof note === 'string' ? { note } : {}) },
      label: { 'zh-CN': '注销任务', en: 'Deregistration job' }, resultKey: 'deregistration',
      show: (result, { language }) => `${result.summary}\n${result.technician[language]}\n`,
    });
  },
};
