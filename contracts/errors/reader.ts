import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/** PC/SC readers and the cards in them (drivers/pcsc), and the vpcd bridge of the fixtures. */
export const readerErrors = {
  PCSC_UNAVAILABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: 'PC/SC 服务不可用：{detail}', en: 'The PC/SC service is unavailable: {detail}',
    remedyZh: '请确认已安装并启动 pcscd（systemctl start pcscd.socket），然后重试。',
    remedyEn: 'Make sure pcscd is installed and running (systemctl start pcscd.socket), then try again.',
  },
  READER_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到读卡器“{reader}”', en: 'Card reader "{reader}" not found',
    remedyZh: '请检查读卡器已插好，并用 fiscalctl card 查看可用的读卡器名称。',
    remedyEn: 'Check that the reader is plugged in, and list the reader names with fiscalctl card.',
  },
  READER_GONE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '读卡器“{reader}”在操作中断开', en: 'Card reader "{reader}" went away during the operation',
    remedyZh: '请重新插好读卡器（检查 USB 线），然后从头重做本操作。',
    remedyEn: 'Plug the reader back in (check the USB cable), then redo the operation from the start.',
  },
  READER_BUSY: {
    http: 409, exit: ExitCode.busy,
    zh: '读卡器“{reader}”正被其他程序独占使用', en: 'Card reader "{reader}" is held exclusively by another program',
    remedyZh: '请关闭正在使用该卡的其他程序（如开票软件），然后重试。',
    remedyEn: 'Close the other program using the card (for example the invoicing software), then try again.',
  },
  CARD_ABSENT: {
    http: 409, exit: ExitCode.failed,
    zh: '读卡器“{reader}”中没有卡', en: 'There is no card in reader "{reader}"',
    remedyZh: '请将卡芯片朝上插入读卡器，然后重试。', remedyEn: 'Insert the card, chip side up, then try again.',
  },
  CARD_REMOVED: {
    http: 409, exit: ExitCode.failed,
    zh: '读卡器“{reader}”中的卡在操作中被拔出', en: 'The card in reader "{reader}" was removed during the operation',
    remedyZh: '请重新插入卡，先读取卡的状态，确认上次操作是否已生效，再决定是否重做。',
    remedyEn: 'Insert the card again and read its state to learn whether the last operation took effect before redoing it.',
  },
  CARD_UNRESPONSIVE: {
    http: 502, exit: ExitCode.failed,
    zh: '读卡器“{reader}”中的卡没有应答', en: 'The card in reader "{reader}" does not answer',
    remedyZh: '请检查卡是否插反、芯片是否脏污或损坏；换一个读卡器再试。',
    remedyEn: 'Check that the card is the right way round and its chip is clean and undamaged; try another reader.',
  },
  CARD_RESET_ELSEWHERE: {
    http: 409, exit: ExitCode.failed,
    zh: '读卡器“{reader}”中的卡被其他程序复位', en: 'The card in reader "{reader}" was reset by another program',
    remedyZh: '请关闭其他读卡程序，然后从头重做本操作。', remedyEn: 'Close the other card programs, then redo the operation from the start.',
  },
  CARD_TRANSACTION_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '与读卡器“{reader}”中的卡通信失败', en: 'The exchange with the card in reader "{reader}" failed',
    remedyZh: '请重新插卡后重试；若反复出现，请更换读卡器。', remedyEn: 'Re-insert the card and try again; if it keeps happening, change the reader.',
  },
  CARD_DISCONNECTED: {
    http: 409, exit: ExitCode.failed,
    zh: '与读卡器“{reader}”中的卡的连接已关闭', en: 'The connection to the card in reader "{reader}" is closed',
  },
  PCSC_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: 'PC/SC 操作 {operation} 失败：{detail}', en: 'PC/SC operation {operation} failed: {detail}',
    remedyZh: '请保存日志并报告此问题；重新插拔读卡器后重试。',
    remedyEn: 'Keep the log and report the problem; unplug and replug the reader, then try again.',
  },
  VPCD_UNREACHABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '无法连接虚拟读卡器 vpcd（{host}:{port}）：{detail}', en: 'Cannot reach the vpcd virtual reader at {host}:{port}: {detail}',
    remedyZh: '请安装 vsmartcard-vpcd 并启动 pcscd（它会加载 vpcd 并监听该端口）。',
    remedyEn: 'Install vsmartcard-vpcd and start pcscd (it loads vpcd, which listens on that port).',
  },
} as const satisfies ErrorTable;
