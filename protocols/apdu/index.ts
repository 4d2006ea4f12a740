export * from './CommandApdu.js';
export * from './ResponseApdu.js';
export * from './statusWords.js';
export * from './transceive.js';
