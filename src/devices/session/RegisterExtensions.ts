import { CMD, offeredOnlyWhenListed, type Capabilities } from '../../../protocols/gb-link/index.js';

/**
 * What one register offers beyond the public commands, as its 70 answer said (SPEC.md §5.9), or
 * nothing at all when it answered ER 20 (public firmware). Asked once per connection.
 */
export class RegisterExtensions {
  private readonly listed: ReadonlySet<number>;

  /** `capabilities` undefined: the register answered ER 20 to 70. */
  constructor(readonly capabilities: Capabilities | undefined) {
    this.listed = new Set(capabilities?.commands ?? []);
  }

  /** A register on public firmware: no 70, so no extension at all. */
  get publicFirmware(): boolean {
    return this.capabilities === undefined;
  }

  /** The largest message the register takes or sends, when it says (70); undefined on public firmware. */
  get maxMessage(): number | undefined {
    return this.capabilities?.maxMessage;
  }

  /** Whether the host may send `code`: public commands always; 3C and every extension only when 70 lists it. */
  offers(code: number): boolean {
    if (code === CMD.CAPABILITIES) return !this.publicFirmware;
    if (!offeredOnlyWhenListed(code)) return true;
    return this.listed.has(code);
  }
}

/**
 * Records of `recordSize` bytes that fit one answer of a record list (`count u32 | records`,
 * SPEC.md §4.2) no longer than `maxMessage`; at least 1.
 */
export function recordsThatFit(maxMessage: number, recordSize: number): number {
  return Math.max(1, Math.floor((maxMessage - 4) / recordSize));
}
