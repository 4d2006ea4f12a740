import type { Outcome } from '../Check.js';
import type { CardFacts } from '../DiagnosticsPort.js';
import type { Observations } from '../Observations.js';
import type { CheckDefinition } from './CheckDefinition.js';
import { daysFrom, needs, notRun, registerToday } from './CheckDefinition.js';

/** Warn this many days before a card's validity ends. */
export const CARD_VALIDITY_WARNING_DAYS = 30;

const FISCAL = { zh: '税控卡', en: 'fiscal card' };
const USER = { zh: '用户卡', en: 'user card' };

type Slot = 'fiscal' | 'user';
const cardName = (slot: Slot) => (slot === 'fiscal' ? FISCAL : USER);
const readingOf = (o: Observations, slot: Slot) => (slot === 'fiscal' ? o.fiscalCard : o.userCard);

/** A check that needs the card of `slot` read and of the right kind; otherwise it is not-run. */
function withCard(o: Observations, slot: Slot, judge: (card: CardFacts) => Outcome): Outcome {
  const name = cardName(slot);
  return needs(readingOf(o, slot), name, (card) => {
    if (card === null) return notRun(`${name.zh}未插入`, `No ${name.en} is inserted`);
    if (card.kind !== slot) return notRun(`插入的不是${name.zh}`, `The card inserted is not a ${name.en}`);
    return judge(card);
  });
}

function presence(slot: Slot): CheckDefinition {
  const name = cardName(slot);
  return {
    id: `card.${slot}.present`,
    measures: { zh: `${name.zh}是否插入、类型是否正确、应用能否选择`, en: `Whether the ${name.en} is inserted, of the right type and its application selectable` },
    evaluate: (o) => needs(readingOf(o, slot), name, (card) => {
      if (card === null) {
        if (slot === 'user') {
          const initialized = o.status.state === 'ok' && o.status.value.initialized;
          return initialized
            ? { status: 'ok', facts: { present: false }, summary: { zh: '用户卡未插入（只在申报、分票和更新监控数据时需要）', en: 'No user card inserted (needed only to declare, distribute rolls or update control data)' } }
            : {
              status: 'warning', facts: { present: false },
              summary: { zh: '未插入用户卡', en: 'No user card inserted' },
              impact: { zh: '没有用户卡不能初始化', en: 'Initialization needs the user card' },
              remedy: { zh: '初始化前插入纳税人的用户卡。', en: "Insert the taxpayer's user card before initialization." },
              actor: 'operator',
            };
        }
        return {
          status: 'fault', facts: { present: false }, code: 'LINK_FISCAL_CARD_ABSENT',
          summary: { zh: '未检测到税控卡', en: 'No fiscal card detected' },
          impact: { zh: '没有税控卡不能开票', en: 'No invoice can be issued without the fiscal card' },
          remedy: { zh: '检查税控卡是否插好、触点是否清洁；仍检测不到请维修人员检查卡座。', en: 'Check that the fiscal card is seated and its contacts are clean; if still not seen, a technician checks the card holder.' },
          actor: 'operator',
        };
      }
      const facts = { present: true, kind: card.kind, atr: card.atr, problems: card.problems.length };
      if (card.kind !== slot) {
        return {
          status: 'fault', facts,
          summary: { zh: `${name.zh}卡座中插的不是${name.zh}`, en: `The ${name.en} slot holds a card that is not a ${name.en}` },
          impact: { zh: '收款机无法完成税控操作', en: 'The register cannot do its fiscal work' },
          remedy: { zh: `取出这张卡，插入本机的${name.zh}。`, en: `Take this card out and insert this register's ${name.en}.` },
          actor: 'operator',
        };
      }
      if (card.problems.length > 0) {
        const first = card.problems[0]!;
        return {
          status: 'fault', facts, code: first.code,
          summary: { zh: `${name.zh}的 ${first.part} 读取失败：${first.messageZh}`, en: `The ${name.en}'s ${first.part} could not be read: ${first.message}` },
          impact: { zh: '卡上数据不完整，相关操作会失败', en: 'Card data is incomplete; operations that need it will fail' },
          remedy: { zh: '清洁触点后重新插卡；仍失败请携卡到税务机关检测。', en: 'Clean the contacts and insert the card again; if it still fails, have the tax office test it.' },
          actor: 'tax-office',
        };
      }
      return { status: 'ok', facts, summary: { zh: `${name.zh}已插入，应用可选择`, en: `The ${name.en} is inserted and its application selectable` } };
    }),
  };
}

