// The host's end of a simulated register's line, watched frame by frame, so that a fault lands at an exact place
// inside a firmware block sent windowed (GB link 74, SPEC.md §10): packet 1 of a block, the packet just before
// its last one, the last packet (PKT 0) itself, or the register's reply right after the last packet. The fault is
// put into the simulator's own fault plan just before the chunk holding that frame leaves (positions count from
// the plan), so the simulator's counters see it as any other fault. The host writes a block's frames whole and
// awaits each write, so no earlier host byte is still on its way when the plan is set.
import type { ByteTransport, Unsubscribe } from '../../contracts/ByteTransport.js';
import type { FaultInput } from '../../fixtures/simulator/faults.js';
import type { RegisterSimulator } from '../../fixtures/simulator/RegisterSimulator.js';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { CMD, COMMAND_START } from '../../protocols/gb-link/index.js';
import { COUNTED_FLAG, WINDOWED_TRANSFER, nonFinalNumber } from '../../protocols/gb-link/window.js';

export const blockPlaces = ['packet-1', 'before-last', 'last', 'after-last'] as const;
export type BlockPlace = (typeof blockPlaces)[number];
export const blockEffects = ['drop', 'corrupt', 'cut'] as const;
export type BlockEffect = (typeof blockEffects)[number];

export interface BlockFault {
  readonly place: BlockPlace;
  readonly effect: BlockEffect;
  /** Which firmware block sent windowed (0: the first one after the plan was armed). */
  readonly block: number;
}

const CRC_SIZE = 2;
const FIRMWARE_WRITE_SUB = 0x02;

/** One host frame inside a chunk. */
interface HostFrame { readonly start: number; readonly length: number; readonly cmd: number; readonly pkt: number; readonly params: Uint8Array }

function framesOf(chunk: Uint8Array): HostFrame[] {
  const out: HostFrame[] = [];
  for (let at = 0; at + 5 <= chunk.length;) {
    if (chunk[at] !== COMMAND_START[0] || chunk[at + 1] !== COMMAND_START[1]) break;
    const length = chunk[at + 4]! + CRC_SIZE;
    out.push({ start: at, length, cmd: chunk[at + 2]!, pkt: chunk[at + 3]!, params: chunk.subarray(at + 5, at + length - CRC_SIZE) });
    at += length;
  }
  return out;
}

/** The inner command and packet count a 74 message's packet 1 announces (count undefined in the plain form). */
function announced(params: Uint8Array): { cmd: number; packets: number | undefined } {
  if ((params[0]! & COUNTED_FLAG) !== 0 && params.length >= 4) return { cmd: params[3]!, packets: (params[1]! << 8) | params[2]! };
  return { cmd: params[1] ?? -1, packets: undefined };
}

const isFirmwareData = (cmd: number, firstParam: number | undefined) => cmd === CMD.FIRMWARE_WRITE_COMPRESSED || (cmd === CMD.FIRMWARE && firstParam === FIRMWARE_WRITE_SUB);

/**
 * Wraps `inner` (the host's end): every chunk the host writes is parsed into frames before it goes on. `arm`
 * sets one block fault; `onFirstData` is called (synchronously, before the chunk leaves) when the first frame of
 * firmware data goes out after `watchData`.
 */
export class BlockFaultLine implements ByteTransport {
  private fault: BlockFault | undefined;
  private rng = new Rng(1);
  private blocksSeen = 0;
  /** The targeted block's messages: its packet count (counted form), and whether its places were hit. */
  private current: { packets: number | undefined; /** New non-final packets seen. */ sent: number; hit: boolean } | undefined;
  private dataWatch: (() => void) | undefined;
  /** Block faults put on the line (the simulator's counters say whether each one took effect). */
  placed = 0;
  /** Windowed firmware blocks seen in the counted form, and in the plain form. */
  readonly forms = { counted: 0, plain: 0 };

  constructor(private readonly inner: ByteTransport, private readonly simulator: RegisterSimulator) {}

