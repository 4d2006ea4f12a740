import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMatchingCardSet } from '../../../fixtures/cards/cardSet.js';
import { VirtualCardChannel } from '../../../fixtures/cards/VirtualCardChannel.js';
import type { BackupPort } from '../../../src/services/backup/BackupPort.js';
import { cardSections } from '../../../src/services/backup/cardSections.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { decodeRawFile } from '../../../protocols/codec/rawFraming.js';
import { sampleDevice, tempStore } from './sampleBackup.js';

describe('card sections', () => {
  it('backs up the fiscal card EF01–EF05 decoded and raw, and names an empty user slot per file', async () => {
    const cards = createMatchingCardSet({ machineNumber: sampleDevice.machineNumber });
    const port: BackupPort = {
      device: sampleDevice,
      holdings: async () => ({}),
      sections: () => [
        ...cardSections('fiscal', new VirtualCardChannel(cards.fiscal, 'reg/fiscal')),
        ...cardSections('user', new VirtualCardChannel(undefined, 'reg/user')),
      ],
    };
    const store = await tempStore();
    const { dir, manifest } = await collectBackup(port, store);
    for (const ef of ['EF01', 'EF02', 'EF03']) expect(manifest.kinds[`cards/fiscal-${ef}`]).toMatchObject({ records: 1, rawChunks: 1 });
    expect(manifest.kinds['cards/fiscal-EF02'].rawBytes).toBe(103);
    const ef02 = JSON.parse((await readFile(join(dir, 'cards/fiscal-EF02.jsonl'), 'utf8')).trim());
    expect(ef02.record.machineNumber).toBe(sampleDevice.machineNumber);
    expect(decodeRawFile(await readFile(join(dir, 'cards/fiscal-EF02.raw')))[0]).toHaveLength(103);
    expect(manifest.problems.map((p) => [p.check, p.kind, p.data?.code])).toEqual(
      ['EF01', 'EF02', 'EF03', 'EF04', 'EF05', 'EF06', 'EF07'].map((ef) => ['read', `cards/user-${ef}`, 'CARD_REMOVED']),
    );
    expect((await store.verify(manifest.id)).ok).toBe(true);
  });
});
