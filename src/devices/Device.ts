import type { TransportDescription } from '../../contracts/ByteTransport.js';

/** What GB link 37 (factory data) tells about a register; the basis of its identity. */
export interface RegisterIdentity {
  /** 16-digit machine number (机器编号), the register's stable id. */
  readonly machineNumber: string;
  readonly model: string;
  readonly hardwareRevision: string;
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
  /**
   * Who answered: the register's application, or its bootloader (GB link SPEC §5.2: firmware version 0.0.0;
   * only 00, 37 and 64 work then). Absent means application.
   */
  readonly mode?: 'application' | 'bootloader';
}

/**
 * - identifying: a transport is open, nobody has said who answers yet;
 * - online: the register's application answers and nobody owns it;
 * - maintenance: a job owns it (src/jobs/ENGINE.md) and it answers;
 * - bootloader: its bootloader answers (owned or not);
 * - offline: it does not answer (owned or not).
 */
export type DeviceState = 'identifying' | 'online' | 'offline' | 'maintenance' | 'bootloader';

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
  /** The job that owns the device (maintenance, or away and still owned). */
  readonly jobId?: string;
}

export type DeviceEvent =
  | { readonly type: 'added' | 'changed'; readonly device: DeviceSnapshot }
  | { readonly type: 'removed'; readonly id: string };