  get description() { return this.inner.description; }
  get isOpen() { return this.inner.isOpen; }
  open(): Promise<void> { return this.inner.open(); }
  close(): Promise<void> { return this.inner.close(); }
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe { return this.inner.onData(listener); }
  onClose(listener: (error?: Error) => void): Unsubscribe { return this.inner.onClose(listener); }

  /** One fault for the coming upgrade, its exact byte drawn from `seed`. */
  arm(fault: BlockFault | undefined, seed: number): void {
    this.fault = fault;
    this.rng = new Rng(seed);
    this.blocksSeen = 0;
    this.current = undefined;
    this.opening = undefined;
  }

  /** Calls `action` once, when the next firmware data frame (64/02, 75, or a 74 wrapping one) is about to leave. */
  watchData(action: (() => void) | undefined): void {
    this.dataWatch = action;
  }

  write(bytes: Uint8Array): Promise<void> {
    const plan: FaultInput[] = [];
    for (const frame of framesOf(bytes)) {
      const opensBlock = frame.cmd === WINDOWED_TRANSFER && frame.pkt === 1 && isFirmwareData(announced(frame.params).cmd, frame.params[(frame.params[0]! & COUNTED_FLAG) !== 0 ? 4 : 2]);
      if (this.dataWatch !== undefined && (opensBlock || isFirmwareData(frame.cmd, frame.params[0]))) {
        const action = this.dataWatch;
        this.dataWatch = undefined;
        action();
      }
      if (opensBlock && !this.repeatsOpening(frame.params)) {
        // Packet 1 of a new block (packet 1 sent again, alone after a timeout, belongs to the block it opened).
        const { packets } = announced(frame.params);
        if (packets === undefined) this.forms.plain++;
        else this.forms.counted++;
        this.current = this.blocksSeen++ === this.fault?.block ? { packets, sent: 0, hit: false } : undefined;
      }
      if (this.current === undefined || this.fault === undefined || frame.cmd !== WINDOWED_TRANSFER) continue;
      // New packets leave in order (a re-send is of an earlier one, within the window): a frame numbered as the
      // next new one is that one, whatever the numbering's wrap after 255.
      const { packets } = this.current;
      const fresh = frame.pkt === 0 || frame.pkt === nonFinalNumber(this.current.sent);
      if (!fresh || this.current.hit) continue;
      const index = frame.pkt === 0 ? (packets ?? this.current.sent + 1) - 1 : this.current.sent++;
      // The packet before the last: by the count in the counted form; packet 2 in the plain form (its count is not said).
      const beforeLast = packets === undefined ? index === 1 : index === packets - 2;
      const target = this.fault.place === 'packet-1' ? index === 0
        : this.fault.place === 'before-last' ? beforeLast
          : frame.pkt === 0;
      if (!target) continue;
      this.current.hit = true;
      this.placed++;
      plan.push(this.place(frame));
    }
    if (plan.length > 0) this.simulator.setFaults({ seed: this.rng.int(1, 0x7fffffff), faults: plan });
    return this.inner.write(bytes);
  }

  private opening: Buffer | undefined;

  /** Packet 1 with the same PARAMS as the last one seen (the same block's offset and bytes): a repeat. */
  private repeatsOpening(params: Uint8Array): boolean {
    const same = this.opening !== undefined && this.opening.equals(params);
    this.opening = Buffer.from(params);
    return same;
  }

  private place(frame: HostFrame): FaultInput {
    const { effect, place } = this.fault!;
    if (place === 'after-last') {
      // The register's reply to the block (or an NP still owed): the host has sent everything and hears nothing right.
      const at = this.rng.int(0, 6);
      return effect === 'cut' ? { kind: 'cut', direction: 'tx', at, mode: 'silence' } : { kind: effect, direction: 'tx', at: [at] };
    }
    const inside = frame.start + this.rng.int(0, frame.length - 1);
    if (effect === 'cut') return { kind: 'cut', direction: 'rx', at: inside, mode: 'silence' };
    if (effect === 'corrupt') return { kind: 'corrupt', direction: 'rx', at: [inside] };
    return { kind: 'drop', direction: 'rx', at: Array.from({ length: frame.length }, (_, i) => frame.start + i) };
  }
}
