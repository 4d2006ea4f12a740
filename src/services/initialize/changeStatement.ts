/**
 * What a failed run did and did not change, in plain words, for the technician and the service
 * record. `resumable` says whether running init again continues (the next dry run says so too).
 */
export type ChangeState =
  | 'nothing-changed'
  | 'registration-in-doubt'
  | 'registered-pin-lost'
  | 'card-registered'
  | 'pin-refused'
  | 'write-in-doubt'
  | 'written-unverified';

export interface ChangeStatement {
  readonly state: ChangeState;
  readonly fiscalCardRegistered: boolean | 'unknown';
  readonly registerInitialized: boolean | 'unknown';
  readonly resumable: boolean;
  readonly 'zh-CN': string;
  readonly en: string;
}

const statements: Readonly<Record<ChangeState, Omit<ChangeStatement, 'state'>>> = {
  'nothing-changed': {
    fiscalCardRegistered: false, registerInitialized: false, resumable: true,
    'zh-CN': '未作任何更改：税控卡未注册，收款机未初始化。处理原因后可直接重新运行初始化。',
    en: 'Nothing was changed: the fiscal card is not registered and the register is not initialized. Deal with the cause, then run init again.',
  },
  'registration-in-doubt': {
    fiscalCardRegistered: 'unknown', registerInitialized: false, resumable: false,
    'zh-CN': '税控卡注册指令的应答丢失：卡片可能已注册，但网关没有收到口令；收款机未初始化。请先试运行检查：如卡片未注册，可重新初始化；如已注册，须由税务机关处理。',
    en: 'The answer to the fiscal card\'s registration was lost: the card may be registered without the gateway having its PIN; the register is not initialized. Run the dry run: if the card is not registered, run init again; if it is, the tax office must deal with it.',
  },
  'registered-pin-lost': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: false,
    'zh-CN': '税控卡已注册但网关没有收到口令；收款机未初始化。须由税务机关处理该税控卡。',
    en: 'The fiscal card is registered but its PIN never reached the gateway; the register is not initialized. The tax office must deal with the card.',
  },
  'card-registered': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: true,
    'zh-CN': '税控卡已注册（网关保存了口令），收款机未初始化：处理原因后重新运行初始化，将从写入收款机继续。',
    en: 'Fiscal card registered (the gateway keeps its PIN), register not initialized: deal with the cause and run init again, it will resume at writing the register.',
  },
  'pin-refused': {
    fiscalCardRegistered: true, registerInitialized: false, resumable: false,
    'zh-CN': '税控卡已注册，但收款机校验口令失败，收款机未初始化。网关不会再试口令；须由税务机关处理。',
    en: 'The fiscal card is registered but the register\'s PIN check failed; the register is not initialized. The gateway will not try the PIN again: the tax office must deal with it.',
  },
  'write-in-doubt': {
    fiscalCardRegistered: true, registerInitialized: 'unknown', resumable: true,
    'zh-CN': '税控卡已注册；收款机是否已写入初始化数据无法确认。请重新连接后试运行：它会读取收款机，并从写入或回读校验继续。',
    en: 'Fiscal card registered; whether the register took the initialization could not be learned. Reconnect and run the dry run: it reads the register and resumes at writing or at the read-back.',
  },
  'written-unverified': {
    fiscalCardRegistered: true, registerInitialized: true, resumable: true,
    'zh-CN': '收款机已初始化并进入税控状态，但回读校验未完成：请勿开票，重新运行初始化，将从回读校验继续。',
    en: 'The register is initialized and in fiscal mode but its read-back was not verified: issue no invoice, run init again, it will resume at the read-back.',
  },
};

export function changeStatement(state: ChangeState): ChangeStatement {
  return { state, ...statements[state] };
}
