export { PcscReaders, type CardState, type PcscEvent, type PcscLogger, type PcscReadersOptions, type ReaderInfo } from './PcscReaders.js';
export { PcscCard } from './PcscCard.js';
export type { PcscDisposition, PcscLibrary, PcscProtocol, PcscShareMode } from './PcscLibrary.js';
export { loadNativePcscLibrary } from './NativePcscLibrary.js';
