export { crc16Umts } from './crc16.js';
export * from './frame.js';
export { FrameDecoder, type FrameDirection, type DecoderStats } from './FrameDecoder.js';
export * from './packets.js';
export { ER, errorCodeForEr, isTooLong, isTransmissionError, knownErrorCodes, registerError, hexByte } from './errorCodes.js';
export { CMD, MINIMUM_COMMANDS, offeredOnlyWhenListed, type CommandCode } from './commandCodes.js';
export { ByteReader, ByteWriter, payloadError, isLinkDate, isLinkDateTime, type LinkDate, type LinkDateTime } from './fields.js';
export * from './commands.js';
export * from './registerTimeZone.js';
