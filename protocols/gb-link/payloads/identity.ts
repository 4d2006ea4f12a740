import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, emptyPayload, layout } from './codec.js';
import { ascii, digits, linkDate, text, u32, u8, version } from './schemas.js';

/** 00 connect: no data either way; an OK proves a register speaks GB link at this baud rate. */
export const connect = command(CMD.CONNECT, 'connect', 'read', emptyPayload(CMD.CONNECT), emptyPayload(CMD.CONNECT));

export const factoryDataSchema = z.object({
  /** 16-digit machine number (机器编号). */
  machineNumber: digits(16),
  model: text,
  hardwareRevision: ascii(8),
  firmwareVersion: version,
  bootloaderVersion: version,
  /** Date of manufacture; null when the factory did not set it. */
  productionDate: linkDate.nullable(),
});
export type FactoryData = z.infer<typeof factoryDataSchema>;

/** 37 factory data, 46 bytes (SPEC.md §5.2). */
export const factoryData = command(CMD.FACTORY_DATA, 'factory data', 'read', emptyPayload(CMD.FACTORY_DATA), layout<FactoryData>(
  CMD.FACTORY_DATA, factoryDataSchema,
  (w, v) => w.bcd(v.machineNumber, 8, 'machine number').gbk(v.model, 20, 'model').ascii(v.hardwareRevision, 8, 'hardware revision')
    .version(v.firmwareVersion, 'firmware version').version(v.bootloaderVersion, 'bootloader version').date(v.productionDate, 'production date'),
  (r) => ({
    machineNumber: r.bcd(8, 'machine number'),
    model: r.gbk(20, 'model'),
    hardwareRevision: r.ascii(8, 'hardware revision'),
    firmwareVersion: r.version('firmware version'),
    bootloaderVersion: r.version('bootloader version'),
    productionDate: r.date('production date'),
  }),
));

export const capabilitiesSchema = z.object({
  /** Version of this project's extensions the register implements (SPEC.md: 1). */
  protocolVersion: u8,
  /** Baud rates the register can switch to with 71, ascending. */
  baudRates: z.array(u32).max(16),
  /** Largest multi-packet message the register accepts or sends, in bytes. */
  maxMessage: u32,
  /** Command codes the register implements, extensions included (74: it takes windowed transfer, SPEC.md §10). */
  commands: z.array(u8).max(255),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

/** 70 capabilities (project). */
export const capabilities = command(CMD.CAPABILITIES, 'capabilities', 'read', emptyPayload(CMD.CAPABILITIES), layout<Capabilities>(
  CMD.CAPABILITIES, capabilitiesSchema,
  (w, v) => {
    w.u8(v.protocolVersion).u32(v.maxMessage).u8(v.baudRates.length);
    for (const baud of v.baudRates) w.u32(baud, 'baud rate');
    w.u8(v.commands.length);
    for (const code of v.commands) w.u8(code, 'command');
  },
  (r) => {
    const protocolVersion = r.u8('protocol version');
    const maxMessage = r.u32('max message');
    const baudRates = Array.from({ length: r.u8('baud count') }, () => r.u32('baud rate'));
    const commands = Array.from({ length: r.u8('command count') }, () => r.u8('command'));
    return { protocolVersion, baudRates, maxMessage, commands };
  },
));

/** 71 switch baud rate (project): the OK comes at the old rate, then both sides switch. */
export const switchBaud = command(CMD.SWITCH_BAUD, 'switch baud rate', 'write', layout<{ baud: number }>(
  CMD.SWITCH_BAUD, z.object({ baud: u32.min(1200) }), (w, v) => w.u32(v.baud, 'baud'), (r) => ({ baud: r.u32('baud') }),
), emptyPayload(CMD.SWITCH_BAUD));

export const recordCountsSchema = z.object({
  invoices: u32, dailyRecords: u32, declarations: u32, distributedRolls: u32, rollSummaries: u32, initializations: u32,
});
export type RecordCounts = z.infer<typeof recordCountsSchema>;

/** 72 record counts per kind of fiscal memory (project), so a backup can prove it read everything. */
export const recordCounts = command(CMD.RECORD_COUNTS, 'record counts', 'read', emptyPayload(CMD.RECORD_COUNTS), layout<RecordCounts>(
  CMD.RECORD_COUNTS, recordCountsSchema,
  (w, v) => w.u32(v.invoices).u32(v.dailyRecords).u32(v.declarations).u32(v.distributedRolls).u32(v.rollSummaries).u32(v.initializations),
  (r) => ({
    invoices: r.u32(), dailyRecords: r.u32(), declarations: r.u32(),
    distributedRolls: r.u32(), rollSummaries: r.u32(), initializations: r.u32(),
  }),
));
