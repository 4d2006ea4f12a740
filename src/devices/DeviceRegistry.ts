import type { Logger } from 'pino';
import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { silentLogger } from '../log.js';
import type { DeviceEvent, DeviceSnapshot, DeviceState, RegisterIdentity } from './Device.js';
import type { ReattachExpectation } from './DevicePort.js';
import type { DeviceDiscovery, DiscoveredPort, DiscoveryEvent } from './discovery/DeviceDiscovery.js';
import { DeviceOwners } from './lease/DeviceOwners.js';
import { DeviceLock } from './registry/DeviceLock.js';
import type { ClosableSession, RegisterLink } from './registry/RegisterLink.js';
import { defaultRetryBackoff, retryDelay, type RetryBackoff } from './registry/RetryBackoff.js';

export interface DeviceRegistryOptions<S extends ClosableSession> {
  readonly link: RegisterLink<S>;
  /** Where transports come from besides `add()`; the registry starts and stops its polling. */
  readonly discovery?: Pick<DeviceDiscovery, 'onEvent' | 'current' | 'start' | 'stop'>;
  readonly backoff?: RetryBackoff;
  /** How often an idle online register is asked who it is (`link.identify`); 0 turns it off. Default 5000. */
  readonly heartbeatMs?: number;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Who owns which device (the job runner shares the same table); a new one when absent. */
  readonly owners?: DeviceOwners;
}

/** A device lent to one borrower: its session is the borrower's alone until `release()`. */
export interface DeviceLease<S> {
  readonly id: string;
  readonly session: S;
  release(): void;
}

export interface BorrowOptions {
  /** Stops the wait for an earlier borrower (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /**
   * Who borrows: the device's owner borrows re-entrantly (nested loans do not wait on each other) and also
   * while the device is in its bootloader; anyone else is refused DEVICE_BUSY while the device is owned.
   */
  readonly owner?: string;
}

