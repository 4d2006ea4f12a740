import type { Logger } from 'pino';
import type { ByteTransport, TransportDescription, Unsubscribe } from '../../../contracts/ByteTransport.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { silentLogger } from '../../log.js';
import { ruleAllows } from './AllowRule.js';
import type { DiscoveryConfig } from './discoveryConfig.js';
import { hidEnumerator } from './hidEnumerator.js';
import { expandGlob } from './pathGlob.js';
import type { PortCandidate, PortEnumerator } from './PortCandidate.js';
import { resolveNode } from './resolveNode.js';
import { isSerialLineNode } from './serialLineNode.js';
import { serialEnumerator } from './serialEnumerator.js';
import { usbEnumerator } from './usbEnumerator.js';

/** A device discovery may open: it matched the allow-list. */
export interface DiscoveredPort {
  /** Same key = same device node, whatever name it was found under. */
  readonly key: string;
  readonly description: TransportDescription;
  createTransport(): ByteTransport;
}

export type DiscoveryEvent =
  | { readonly type: 'attached'; readonly port: DiscoveredPort }
  | { readonly type: 'detached'; readonly port: DiscoveredPort };

export interface DeviceDiscoveryOptions {
  /** Replaces the bus enumerators (tests); by default serial, USB and HID per `config.buses`. */
  readonly enumerators?: readonly PortEnumerator[];
  readonly logger?: Logger;
  /** Where sysfs lists character devices (`/sys/dev/char`); tests point it elsewhere. */
  readonly sysDevChar?: string;
}

interface Link {
  readonly path: string;
  readonly node: string;
}

/**
 * Lists serial ports, USB and HID devices every `pollIntervalMs`, keeps those the allow-list names and
 * reports which appeared and which went away. It never opens anything itself: opening is for whoever
 * receives an `attached` event, and only such ports are ever handed out.
 */
export class DeviceDiscovery {
  private readonly enumerators: readonly PortEnumerator[];
  private readonly logger: Logger;
  private readonly sysDevChar: string | undefined;
  private readonly listeners = new Set<(event: DiscoveryEvent) => void>();
  private readonly lastGood = new Map<string, PortCandidate[]>();
  private readonly failing = new Set<string>();
  private ports = new Map<string, DiscoveredPort>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<DiscoveredPort[]> | undefined;

  constructor(private readonly config: DiscoveryConfig, options: DeviceDiscoveryOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.sysDevChar = options.sysDevChar;
    this.enumerators = options.enumerators ?? config.buses.map((bus) => {
      if (bus === 'serial') {
        return serialEnumerator({
          baudRate: config.baudRate,
          ...(config.interByteTimeoutMs !== undefined ? { interByteTimeoutMs: config.interByteTimeoutMs } : {}),
        });
      }
      return bus === 'usb' ? usbEnumerator() : hidEnumerator();
    });
  }

  onEvent(listener: (event: DiscoveryEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The allowed devices seen by the last scan. */
  current(): DiscoveredPort[] {
    return [...this.ports.values()];
  }

  isAllowed(description: TransportDescription, aliases: readonly string[] = []): boolean {
    return this.config.allow.some((rule) => ruleAllows(rule, description, aliases));
  }

  /** PORT_NOT_ALLOWED unless the allow-list names this device (for ports named by hand, e.g. through the API). */
  assertAllowed(description: TransportDescription, aliases: readonly string[] = []): void {
    if (!this.isAllowed(description, aliases)) throw new GatewayError('PORT_NOT_ALLOWED', { params: { path: description.path } });
  }

  /** Scans now and then every `pollIntervalMs` until `stop()`. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.scan().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.config.pollIntervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.scanning;
  }

  /** One round: list, filter, compare with the last round, announce the difference. */
  scan(): Promise<DiscoveredPort[]> {
    this.scanning ??= this.scanOnce().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<DiscoveredPort[]> {
    const candidates = (await Promise.all(this.enumerators.map((enumerator) => this.listSafely(enumerator)))).flat();
    const links = await this.pathLinks();
    const next = new Map<string, DiscoveredPort>();
    const byNode = new Map<string, PortCandidate>();
    for (const candidate of candidates) byNode.set(candidate.node, candidate);

    for (const candidate of candidates) {
      const aliases = links.filter((link) => link.node === candidate.node).map((link) => link.path);
      if (!this.isAllowed(candidate.description, aliases)) continue;
      const key = `${candidate.description.kind}:${candidate.node}`;
      // Open under the stable /dev/fiscal name when there is one: it survives re-enumeration.
      const openAs = candidate.description.kind === 'serial' ? aliases[0] : undefined;
      const description = openAs ? { ...candidate.description, path: openAs } : candidate.description;
      next.set(key, this.keep(key, description, () => candidate.createTransport(openAs)));
    }
    // Allowed paths no bus listed (a pty, a port the binding cannot see) are serial lines, if their node can be one.
    for (const link of links) {
      if (byNode.has(link.node)) continue;
      const key = `serial:${link.node}`;
      if (next.has(key) || !(await isSerialLineNode(link.node, this.sysDevChar))) continue;
      const description: TransportDescription = { kind: 'serial', path: link.path };
      next.set(key, this.keep(key, description, () => new SerialTransport({
        path: link.path,
        baudRate: this.config.baudRate,
        ...(this.config.interByteTimeoutMs !== undefined ? { interByteTimeoutMs: this.config.interByteTimeoutMs } : {}),
      })));
    }

    const previous = this.ports;
    this.ports = next;
    for (const [key, port] of previous) if (!next.has(key)) this.emit({ type: 'detached', port });
    for (const [key, port] of next) if (!previous.has(key)) this.emit({ type: 'attached', port });
    return [...next.values()];
  }

  /** Keeps the object of the last round for an unchanged key, so listeners can compare by identity. */
  private keep(key: string, description: TransportDescription, createTransport: () => ByteTransport): DiscoveredPort {
    const known = this.ports.get(key);
    if (known && known.description.path === description.path) return known;
    return { key, description, createTransport };
  }

  /** The existing paths the allow-list's path rules name, with the node each resolves to. */
  private async pathLinks(): Promise<Link[]> {
    const links: Link[] = [];
    for (const rule of this.config.allow) {
      if (rule.type !== 'path') continue;
      for (const path of await expandGlob(rule.pattern)) links.push({ path, node: await resolveNode(path) });
    }
    return links;
  }

  /** A bus that cannot be listed this round keeps what it listed last, so its devices do not flap. */
  private async listSafely(enumerator: PortEnumerator): Promise<PortCandidate[]> {
    try {
      const listed = await enumerator.list();
      this.lastGood.set(enumerator.name, listed);
      if (this.failing.delete(enumerator.name)) this.logger.info({ bus: enumerator.name }, 'device bus can be listed again');
      return listed;
    } catch (error) {
      if (!this.failing.has(enumerator.name)) {
        this.failing.add(enumerator.name);
        this.logger.warn({ bus: enumerator.name, err: error }, 'cannot list devices on this bus');
      }
      return this.lastGood.get(enumerator.name) ?? [];
    }
  }

  private emit(event: DiscoveryEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
