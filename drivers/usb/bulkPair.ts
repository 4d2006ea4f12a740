import type { UsbDeviceHandle, UsbEndpointInfo } from './UsbApi.js';

/** The interface that carries GB link and its bulk IN and OUT endpoints. */
export interface BulkPair {
  readonly interfaceNumber: number;
  readonly inEndpoint: UsbEndpointInfo;
  readonly outEndpoint: UsbEndpointInfo;
}

/** The first interface (or the `wanted` one) with a bulk IN and a bulk OUT endpoint. */
export function findBulkPair(device: UsbDeviceHandle, wanted?: number): BulkPair | undefined {
  for (const candidate of device.configuration?.interfaces ?? []) {
    if (wanted !== undefined && candidate.interfaceNumber !== wanted) continue;
    const endpoints = candidate.alternate.endpoints;
    const inEndpoint = endpoints.find((endpoint) => endpoint.type === 'bulk' && endpoint.direction === 'in');
    const outEndpoint = endpoints.find((endpoint) => endpoint.type === 'bulk' && endpoint.direction === 'out');
    if (inEndpoint && outEndpoint) return { interfaceNumber: candidate.interfaceNumber, inEndpoint, outEndpoint };
  }
  return undefined;
}