export interface ReturnRequest {
  readonly expect: ReattachExpectation;
  /** Epoch milliseconds. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  readonly onWaiting?: (elapsedMs: number, allowedMs: number) => void;
}

/** Whether the register answers, as the registry last saw it (ownership is kept apart, in DeviceOwners). */
type Presence = 'identifying' | 'online' | 'offline' | 'bootloader';

/** One way to reach a register: a discovered port or a transport handed in, and what currently runs over it. */
interface Attachment<S> {
  readonly key: string;
  readonly simulated: boolean;
  /** A fresh transport for each attempt (discovered ports), or the same one reopened (added by hand). */
  readonly nextTransport: () => ByteTransport;
  description: TransportDescription;
  transport?: ByteTransport;
  session?: S;
  present: boolean;
  attempt: number;
  retry?: NodeJS.Timeout;
  heartbeat?: NodeJS.Timeout;
  /** The device record this attachment currently feeds. */
  deviceId: string;
  stopListening?: Unsubscribe;
}

interface DeviceRecord<S> {
  id: string;
  presence: Presence;
  transport: TransportDescription;
  identity?: RegisterIdentity;
  simulated: boolean;
  lastSeenAt?: string;
  lastError?: { code: string; message: string };
  attachment?: Attachment<S>;
  readonly lock: DeviceLock;
  /** The owner's hold of `lock`, shared by its nested loans. */
  ownerHold?: { owner: string; depth: number; release: () => void };
  /** Leases waiting for this register to be identified again. */
  readonly returns: Set<(identity: RegisterIdentity) => void>;
  snapshot: DeviceSnapshot;
}

function modeOf(identity: RegisterIdentity): 'application' | 'bootloader' {
  return identity.mode ?? 'application';
}

function stateOf(presence: Presence, owned: boolean): DeviceState {
  return owned && presence === 'online' ? 'maintenance' : presence;
}

/** Resolves with the lock's release, or rejects with the signal's reason (the lock, granted later, is given back at once). */
async function acquireLock(lock: DeviceLock, signal: AbortSignal | undefined): Promise<() => void> {
  const granted = lock.acquire();
  if (signal === undefined) return granted;
  if (signal.aborted) {
    void granted.then((release) => release());
    throw signal.reason;
  }
  let onAbort!: () => void;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([granted, aborted]);
  } catch (error) {
    void granted.then((release) => release());
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function errorSummary(error: unknown): { code: string; message: string } {
  if (isGatewayError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Owns the registers: opens every transport discovery allows (or that is added by hand, like a
 * simulator's), identifies the register behind it, and keeps one snapshot per register, keyed by its
 * machine number. A register that goes away is kept, offline, and picked up again when it returns,
 * on the same or another port. `list()` and `get()` never touch hardware.
 */
export class DeviceRegistry<S extends ClosableSession> {
  private readonly records = new Map<string, DeviceRecord<S>>();
  private readonly attachments = new Map<string, Attachment<S>>();
  private readonly listeners = new Set<(event: DeviceEvent) => void>();
  private readonly link: RegisterLink<S>;
  private readonly backoff: RetryBackoff;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private stopDiscovery?: Unsubscribe;
  private readonly stopOwners: Unsubscribe;
  private closed = false;
  private explicitCount = 0;
  /** Who owns which device; share it with the job runner (`new JobRunner({ owners: registry.owners })`). */
  readonly owners: DeviceOwners;

  constructor(private readonly options: DeviceRegistryOptions<S>) {
    this.link = options.link;
    this.backoff = options.backoff ?? defaultRetryBackoff;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.owners = options.owners ?? new DeviceOwners();
    this.stopOwners = this.owners.onChange((id) => {
      if (this.records.has(id)) this.upsert(id, {}, 'changed');
    });
  }

  /** Attaches what discovery already knows and follows its events from now on. */
  start(): void {
    const discovery = this.options.discovery;
    if (!discovery || this.stopDiscovery || this.closed) return;
    this.stopDiscovery = discovery.onEvent((event) => this.onDiscovery(event));
    for (const port of discovery.current()) this.attachPort(port);
    discovery.start();
  }

  /**
   * Adds a transport by hand (a simulator's memory transport, a port named in the API after the
   * allow-list check). Returns the provisional id; the register's id follows once identified.
   */
  add(transport: ByteTransport, options: { simulated?: boolean } = {}): string {
    this.assertOpen();
    this.explicitCount += 1;
    const key = `added:${this.explicitCount}:${transport.description.path}`;
    return this.attach(key, transport.description, () => transport, options.simulated ?? transport.description.kind === 'memory');
  }

  list(): DeviceSnapshot[] {
    return [...this.records.values()].map((record) => record.snapshot);
  }

  get(id: string): DeviceSnapshot | undefined {
    return this.records.get(id)?.snapshot;
  }

  onEvent(listener: (event: DeviceEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Waits for the device's previous borrower, then lends its session. DEVICE_NOT_FOUND for an unknown
   * id, DEVICE_BUSY (with the job) when a job owns it and the borrower is not that job, DEVICE_OFFLINE
   * when it does not answer (or no longer, after the wait), DEVICE_IN_BOOTLOADER for anyone but its owner.
   */
  async borrow(id: string, options: BorrowOptions = {}): Promise<DeviceLease<S>> {
    this.assertOpen();
    const record = this.records.get(id);
    if (!record) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id } });
    const owner = options.owner;
    this.refuseOthers(record, owner);
    const isOwner = owner !== undefined && this.owners.holder(id) === owner;
    let release: () => void;
    if (isOwner && record.ownerHold?.owner === owner) {
      const hold = record.ownerHold;
      hold.depth += 1;
      release = this.releaseOnce(record, hold);
    } else {
      const lockRelease = await acquireLock(record.lock, options.signal);
      if (isOwner) {
        const hold = { owner: owner!, depth: 1, release: lockRelease };
        record.ownerHold = hold;
        release = this.releaseOnce(record, hold);
      } else {
        release = lockRelease;
      }
    }
    try {
      this.refuseOthers(record, owner);
      const session = record.attachment?.session;
      if (this.closed) throw new GatewayError('REGISTRY_CLOSED');
      if (record.presence === 'bootloader' && !isOwner) throw new GatewayError('DEVICE_IN_BOOTLOADER', { params: { id } });
      if ((record.presence !== 'online' && record.presence !== 'bootloader') || session === undefined) {
        throw new GatewayError('DEVICE_OFFLINE', { params: { id } });
      }
      return { id, session, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The session over which the register answers now (undefined while it is away). */
  sessionOf(id: string): S | undefined {
    const record = this.records.get(id);
    return record && (record.presence === 'online' || record.presence === 'bootloader') ? record.attachment?.session : undefined;
  }

  /**
   * For a lease whose register goes away (a reboot, a firmware activation, a pulled cable): lets go of the
   * current link, reconnects, and resolves with the identity of the same machine number once it answers
   * again as `expect` says, on whichever port. A different register on the same port never resolves it.
   * DEVICE_REATTACH_TIMEOUT at the deadline; the signal's reason when aborted. `onWaiting` is told every second.
   */
  async awaitReturn(id: string, request: ReturnRequest): Promise<RegisterIdentity> {
    this.assertOpen();
    const record = this.records.get(id);
    if (!record) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id } });
    const started = Date.now();
    const allowed = Math.max(0, request.deadline - started);
    const accepts = (identity: RegisterIdentity) => request.expect === 'either' || modeOf(identity) === request.expect;
    return new Promise<RegisterIdentity>((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(request.signal.reason);
        return;
      }
      const ticker = setInterval(() => request.onWaiting?.(Date.now() - started, allowed), 1000);
      const timer = setTimeout(() => finish(new GatewayError('DEVICE_REATTACH_TIMEOUT', {
        params: { id, expect: request.expect, seconds: Math.round(allowed / 1000) },
      })), allowed);
      const finish = (error: unknown, identity?: RegisterIdentity) => {
        record.returns.delete(onReturn);
        clearInterval(ticker);
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (identity) resolve(identity);
        else reject(error);
      };
      const onReturn = (identity: RegisterIdentity) => {
        if (accepts(identity)) finish(undefined, identity);
      };
      const onAbort = () => finish(request.signal!.reason);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      record.returns.add(onReturn);
      request.onWaiting?.(0, allowed);
      void this.reconnect(record);
    });
  }

  async withSession<T>(id: string, work: (session: S) => Promise<T>): Promise<T> {
    const lease = await this.borrow(id);
    try {
      return await work(lease.session);
    } finally {
      lease.release();
    }
  }

  /** Stops discovery and retries, closes every session and transport. The snapshots stay readable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopOwners();
    this.stopDiscovery?.();
    await this.options.discovery?.stop();
    await Promise.all([...this.attachments.values()].map((attachment) => this.detach(attachment, false)));
  }

  private onDiscovery(event: DiscoveryEvent): void {
    if (this.closed) return;
    if (event.type === 'attached') {
      this.attachPort(event.port);
      return;
    }
    const attachment = this.attachments.get(`port:${event.port.key}`);
    if (attachment) void this.detach(attachment, true);
  }

  private attachPort(port: DiscoveredPort): void {
    const key = `port:${port.key}`;
    if (this.attachments.has(key)) return;
    this.attach(key, port.description, () => port.createTransport(), false);
  }

  private attach(key: string, description: TransportDescription, nextTransport: () => ByteTransport, simulated: boolean): string {
    const provisionalId = `${description.kind}:${description.path}`;
    const attachment: Attachment<S> = { key, simulated, nextTransport, description, present: true, attempt: 0, deviceId: provisionalId };
    this.attachments.set(key, attachment);
    if (!this.records.has(provisionalId)) {
      this.upsert(provisionalId, { presence: 'identifying', transport: description, simulated, attachment }, 'added');
    }
    void this.connect(attachment);
    return provisionalId;
  }

  /** Opens, builds a session, identifies; on failure marks the device offline and tries again later. */
  private async connect(attachment: Attachment<S>): Promise<void> {
    if (!attachment.present || this.closed) return;
    const transport = attachment.nextTransport();
    attachment.transport = transport;
    let session: S | undefined;
    try {
      await transport.open();
      attachment.stopListening = transport.onClose((error) => this.onTransportClosed(attachment, transport, error));
      session = this.link.createSession(transport);
      attachment.session = session;
      const identity = await this.link.identify(session);
      if (!attachment.present || this.closed || attachment.transport !== transport) {
        await this.release(attachment, transport);
        return;
      }
      attachment.attempt = 0;
      this.identified(attachment, identity);
    } catch (error) {
      this.logger.warn({ path: attachment.description.path, err: error }, 'register not reachable');
      const current = this.records.get(attachment.deviceId);
      if (attachment.transport === transport) await this.release(attachment, transport);
      if (current && current.attachment === attachment) {
        const failure = isGatewayError(error) && !error.code.startsWith('TRANSPORT_') && current.identity === undefined
          ? new GatewayError('DEVICE_IDENTIFY_FAILED', { params: { path: attachment.description.path, detail: error.message }, cause: error })
          : error;
        this.upsert(current.id, { presence: 'offline', lastError: errorSummary(failure) }, 'changed');
      }
      this.scheduleRetry(attachment);
    }
  }

  private identified(attachment: Attachment<S>, identity: RegisterIdentity): void {
    const id = identity.machineNumber;
    const provisional = attachment.deviceId;
    const existing = this.records.get(id);
    const elsewhere = existing?.attachment;
    const answering = existing !== undefined && (existing.presence === 'online' || existing.presence === 'bootloader');
    if (existing && answering && elsewhere && elsewhere !== attachment && elsewhere.session) {
      // The same register on a second port: keep the first link, do not open it twice.
      this.logger.warn({ id, path: attachment.description.path, kept: elsewhere.description.path }, 'register already connected on another port');
      attachment.present = false;
      void this.release(attachment, attachment.transport);
      this.attachments.delete(attachment.key);
      if (provisional !== id) this.leave(provisional, attachment);
      return;
    }
    if (provisional !== id) this.leave(provisional, attachment);
    attachment.deviceId = id;
    // An open transport may know more of its device than discovery could ask (a USB serial number).
    if (attachment.transport) attachment.description = attachment.transport.description;
    this.upsert(id, {
      presence: modeOf(identity) === 'bootloader' ? 'bootloader' : 'online',
      transport: attachment.description,
      identity,
      simulated: attachment.simulated,
      attachment,
      lastSeenAt: this.now().toISOString(),
      lastError: undefined,
    }, existing ? 'changed' : 'added');
    this.scheduleHeartbeat(attachment);
    const record = this.records.get(id);
    for (const waiter of [...(record?.returns ?? [])]) waiter(identity);
  }

  /** Lets go of the record's current link (if any) and tries it again at once; other ports keep being followed. */
  private async reconnect(record: DeviceRecord<S>): Promise<void> {
    const attachment = record.attachment;
    if (!attachment || !attachment.present || this.closed) return;
    await this.release(attachment, attachment.transport);
    if (record.attachment === attachment && record.presence !== 'offline') {
      this.upsert(record.id, {
        presence: 'offline',
        lastError: errorSummary(new GatewayError('TRANSPORT_CLOSED', { params: { path: attachment.description.path } })),
      }, 'changed');
    }
    clearTimeout(attachment.retry);
    attachment.retry = undefined;
    attachment.attempt = 0;
    this.scheduleRetry(attachment);
  }

  private refuseOthers(record: DeviceRecord<S>, owner: string | undefined): void {
    const holder = this.owners.holder(record.id);
    if (holder !== undefined && holder !== owner) {
      throw new GatewayError('DEVICE_BUSY', { params: { deviceId: record.id, jobId: holder }, data: { jobId: holder } });
    }
  }

  /** The owner's hold given back once, however often the borrower calls it. */
  private releaseOnce(record: DeviceRecord<S>, hold: { owner: string; depth: number; release: () => void }): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.dropOwnerHold(record, hold);
    };
  }

  private dropOwnerHold(record: DeviceRecord<S>, hold: { owner: string; depth: number; release: () => void }): void {
    hold.depth -= 1;
    if (hold.depth > 0) return;
    if (record.ownerHold === hold) record.ownerHold = undefined;
    hold.release();
  }

  /**
   * Asks an online register, when no job holds it, who it is: silence counts as gone, and another
   * machine number on the same port (a register swapped without the line closing) is a new device.
   */
  private scheduleHeartbeat(attachment: Attachment<S>): void {
    const every = this.options.heartbeatMs ?? 5000;
    if (every <= 0 || this.closed) return;
    const transport = attachment.transport;
    clearTimeout(attachment.heartbeat);
    attachment.heartbeat = setTimeout(async () => {
      attachment.heartbeat = undefined;
      const record = this.records.get(attachment.deviceId);
      if (!record || record.attachment !== attachment || attachment.transport !== transport || this.closed) return;
      // An owned register is its job's alone: the job, not the heartbeat, notices when it goes away.
      if (this.owners.holder(record.id) !== undefined) {
        this.scheduleHeartbeat(attachment);
        return;
      }
      const release = await record.lock.acquire();
      const session = attachment.session;
      try {
        if (this.owners.holder(record.id) !== undefined) {
          this.scheduleHeartbeat(attachment);
          return;
        }
        if (attachment.transport !== transport || session === undefined) return;
        const identity = await this.link.identify(session);
        if (attachment.transport !== transport) return;
        if (identity.machineNumber === record.id) {
          this.upsert(record.id, { lastSeenAt: this.now().toISOString() }, 'quiet');
          this.scheduleHeartbeat(attachment);
          return;
        }
        // A fresh session identifies the newcomer; the old register's record keeps nothing of it.
        this.logger.warn({ id: record.id, answering: identity.machineNumber, path: attachment.description.path }, 'another register answers on this port');
        await this.release(attachment, transport);
        this.leave(record.id, attachment);
        this.scheduleRetry(attachment);
      } catch (error) {
        if (attachment.transport !== transport) return;
        this.logger.warn({ id: record.id, err: error }, 'register stopped answering');
        await this.release(attachment, transport);
        if (record.attachment === attachment) this.upsert(record.id, { presence: 'offline', lastError: errorSummary(error) }, 'changed');
        this.scheduleRetry(attachment);
      } finally {
        release();
      }
    }, every);
  }

  /**
   * The attachment no longer feeds this record (another register answers on its port): a provisional
   * record goes; an identified register stays listed, offline, with nothing attached.
   */
  private leave(id: string, attachment: Attachment<S>): void {
    const record = this.records.get(id);
    if (!record) return;
    if (record.identity === undefined) {
      this.remove(id);
    } else if (record.attachment === attachment) {
      this.upsert(id, {
        presence: 'offline',
        attachment: undefined,
        lastError: errorSummary(new GatewayError('TRANSPORT_UNPLUGGED', { params: { path: attachment.description.path } })),
      }, 'changed');
    }
  }

  private onTransportClosed(attachment: Attachment<S>, transport: ByteTransport, error?: Error): void {
    if (attachment.transport !== transport || this.closed) return;
    void this.release(attachment, transport).then(() => {
      const record = this.records.get(attachment.deviceId);
      if (record && record.attachment === attachment) {
        const reason = error ?? new GatewayError('TRANSPORT_CLOSED', { params: { path: attachment.description.path } });
        this.upsert(record.id, { presence: 'offline', lastError: errorSummary(reason) }, 'changed');
      }
      this.scheduleRetry(attachment);
    });
  }

  private scheduleRetry(attachment: Attachment<S>): void {
    if (!attachment.present || this.closed || attachment.retry) return;
    const delay = retryDelay(this.backoff, attachment.attempt);
    attachment.attempt += 1;
    attachment.retry = setTimeout(() => {
      attachment.retry = undefined;
      void this.connect(attachment);
    }, delay);
  }

  /** The port went away (or the registry closes): stop retrying, close, and mark or drop the device. */
  private async detach(attachment: Attachment<S>, announce: boolean): Promise<void> {
    attachment.present = false;
    clearTimeout(attachment.retry);
    attachment.retry = undefined;
    this.attachments.delete(attachment.key);
    await this.release(attachment, attachment.transport);
    if (!announce) return;
    const record = this.records.get(attachment.deviceId);
    if (!record || record.attachment !== attachment) return;
    if (record.identity === undefined) {
      this.remove(record.id);
    } else {
      this.upsert(record.id, {
        presence: 'offline',
        lastError: errorSummary(new GatewayError('TRANSPORT_UNPLUGGED', { params: { path: attachment.description.path } })),
      }, 'changed');
    }
  }

  /** Ends the session and the transport of an attachment, once. */
  private async release(attachment: Attachment<S>, transport: ByteTransport | undefined): Promise<void> {
    if (attachment.transport !== transport || transport === undefined) return;
    const session = attachment.session;
    clearTimeout(attachment.heartbeat);
    attachment.heartbeat = undefined;
    attachment.transport = undefined;
    attachment.session = undefined;
    attachment.stopListening?.();
    attachment.stopListening = undefined;
    await session?.close().catch((error: unknown) => this.logger.debug({ err: error }, 'session close failed'));
    await transport.close().catch((error: unknown) => this.logger.debug({ err: error }, 'transport close failed'));
  }

  private upsert(id: string, changes: Partial<Omit<DeviceRecord<S>, 'id' | 'lock' | 'snapshot' | 'returns'>>, type: 'added' | 'changed' | 'quiet'): void {
    let record = this.records.get(id);
    if (!record) {
      record = {
        id,
        presence: 'identifying',
        transport: changes.transport!,
        simulated: false,
        lock: new DeviceLock(),
        returns: new Set(),
        snapshot: undefined as unknown as DeviceSnapshot,
      };
      this.records.set(id, record);
    }
    Object.assign(record, changes);
    if ('lastError' in changes && changes.lastError === undefined) delete record.lastError;
    const owner = this.owners.holder(record.id);
    record.snapshot = Object.freeze({
      id: record.id,
      state: stateOf(record.presence, owner !== undefined),
      transport: record.transport,
      simulated: record.simulated,
      ...(record.identity ? { identity: record.identity } : {}),
      ...(record.lastSeenAt ? { lastSeenAt: record.lastSeenAt } : {}),
      ...(record.lastError ? { lastError: record.lastError } : {}),
      ...(owner !== undefined ? { jobId: owner } : {}),
    });
    if (type !== 'quiet') this.emit({ type, device: record.snapshot });
  }

  private remove(id: string): void {
    if (this.records.delete(id)) this.emit({ type: 'removed', id });
  }

  private emit(event: DeviceEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error }, 'device event listener failed');
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new GatewayError('REGISTRY_CLOSED');
  }
}
