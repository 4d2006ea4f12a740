import type { TransportDescription } from '../../contracts/ByteTransport.js';

/** What GB link 37 (factory data) tells about a register; the basis of its identity. */
export interface RegisterIdentity {
  /** 16-digit machine number (机器编号), the register's stable id. */
  readonly machineNumber: string;
  readonly model: string;
  readonly hardwareRevision: string;
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
}

export type DeviceState = 'identifying' | 'online' | 'offline';

/** A plain, JSON-safe picture of a device, cheap to take: `GET /v1/devices` lists these without touching hardware. */
export interface DeviceSnapshot {
  /** The machine number once identified; until then a name derived from the transport path. */
  readonly id: string;
  readonly state: DeviceState;
  readonly transport: TransportDescription;
  readonly identity?: RegisterIdentity;
  readonly simulated: boolean;
  readonly lastSeenAt?: string;
  readonly lastError?: { readonly code: string; readonly message: string };
}

export type DeviceEvent =
  | { readonly type: 'added' | 'changed'; readonly device: DeviceSnapshot }
  | { readonly type: 'removed'; readonly id: string };
