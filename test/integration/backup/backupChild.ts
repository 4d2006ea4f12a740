// Child process for the kill -9 test: backs up a simulated register (GB link over the memory line, the
// gateway's RegisterSession and openRegisterBackupPort, as the daemon does) into argv[2], one backup
// after another, until killed. It reports `ready`, `progress <records read in this backup>` as each chunk
// is written and `committed` after each rename, so the test can kill it at points the backup itself marks.
import { createSimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { BackupStore } from '../../../src/services/backup/BackupStore.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../../../src/services/backup/registerBackupPort.js';

const register = await createSimulatedRegister({ seed: 21, history: { days: 10, invoicesPerDay: 10 }, timing: { timed: false } });
const session = await RegisterSession.open(register.transport, { deviceId: 'kill-test' });
const store = new BackupStore(process.argv[2]);
process.stdout.write(`ready ${register.state.identity.machineNumber}\n`);
for (;;) {
  await collectBackup(await openRegisterBackupPort(session, { pageSize: 64 }), store, {
    onProgress: ({ records }) => process.stdout.write(`progress ${records}\n`),
  });
  process.stdout.write('committed\n');
}
