import { EventEmitter } from 'node:events';
import { read, write } from 'node:fs';
import { promisify } from 'node:util';
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-cpp';
import { GatewayError } from '../../contracts/errors/index.js';

const readAsync = promisify(read);
const writeAsync = promisify(write);

// libuv's poll flags, as the bindings' Poller takes them.
const READABLE = 0b01;
const WRITABLE = 0b10;

type Direction = 'readable' | 'writable';

/** The parts of the bindings' Linux and macOS ports this module reads and writes through. */
interface UnixPort extends BindingPortInterface {
  readonly fd: number | null;
  readonly poller: EventEmitter & { poll(flags: number): void };
}

function isUnixPort(port: BindingPortInterface): port is UnixPort {
  const candidate = port as Partial<UnixPort>;
  return 'fd' in port && candidate.poller instanceof EventEmitter && typeof candidate.poller.poll === 'function';
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function isWouldBlock(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

/**
 * A Unix port of `@serialport/bindings-cpp` whose reads and writes are done here, over the port's own
 * descriptor and poller, because the bindings' versions (13.0.1) hang in two ways:
 *
 * - A read that returns 0 bytes is retried at once, forever. A tty with VMIN=1 returns 0 only once it
 *   has been hung up (USB-serial unplugged, the far end of a pty closed): the retries spin through
 *   libuv's threadpool and the port never reports the disconnect. Here 0 bytes is the hang-up it is.
 * - The native Poller restarts libuv's poll with only the direction just asked for, so a read that
 *   starts waiting for "readable" while a write waits for "writable" drops the write's wait, and the
 *   write never resumes unless bytes arrive. Here every wait asks for all directions still awaited.
 *
 * Opening, closing, line settings and tcdrain stay the bindings' own.
 */
export class UnixLinePort implements BindingPortInterface {
  private writing: Promise<void> | undefined;

  constructor(private readonly port: UnixPort) {}

  get openOptions(): Required<OpenOptions> {
    return this.port.openOptions;
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      const fd = this.openFd();
      let bytesRead: number;
      try {
        ({ bytesRead } = await readAsync(fd, buffer, offset, length, null));
      } catch (error) {
        if (!isWouldBlock(error)) throw this.port.isOpen ? error : this.canceled();
        await this.ready('readable');
        continue;
      }
      // Not canceled, so @serialport/stream closes the port as disconnected.
      if (bytesRead === 0) throw new GatewayError('TRANSPORT_UNPLUGGED', { params: { path: this.port.openOptions.path } });
      return { buffer, bytesRead };
    }
  }

  write(buffer: Buffer): Promise<void> {
    const writing = this.writeAll(buffer);
    this.writing = writing;
    return writing;
  }

  async drain(): Promise<void> {
    this.openFd();
    await this.writing;
    await this.port.drain();
  }

  async close(): Promise<void> {
    await this.port.close();
  }

  update(options: UpdateOptions): Promise<void> {
    return this.port.update(options);
  }

  set(options: SetOptions): Promise<void> {
    return this.port.set(options);
  }

  get(): Promise<PortStatus> {
    return this.port.get();
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return this.port.getBaudRate();
  }

  flush(): Promise<void> {
    return this.port.flush();
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      const fd = this.openFd();
      try {
        offset += (await writeAsync(fd, buffer, offset, buffer.length - offset)).bytesWritten;
      } catch (error) {
        if (!isWouldBlock(error)) throw this.port.isOpen ? error : this.canceled();
        await this.ready('writable');
      }
    }
  }

  /** Resolves on the next readiness of one direction; rejects with the poller's error (canceled on close). */
  private ready(direction: Direction): Promise<void> {
    // A closed port's native poller is destroyed: polling it would crash the process.
    this.openFd();
    const poller = this.port.poller;
    return new Promise((resolve, reject) => {
      // EventEmitter's own once: the Poller's override would restart the poll for this direction alone.
      EventEmitter.prototype.once.call(poller, direction, (error: Error | null) => (error ? reject(error) : resolve()));
      const flags = (poller.listenerCount('readable') > 0 ? READABLE : 0) | (poller.listenerCount('writable') > 0 ? WRITABLE : 0);
      poller.poll(flags);
    });
  }

  /** The descriptor of the open port; throws the canceled error once it is closed. */
  private openFd(): number {
    const fd = this.port.fd;
    if (fd === null || !this.port.isOpen) throw this.canceled();
    return fd;
  }

  /** What @serialport/stream expects from I/O on a port closed under it: an error with `canceled: true`. */
  private canceled(): GatewayError & { canceled: true } {
    return Object.assign(new GatewayError('TRANSPORT_CLOSED', { params: { path: this.port.openOptions.path } }), { canceled: true as const });
  }
}

/** The operating system's binding with `UnixLinePort` reads and writes on Unix; ports without a poller (Windows) as they are. */
export function unixLineBinding(binding: BindingInterface): BindingInterface {
  return {
    list: (): Promise<PortInfo[]> => binding.list(),
    async open(options: OpenOptions): Promise<BindingPortInterface> {
      const port = await binding.open(options);
      return isUnixPort(port) ? new UnixLinePort(port) : port;
    },
  };
}
