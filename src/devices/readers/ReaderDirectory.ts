import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { DeviceSnapshot } from '../Device.js';
import type { DevicePort } from '../DevicePort.js';
import { parseSlotReader, type CardReaders, type ReaderEntry } from './CardReaders.js';
import { pcscEntries, withPcscChannel, type PcscSource } from './PcscCardReaders.js';

/** Listing and reading a card wait only for a short borrower before them (a job's device is refused at once, DEVICE_BUSY). */
const never = new AbortController().signal;

export interface ReaderDirectoryOptions {
  /** The registers whose slots are listed (DeviceRegistry has it). */
  readonly registers: { list(): readonly DeviceSnapshot[] };
  /** How a slot's register is borrowed: the one DevicePort. */
  readonly devices: DevicePort;
  /** The PC/SC readers, when pcscd is there; a throw (PCSC_UNAVAILABLE) means none are listed. */
  readonly pcsc?: () => Promise<PcscSource | undefined>;
  /** The job holding a device, if any: its slots are then shown as unknown rather than waited for. */
  readonly busyWith?: (deviceId: string) => string | undefined;
}

/**
 * Every reader the daemon can reach: PC/SC readers from pcscd and the two slots of each online
 * register (card presence from GB link 41). A card in either is read the same way, through a
 * CardChannel.
 */
export class ReaderDirectory implements CardReaders {
  constructor(private readonly options: ReaderDirectoryOptions) {}

  private async pcsc(): Promise<PcscSource | undefined> {
    try {
      return await this.options.pcsc?.();
    } catch (error) {
      if (isGatewayError(error)) return undefined;
      throw error;
    }
  }

  async list(): Promise<ReaderEntry[]> {
    const entries: ReaderEntry[] = [];
    const pcsc = await this.pcsc();
    if (pcsc !== undefined) entries.push(...pcscEntries(pcsc));
    for (const device of this.options.registers.list()) {
      // A register a job holds is in maintenance (or away while it reboots): its slots are busy with the job.
      if (device.state !== 'online' && device.state !== 'maintenance') continue;
      const slots = ['fiscal', 'user'] as const;
      const busy = this.options.busyWith?.(device.id) ?? device.jobId;
      if (busy !== undefined) {
        for (const slot of slots) entries.push({ name: `${device.id}/${slot}`, kind: 'register-slot', deviceId: device.id, slot, card: 'unknown', busyWithJob: busy });
        continue;
      }
      const status = await this.options.devices.withDevice(device.id, never, (lent) => lent.session.status()).catch(() => undefined);
      for (const slot of slots) {
        const state = status === undefined ? 'unknown' : status[slot === 'fiscal' ? 'fiscalSlot' : 'userSlot'];
        entries.push({
          name: `${device.id}/${slot}`, kind: 'register-slot', deviceId: device.id, slot,
          card: state === 'unknown' ? 'unknown' : state === 'empty' ? 'absent' : 'present',
        });
      }
    }
    return entries;
  }

  async withChannel<T>(reader: string, work: (channel: CardChannel) => Promise<T>): Promise<T> {
    const slot = parseSlotReader(reader);
    if (slot !== undefined && this.options.registers.list().some((d) => d.id === slot.deviceId)) {
      const busy = this.options.busyWith?.(slot.deviceId) ?? this.options.registers.list().find((d) => d.id === slot.deviceId)?.jobId;
      if (busy !== undefined) throw new GatewayError('DEVICE_BUSY', { params: { deviceId: slot.deviceId, jobId: busy }, data: { jobId: busy } });
      return this.options.devices.withDevice(slot.deviceId, never, (lent) => work(lent.slot(slot.slot)));
    }
    const pcsc = await this.pcsc();
    if (pcsc === undefined) throw new GatewayError('READER_NOT_FOUND', { params: { reader } });
    return withPcscChannel(pcsc, reader, work);
  }

  /**
   * The PC/SC channels named for an initialization, opened for the length of `work`; a name that is
   * one of `deviceId`'s own slots (or none) leaves that card to the register's slot.
   */
  async withPcscChannels<T>(
    deviceId: string, names: { fiscal?: string; user?: string }, work: (channels: { fiscal?: CardChannel; user?: CardChannel }) => Promise<T>,
  ): Promise<T> {
    const own = (name: string | undefined) => name === undefined || parseSlotReader(name)?.deviceId === deviceId;
    const open = async (role: 'fiscal' | 'user', acc: { fiscal?: CardChannel; user?: CardChannel }, next: (acc: { fiscal?: CardChannel; user?: CardChannel }) => Promise<T>): Promise<T> => {
      const name = names[role];
      if (own(name)) return next(acc);
      if (parseSlotReader(name!) !== undefined && this.options.registers.list().some((d) => d.id === parseSlotReader(name!)!.deviceId)) {
        throw new GatewayError('READER_NOT_FOUND', { params: { reader: name! } });
      }
      const pcsc = await this.pcsc();
      if (pcsc === undefined) throw new GatewayError('READER_NOT_FOUND', { params: { reader: name! } });
      return withPcscChannel(pcsc, name!, (channel) => next({ ...acc, [role]: channel }));
    };
    return open('fiscal', {}, (acc) => open('user', acc, work));
  }
}
