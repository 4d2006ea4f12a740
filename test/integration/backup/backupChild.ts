// Child process for the kill -9 test: writes backups of a fake register into argv[2], one after another, until killed.
import { BackupStore } from '../../../src/services/backup/BackupStore.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { fakeBackupPort } from '../../unit/backup/fakeBackupPort.js';

const store = new BackupStore(process.argv[2]);
process.stdout.write('ready\n');
for (;;) {
  await collectBackup(fakeBackupPort({ days: 60, invoicesPerDay: 20 }), store);
  process.stdout.write('committed\n');
}
