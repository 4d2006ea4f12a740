/**
 * What a failed run did and did not change, in plain words, for the technician and the service
 * record. `resumable` says whether running init again continues (the next dry run says so too).
 */
export type ChangeState =
  | 'unchanged'
  | 'nothing-changed'
  | 'registration-in-doubt'
  | 'registered-pin-lost'
  | 'card-registered'
  | 'write-not-taken'
  | 'pin-refused'
  | 'write-in-doubt'
  | 'written-unverified'
  | 'written-mismatch';

type Known = boolean | 'unknown';

export interface ChangeStatement {
  readonly state: ChangeState;
  readonly fiscalCardRegistered: Known;
  readonly registerInitialized: Known;
  readonly resumable: boolean;
  readonly 'zh-CN': string;
  readonly en: string;
}

const statements: Readonly<Record<Exclude<ChangeState, 'unchanged'>, Omit<ChangeStatement, 'state'>>> = {
  'nothing-changed': {
    fiscalCardRegistered: false, registerInitialized: false, resumable: true,
    'zh-CN': '未作任何更改：税控卡未注册，收款机未初始化。处理原因后可直接重新运行初始化。',
    en: 'Nothing was changed: the fiscal card is not registered and the register is not initialized. Deal with the cause, then run init again.',
  },
  'registration-in-doubt': {
    fiscalCardRegistered: 'unknown', registerInitialized: false, resumable: false,
    'zh-CN': '税控卡注册指令的应答丢失：卡片可能已注册，但网关没有收到口令；收款机未初始化。请先试运行检查：卡片未注册时可重新初始化；已注册时须由税务机关处理。',
    en: 'The answer to the fiscal card\'s registration was lost: the card may be registered without the gateway having its PIN; the register is not initialized. Run the dry run: if the card is not registered, run init again; if it is, the tax office must deal with it.',
  },
  'registered-pin-lost': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: false,
    'zh-CN': '税控卡已注册，但网关没有收到口令；收款机未初始化。须由税务机关处理这张税控卡。',
    en: 'The fiscal card is registered but its PIN never reached the gateway; the register is not initialized. The tax office must deal with the card.',
  },
  'card-registered': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: true,
    'zh-CN': '税控卡已注册（网关保存了口令），收款机未初始化：处理原因后重新运行初始化，将从写入收款机继续。',
    en: 'Fiscal card registered (the gateway keeps its PIN), register not initialized: deal with the cause and run init again, it will resume at writing the register.',
  },
  'write-not-taken': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: true,
    'zh-CN': '写入收款机的应答丢失，读回确认收款机未初始化；税控卡已注册，网关保存了口令。重新运行初始化将从写入收款机继续。'
      + '注意：如果收款机在中断前已向税控卡校验过口令，卡片已换用新口令，保存的口令会被拒绝（耗用一次机会，网关不会再试），届时须由税务机关处理；试运行会显示口令剩余次数。',
    en: 'The answer to the register write was lost and reading back shows the register not initialized; the fiscal card is registered and the gateway keeps its PIN. Running init again resumes at writing the register. '
      + 'Note: if the register had verified the PIN on the card before it stopped, the card has moved on to a new PIN and will refuse the kept one (one try spent, never retried), and the tax office must then deal with it; the dry run shows the tries left.',
  },
  'pin-refused': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: false,
    'zh-CN': '税控卡已注册，但收款机校验口令失败，收款机未初始化。网关不会再试口令，也不再保存它；须由税务机关处理。',
    en: 'The fiscal card is registered but the register\'s PIN check failed; the register is not initialized. The gateway will not try the PIN again and no longer keeps it: the tax office must deal with it.',
  },
  'write-in-doubt': {
    fiscalCardRegistered: true, registerInitialized: 'unknown', resumable: true,
    'zh-CN': '税控卡已注册；无法确认收款机是否已写入初始化数据。请重新连接后试运行：它会读取收款机，并从写入或回读校验继续。',
    en: 'Fiscal card registered; whether the register took the initialization could not be learned. Reconnect and run the dry run: it reads the register and resumes at writing or at the read-back.',
  },
  'written-unverified': {
    fiscalCardRegistered: true, registerInitialized: true, resumable: true,
    'zh-CN': '收款机已初始化并进入税控状态，但回读校验没有完成：请勿开票，重新运行初始化，将从回读校验继续。',
    en: 'The register is initialized and in fiscal mode but its read-back was not verified: issue no invoice, run init again, it will resume at the read-back.',
  },
  'written-mismatch': {
    fiscalCardRegistered: true, registerInitialized: true, resumable: false,
    'zh-CN': '收款机已初始化并进入税控状态，但回读的数据与卡片不一致（见各字段）；税控存储器不能改写。',
    en: 'The register is initialized and in fiscal mode, but what it reads back differs from the cards (see the fields); fiscal memory cannot be rewritten.',
  },
};

/**
 * The statement of a state. `unchanged` (the run stopped before it changed any card or the register)
 * takes the card's and the register's state as last read, which a refusal may find either way.
 */
export function changeStatement(state: ChangeState, found: { fiscalCardRegistered: Known; registerInitialized: Known } = {
  fiscalCardRegistered: 'unknown', registerInitialized: 'unknown',
}): ChangeStatement {
  if (state === 'unchanged') {
    return {
      state, ...found, resumable: true,
      'zh-CN': '本次运行在更改任何卡片或收款机之前就停止了，没有作任何更改。处理原因后重新试运行。',
      en: 'This run stopped before it changed any card or the register: nothing was changed. Deal with the cause, then run the dry run again.',
    };
  }
  return { state, ...statements[state] };
}
