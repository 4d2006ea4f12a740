import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeVpcdFrame, VpcdFrameDecoder } from '../../../fixtures/vpcd/VpcdFrameDecoder.js';

/** Plays vpcd: listens on loopback, sends frames, collects what the card answers. */
export class FakeVpcd {
  readonly server: Server;
  peer: Socket | undefined;
  accepted = 0;
  private readonly decoder = new VpcdFrameDecoder();
  private readonly answers: Uint8Array[] = [];
  private answerWaiters: (() => void)[] = [];
  private peerWaiters: (() => void)[] = [];
  private closeWaiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((socket) => {
      this.accepted += 1;
      this.peer = socket;
      socket.on('data', (chunk) => {
        this.answers.push(...this.decoder.push(chunk));
        for (const w of this.answerWaiters.splice(0)) w();
      });
      socket.on('close', () => {
        if (this.peer === socket) this.peer = undefined;
        for (const w of this.closeWaiters.splice(0)) w();
      });
      for (const w of this.peerWaiters.splice(0)) w();
    });
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port)));
  }

  async waitForPeer(): Promise<Socket> {
    if (!this.peer) await new Promise<void>((r) => this.peerWaiters.push(r));
    return this.peer!;
  }

  async waitForPeerClose(): Promise<void> {
    if (this.peer) await new Promise<void>((r) => this.closeWaiters.push(r));
  }

  async exchange(payload: number[] | Uint8Array): Promise<Uint8Array> {
    const peer = await this.waitForPeer();
    peer.write(encodeVpcdFrame(Uint8Array.from(payload)));
    return this.nextAnswer();
  }

  async send(payload: number[]): Promise<void> {
    (await this.waitForPeer()).write(encodeVpcdFrame(Uint8Array.from(payload)));
  }

  async nextAnswer(): Promise<Uint8Array> {
    while (this.answers.length === 0) await new Promise<void>((r) => this.answerWaiters.push(r));
    return this.answers.shift()!;
  }

  close(): Promise<void> {
    this.peer?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
