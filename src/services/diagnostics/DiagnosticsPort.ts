import type { FactoryData, FirmwareTransfer, RegisterStatus, UserInfo } from '../../../protocols/gb-link/index.js';

/**
 * What a diagnostics run needs from one register, in typed GB-link terms, every one a read (SPEC.md marks
 * each command used here `read`; the card reads are SELECT / READ BINARY / READ RECORD and the ISO tries
 * query VERIFY without data, which spends no try). `deviceDiagnostics` adapts a lent register; tests give a fake.
 * The optional reads are made when present; a check that needs a missing one is reported not-run.
 */
export type SelfCheckName = 'cpu' | 'rom' | 'ram' | 'memory' | 'serial' | 'cycle';

/** GB link 5C…61, in that order. */
export const selfCheckNames: readonly SelfCheckName[] = ['cpu', 'rom', 'ram', 'memory', 'serial', 'cycle'];

export interface SelfCheckOutcome {
  readonly passed: boolean;
  /** The register's error code (ER xx) or the gateway error code when it did not pass. */
  readonly code?: string;
  readonly detail?: string;
}

/** GB link 41, the facts diagnostics judges; `raw` keeps the decoded payload for the report. */
export interface RegisterStatusFacts {
  readonly initialized: boolean;
  readonly fiscalCardPresent?: boolean;
  readonly userCardPresent?: boolean;
  /** Lock conditions the register reports (status 41 lock bits). */
  readonly locks?: {
    readonly deadlinePassed?: boolean;
    readonly fiveYear?: boolean;
    readonly fiscalCard?: boolean;
    readonly userCard?: boolean;
    readonly fiscalMemoryFault?: boolean;
  };
  /** Declared, waiting for the control update (完税后监控数据更新). */
  readonly awaitingControlUpdate?: boolean;
  /** The whole decoded 41 when the adapter has it: counts, issue deadline, current roll, declaration dates. */
  readonly detail?: RegisterStatus;
  readonly raw: Record<string, unknown>;
}

/** A short burst of GB link 00 (connect): how the line behaves before anything else is asked. */
export interface LinkBurst {
  readonly sent: number;
  readonly answered: number;
  /** Round trips of the answered ones, milliseconds. */
  readonly roundTripsMs: readonly number[];
  /** Bytes the session had to send again (re-sent frames after a bad CRC or a lost reply) during the burst. */
  readonly resentBytes: number;
  /** The first failure, when one did not answer. */
  readonly failure?: { readonly code: string; readonly message: { readonly zh: string; readonly en: string } };
}

type Money = { readonly fen: number; readonly yuan: string };

/**
 * The part of a card read (services/cards CardReport, which fits it) the card checks judge; the daemon's
 * wiring gives the reader, as diagnostics may not reach into the cards service.
 */
export interface CardFacts {
  readonly kind: 'fiscal' | 'user' | 'inspection' | 'upgrade' | 'unknown';
  readonly atr: string;
  readonly problems: readonly { readonly part: string; readonly code: string; readonly message: string; readonly messageZh: string }[];
  readonly fiscal?: {
    readonly cardNumber: string;
    readonly machineNumber: string;
    readonly applicationStart: string;
    readonly validUntil: string;
    readonly registration: 'registered' | 'not-registered' | 'uncertain';
    readonly monitoring: { readonly cumulative: Money; readonly singleInvoice: Money };
    readonly accumulated: { readonly validTotal: Money };
    readonly pinTries:
      | { readonly known: true; readonly left: number; readonly source: 'query' | 'verification' }
      | { readonly known: false; readonly reason: string; readonly sw?: string };
  };
  readonly user?: {
    readonly applicationStart: string;
    readonly validUntil: string;
    readonly pendingDeclarations: readonly { readonly periodStart: string; readonly periodEnd: string }[];
  };
}

export interface DiagnosticsPort {
  readonly machineNumber: string;
  /** Who answered when the register was identified; a bootloader answers only 00, 37 and 64. */
  readonly mode?: 'application' | 'bootloader';
  selfCheck(name: SelfCheckName, signal: AbortSignal): Promise<SelfCheckOutcome>;
  status(signal: AbortSignal): Promise<RegisterStatusFacts>;
  /** GB link 3A, as an absolute instant (the adapter applies the register's time zone). */
  clock(signal: AbortSignal): Promise<Date>;
  /** 00 `count` times; throws only when cancelled (a silent register is a burst with a failure). */
  linkBurst?(count: number, signal: AbortSignal): Promise<LinkBurst>;
  /** 37. */
  factoryData?(signal: AbortSignal): Promise<FactoryData>;
  /** 38; null when the register answers that it is not initialized (ER 10). */
  userInfo?(signal: AbortSignal): Promise<UserInfo | null>;
  /** 64/03 when 70 lists 64; null when the register does not offer it. */
  firmwareTransfer?(signal: AbortSignal): Promise<FirmwareTransfer | null>;
  /** The card in a slot, read without spending a PIN try; null when the slot is empty. */
  card?(slot: 'fiscal' | 'user', signal: AbortSignal): Promise<CardFacts | null>;
}
