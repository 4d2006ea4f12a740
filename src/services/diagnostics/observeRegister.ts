import { ExitCode, GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { Bilingual } from './Check.js';
import { selfCheckNames, type DiagnosticsPort, type SelfCheckName, type SelfCheckOutcome } from './DiagnosticsPort.js';
import type { KnownFacts, Observations } from './Observations.js';
import { skipped, type Reading } from './Reading.js';

export const LINK_BURST = 5;

export interface ObserveOptions {
  readonly deviceId: string;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  readonly utcOffsetMinutes: number;
  readonly known?: KnownFacts;
  /** Told after each step, for job progress. */
  readonly onStep?: (step: string) => void;
}

const silent: Bilingual = { zh: '收款机没有应答，无法检查', en: 'The register does not answer; nothing more could be checked' };
const inBootloader: Bilingual = {
  zh: '收款机处于引导程序（升级）模式，只能应答联机、出厂信息和升级命令', en: 'The register is in its bootloader, which answers only connect, factory data and upgrade commands',
};
const notOffered: Bilingual = { zh: '本诊断通道不提供此项读取', en: 'This diagnostics view does not offer the read' };

/** A self-check the register refuses (an error other than the link failing) did not pass: that is its result. */
async function selfCheckOrRefusal(port: DiagnosticsPort, name: SelfCheckName, signal: AbortSignal): Promise<SelfCheckOutcome> {
  try {
    return await port.selfCheck(name, signal);
  } catch (error) {
    if (isGatewayError(error) && error.spec.exit !== ExitCode.unreachable && error.code !== 'CANCELLED') {
      return { passed: false, code: error.code, detail: error.localized('zh-CN') };
    }
    throw error;
  }
}

/**
 * Makes every read diagnostics judges, each on its own: a read that fails is kept with its error and the
 * next is still made, so a half-broken register gets every check that can run. A register that does not
 * answer the link burst, or stops answering (an unreachable error), is not asked anything more.
 */
export async function observeRegister(port: DiagnosticsPort, options: ObserveOptions): Promise<Observations> {
  const { signal } = options;
  let dead = false;
  const read = async <T>(fn: ((signal: AbortSignal) => Promise<T>) | undefined, bootloaderToo = false): Promise<Reading<T>> => {
    if (dead) return skipped(silent);
    if (port.mode === 'bootloader' && !bootloaderToo) return skipped(inBootloader);
    if (fn === undefined) return skipped(notOffered);
    try {
      return { state: 'ok', value: await fn(signal) };
    } catch (error) {
      if (isGatewayError(error, 'CANCELLED') || signal.aborted) throw error;
      const gateway = isGatewayError(error) ? error : new GatewayError('INTERNAL', { params: { detail: String(error) } });
      if (gateway.spec.exit === ExitCode.unreachable) dead = true;
      return { state: 'failed', code: gateway.code, message: { zh: gateway.localized('zh-CN'), en: gateway.localized('en') } };
    }
  };

  const step = (name: string) => options.onStep?.(name);
  const link = await read(port.linkBurst?.bind(port, LINK_BURST), true);
  if (link.state === 'ok' && link.value.answered === 0) dead = true;
  step('link');
  const factory = await read(port.factoryData?.bind(port), true);
  step('identity');
  const status = await read((s) => port.status(s));
  const userInfo = await read(port.userInfo?.bind(port));
  const firmwareTransfer = await read(port.firmwareTransfer?.bind(port));
  step('status');
  const selfChecks = {} as Record<SelfCheckName, Reading<SelfCheckOutcome>>;
  for (const name of selfCheckNames) {
    selfChecks[name] = await read((s) => selfCheckOrRefusal(port, name, s));
    step(`self-check:${name}`);
  }
  const host = options.now();
  const clock = await read((s) => port.clock(s));
  step('clock');
  const fiscalCard = await read(port.card === undefined ? undefined : (s) => port.card!('fiscal', s));
  const userCard = await read(port.card === undefined ? undefined : (s) => port.card!('user', s));
  step('cards');
  return {
    host, utcOffsetMinutes: options.utcOffsetMinutes, deviceId: options.deviceId, machineNumber: port.machineNumber,
    mode: port.mode ?? 'application', link, factory, firmwareTransfer, selfChecks, status, userInfo, clock, fiscalCard, userCard,
    known: options.known ?? {},
  };
}
