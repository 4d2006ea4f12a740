export * from './canonicalJson.js';
export * from './metadata.js';
export * from './verifyMetadata.js';
export * from './signMetadata.js';
