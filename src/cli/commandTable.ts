import type { Command } from './Command.js';
import { backupCommand } from './commands/backupCommand.js';
import { backupsCommand } from './commands/backupsCommand.js';
import { cardCommand } from './commands/cardCommand.js';
import { changeCommand } from './commands/changeCommand.js';
import { deregisterCommand } from './commands/deregisterCommand.js';
import { rollCommand } from './commands/rollCommand.js';
import { initCommand } from './commands/initCommand.js';
import { devicesCommand } from './commands/devicesCommand.js';
import { diagnoseCommand } from './commands/diagnoseCommand.js';
import { infoCommand } from './commands/infoCommand.js';
import { jobsCommand } from './commands/jobsCommand.js';
import { recordsCommand } from './commands/recordsCommand.js';
import { certificateCommand } from './commands/certificateCommand.js';
import { restoreCommand } from './commands/restoreCommand.js';
import { verifyBackupCommand } from './commands/verifyBackupCommand.js';
import { exportBackupCommand } from './commands/exportBackupCommand.js';
import { watchCommand } from './commands/watchCommand.js';
import { cancelCommand } from './commands/cancelCommand.js';
import { packageCommand } from './commands/packageCommand.js';
import { repoCommand } from './commands/repoCommand.js';
import { upgradeCommand } from './commands/upgradeCommand.js';
import { consoleCommand } from './commands/consoleCommand.js';

/** Every fiscalctl command; a later one is one import and one entry here. */
export const commandTable: readonly Command[] = [
  devicesCommand, infoCommand, diagnoseCommand, jobsCommand, watchCommand, cancelCommand, recordsCommand,
  backupCommand, backupsCommand, verifyBackupCommand, exportBackupCommand, restoreCommand, cardCommand, initCommand,
  changeCommand, rollCommand, deregisterCommand, packageCommand, repoCommand, upgradeCommand, consoleCommand, certificateCommand,
];
