/** The part of `node-hid` (HIDAsync) that the HID transport and discovery use; tests pass a fake. */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly interface: number;
}

export interface HidDeviceHandle {
  /** The first byte is the report id (0 for devices without numbered reports), as hidapi wants it. */
  write(report: Uint8Array): Promise<number>;
  /** One input report, or undefined when none arrived within the timeout. */
  read(timeoutMs: number): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

export interface HidApi {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDeviceHandle>;
}