function validity(slot: Slot): CheckDefinition {
  const name = cardName(slot);
  return {
    id: `card.${slot}.validity`,
    measures: { zh: `${name.zh}有效期`, en: `Validity dates of the ${name.en}` },
    evaluate: (o) => withCard(o, slot, (card) => {
      const data = slot === 'fiscal' ? card.fiscal : card.user;
      if (data === undefined) return notRun(`${name.zh}基本信息未能读出`, `The ${name.en}'s basic data could not be read`);
      const today = registerToday(o);
      const left = daysFrom(today, data.validUntil);
      const notYet = daysFrom(today, data.applicationStart) > 0;
      const facts = { applicationStart: data.applicationStart, validUntil: data.validUntil, daysLeft: left };
      if (left < 0 || notYet) {
        return {
          status: 'fault', facts,
          summary: notYet
            ? { zh: `${name.zh}要到 ${data.applicationStart} 才启用`, en: `The ${name.en} is valid only from ${data.applicationStart}` }
            : { zh: `${name.zh}已于 ${data.validUntil} 过期`, en: `The ${name.en} expired on ${data.validUntil}` },
          impact: { zh: '过期或未启用的卡不能使用', en: 'A card outside its validity cannot be used' },
          remedy: { zh: '携卡到主管税务机关办理换卡或延期。', en: 'Take the card to the tax office to renew or replace it.' },
          actor: 'tax-office',
        };
      }
      if (left > CARD_VALIDITY_WARNING_DAYS) return { status: 'ok', facts, summary: { zh: `${name.zh}有效期至 ${data.validUntil}`, en: `The ${name.en} is valid until ${data.validUntil}` } };
      return {
        status: 'warning', facts,
        summary: { zh: `${name.zh}还有 ${left} 天到期（${data.validUntil}）`, en: `The ${name.en} expires in ${left} days (${data.validUntil})` },
        impact: { zh: '到期后不能使用', en: 'After that it cannot be used' },
        remedy: { zh: '到期前携卡到主管税务机关办理延期。', en: 'Have the tax office renew the card before it expires.' },
        actor: 'tax-office',
      };
    }),
  };
}

