/** Every GB-link command the gateway uses, with its payload codecs (SPEC.md §5). */
export { command, emptyPayload, layout, recordList, type CommandEffect, type CommandSpec, type PayloadCodec, type RecordListCodec, type RequestOf, type ResponseOf } from './payloads/codec.js';
export * from './payloads/identity.js';
export * from './payloads/taxpayer.js';
export * from './payloads/clock.js';
export * from './payloads/status.js';
export * from './payloads/records.js';
export * from './payloads/rolls.js';
export * from './payloads/controlWriteBack.js';
export * from './payloads/initializationHistory.js';
export * from './payloads/card.js';
export * from './payloads/selfCheck.js';
export * from './payloads/firmware.js';
export * from './payloads/compressedFirmware.js';
