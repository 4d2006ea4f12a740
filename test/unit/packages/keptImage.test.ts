import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifestBytes } from '../../../protocols/fwpkg/index.js';
import { keptImage } from '../../../src/services/packages/keptImage.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
const file = join(fixtures, 'vector-ed25519.fwpkg');
const manifest = parseManifestBytes(new Uint8Array(readFileSync(join(fixtures, 'vector-ed25519.manifest.json'))));

describe('keptImage: firmware.bin of a kept package read from its file', () => {
  it('measures the span it found against the manifest before it hands out a reader', async () => {
    const reader = await keptImage(file, 'id', manifest);
    expect(reader.length).toBe(manifest.size);
    expect(Buffer.from(await reader.read(0, reader.length)).equals(readFileSync(join(fixtures, 'vector-image.bin')))).toBe(true);
    await expect(keptImage(file, 'id', { ...manifest, sha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'FWPKG_IMAGE_TAMPERED', params: { digest: 'SHA-256' } });
    await expect(keptImage(file, 'id', { ...manifest, sm3: '0'.repeat(64) })).rejects.toMatchObject({ code: 'FWPKG_IMAGE_TAMPERED', params: { digest: 'SM3' } });
    await expect(keptImage(file, 'id', { ...manifest, size: manifest.size + 1 })).rejects.toMatchObject({ code: 'FWPKG_IMAGE_TAMPERED' });
  });
});
