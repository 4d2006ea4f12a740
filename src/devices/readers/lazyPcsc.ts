import type { Logger } from 'pino';
import { PcscReaders } from '../../../drivers/pcsc/PcscReaders.js';
import type { PcscSource } from './PcscCardReaders.js';

/**
 * PC/SC readers opened on first use and dropped when pcscd goes away, so that a daemon started before
 * pcscd (or without it) still serves register slots and picks the readers up later.
 */
export function lazyPcsc(options: { logger?: Logger; open?: () => Promise<PcscReaders> } = {}): () => Promise<PcscSource | undefined> {
  let current: Promise<PcscReaders> | undefined;
  const open = options.open ?? (() => PcscReaders.open());
  return async () => {
    if (current === undefined) {
      const opening = open();
      current = opening;
      opening.then((readers) => {
        readers.onEvent((event) => {
          if (event.type === 'unavailable' && current === opening) current = undefined;
        });
      }, () => {
        if (current === opening) current = undefined;
      });
    }
    try {
      return await current;
    } catch (error) {
      options.logger?.debug({ err: error }, 'PC/SC readers unavailable');
      return undefined;
    }
  };
}
