import type { RegisterStatus, RollRecord } from '../../../protocols/gb-link/index.js';
import type { FiscalRollRecord } from '../../../protocols/gb18240-card/fiscalFiles.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import { readSlotUserCard } from '../common/readSlotUserCard.js';
import { openSlotCard } from '../common/openSlotCard.js';
import type { RollFacts } from './RollFacts.js';
import type { RollRegister } from './RollRegister.js';

/** How many of the register's latest distributed rolls are looked at for one left unmounted. */
const RECENT_ROLLS = 16;

/** The register's last `RECENT_ROLLS` distributed rolls (32), oldest first. */
export async function recentRolls(register: Pick<RollRegister, 'distributedRolls'>, status: RegisterStatus): Promise<RollRecord[]> {
  const total = status.distributedRollCount;
  if (total === 0) return [];
  const from = Math.max(1, total - RECENT_ROLLS + 1);
  const rolls: RollRecord[] = [];
  for await (const page of register.distributedRolls({ from, count: total - from + 1 })) rolls.push(...page);
  return rolls;
}

/** Fiscal card EF05 through the register's slot: the rolls mounted on the card (empty when the card cannot be read). */
export async function mountedOnFiscalCard(register: Pick<RollRegister, 'cardChannel'>, options?: CardSessionOptions): Promise<FiscalRollRecord[]> {
  return (await openSlotCard(register, 'fiscal', options)).readFiscalRolls();
}

/** Reads what planRoll decides on; changes nothing. */
export async function inspectRolls(register: RollRegister, options?: CardSessionOptions): Promise<RollFacts> {
  const factory = await register.factoryData();
  const status = await register.status();
  const userInfo = status.initialized ? await register.userInfo() : undefined;
  const rolls = status.initialized ? await recentRolls(register, status) : [];
  const userCard = await readSlotUserCard(register.cardChannel('user'), options);
  const fiscalRolls = status.initialized ? await mountedOnFiscalCard(register, options) : [];
  return {
    machineNumber: factory.machineNumber, status, ...(userInfo === undefined ? {} : { userInfo }),
    recentRolls: rolls, userCard, fiscalRolls,
  };
}