export const cardChecks: readonly CheckDefinition[] = [
  presence('fiscal'),
  {
    id: 'card.fiscal.machine',
    measures: { zh: '税控卡是否属于这台收款机', en: 'Whether the fiscal card belongs to this register' },
    evaluate: (o) => withCard(o, 'fiscal', (card) => {
      const fiscal = card.fiscal;
      if (fiscal === undefined) return notRun('税控卡基本信息未能读出', "The fiscal card's basic data could not be read");
      const facts = { cardNumber: fiscal.cardNumber, cardMachineNumber: fiscal.machineNumber, registerMachineNumber: o.machineNumber };
      if (fiscal.machineNumber === o.machineNumber) return { status: 'ok', facts, summary: { zh: `税控卡 ${fiscal.cardNumber} 属于本机`, en: `Fiscal card ${fiscal.cardNumber} belongs to this register` } };
      return {
        status: 'fault', facts, code: 'ER 4F',
        summary: { zh: `税控卡属于另一台收款机（${fiscal.machineNumber}）`, en: `The fiscal card belongs to another register (${fiscal.machineNumber})` },
        impact: { zh: '收款机拒绝这张税控卡', en: 'The register refuses this fiscal card' },
        remedy: { zh: '换回本机的税控卡；卡号不符时联系主管税务机关。', en: "Put this register's own fiscal card back; if it is lost, contact the tax office." },
        actor: 'operator',
      };
    }),
  },
  validity('fiscal'),
  {
    id: 'card.fiscal.registration',
    measures: { zh: '税控卡的注册状态与收款机是否相符', en: "Whether the fiscal card's registration fits the register" },
    evaluate: (o) => withCard(o, 'fiscal', (card) => {
      const fiscal = card.fiscal;
      if (fiscal === undefined) return notRun('税控卡基本信息未能读出', "The fiscal card's basic data could not be read");
      if (o.status.state !== 'ok') return notRun('收款机状态未能读出，无法比较', 'The register status is unknown; nothing to compare with');
      const initialized = o.status.value.initialized;
      const facts = { registration: fiscal.registration, registerInitialized: initialized };
      const fits = initialized ? fiscal.registration === 'registered' : fiscal.registration === 'not-registered';
      if (fits) {
        return { status: 'ok', facts, summary: initialized ? { zh: '税控卡已注册，与收款机一致', en: 'The fiscal card is registered, as the register is' } : { zh: '税控卡未注册，可以初始化', en: 'The fiscal card is not registered; ready for initialization' } };
      }
      if (fiscal.registration === 'uncertain') {
        return {
          status: 'warning', facts,
          summary: { zh: '无法确定税控卡是否已注册', en: 'Whether the fiscal card is registered cannot be told' },
          impact: { zh: '需要口令的操作会被拒绝，以免浪费口令次数', en: 'Operations that need the PIN are refused so no try is wasted' },
          remedy: { zh: '携卡到主管税务机关核实注册状态。', en: 'Have the tax office confirm the registration.' },
          actor: 'tax-office',
        };
      }
      return {
        status: 'fault', facts,
        summary: initialized
          ? { zh: '收款机已初始化，但税控卡显示未注册', en: 'The register is initialized but the fiscal card shows not registered' }
          : { zh: '收款机未初始化，但税控卡已注册（可能初始化中断）', en: 'The register is not initialized but the fiscal card is registered (an interrupted initialization?)' },
        impact: { zh: '卡与收款机不匹配，不能开票', en: 'Card and register do not match; no invoice can be issued' },
        remedy: initialized
          ? { zh: '确认插入的是本机的税控卡；否则联系主管税务机关。', en: "Make sure this register's fiscal card is inserted; otherwise contact the tax office." }
          : { zh: '由维修人员继续完成中断的初始化（fiscalctl init），不要重新发卡。', en: 'A technician resumes the interrupted initialization (fiscalctl init); do not have the card re-issued.' },
        actor: initialized ? 'tax-office' : 'technician',
      };
    }),
  },
  {
    id: 'card.fiscal.pin-tries',
    measures: { zh: '税控卡口令剩余次数（只查询，不消耗次数）', en: 'PIN tries left on the fiscal card (asked, never spent)' },
    evaluate: (o) => withCard(o, 'fiscal', (card) => {
      const fiscal = card.fiscal;
      if (fiscal === undefined) return notRun('税控卡基本信息未能读出', "The fiscal card's basic data could not be read");
      const tries = fiscal.pinTries;
      if (!tries.known) {
        if (tries.reason === 'not-registered') return notRun('税控卡未注册，还没有口令', 'The fiscal card is not registered; it holds no PIN yet');
        return notRun('这张卡不告知剩余次数（不会为此消耗次数）', 'This card does not tell its tries (none is spent to learn it)');
      }
      const facts = { triesLeft: tries.left, source: tries.source };
      if (tries.left >= 2) return { status: 'ok', facts, summary: { zh: `口令还可尝试 ${tries.left} 次`, en: `${tries.left} PIN tries left` } };
      return {
        status: tries.left === 0 ? 'fault' : 'warning', facts, code: tries.left === 0 ? '6983' : `63C${tries.left}`,
        summary: tries.left === 0 ? { zh: '税控卡口令已锁定', en: 'The fiscal card PIN is blocked' } : { zh: '税控卡口令只剩最后一次', en: 'Only the last PIN try is left' },
        impact: tries.left === 0
          ? { zh: '需要口令的操作全部不能进行', en: 'No operation that needs the PIN can run' }
          : { zh: '再错一次税控卡即锁定', en: 'One more wrong PIN blocks the card' },
        remedy: { zh: '不要再尝试口令，携卡到主管税务机关处理。', en: 'Do not try the PIN again; take the card to the tax office.' },
        actor: 'tax-office',
      };
    }),
  },
  presence('user'),
  validity('user'),
  {
    id: 'card.user.declaration-waiting',
    measures: { zh: '用户卡上是否有等待税务机关读取的申报数据', en: 'Whether a declaration waits on the user card for the tax office' },
    evaluate: (o) => withCard(o, 'user', (card) => {
      const user = card.user;
      if (user === undefined) return notRun('用户卡基本信息未能读出', "The user card's basic data could not be read");
      const pending = user.pendingDeclarations;
      if (pending.length === 0) return { status: 'ok', facts: { pending: 0 }, summary: { zh: '用户卡上没有待报送的申报数据', en: 'No declaration waiting on the user card' } };
      const last = pending[pending.length - 1]!;
      return {
        status: 'warning', facts: { pending: pending.length, periodStart: last.periodStart, periodEnd: last.periodEnd },
        summary: { zh: `用户卡上有 ${pending.length} 份申报数据待报送（${last.periodStart} 至 ${last.periodEnd}）`, en: `${pending.length} declaration(s) wait on the user card (${last.periodStart} to ${last.periodEnd})` },
        impact: { zh: '申报未送到税务机关，不能完税和更新监控数据', en: 'Until the tax office has it, tax cannot be paid nor control data updated' },
        remedy: { zh: '纳税人携用户卡到主管税务机关报送申报数据并完税。', en: 'The taxpayer takes the user card to the tax office to hand in the declaration and pay.' },
        actor: 'operator',
      };
    }),
  },
];
