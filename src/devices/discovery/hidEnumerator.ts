import { loadHidApi } from '../../../drivers/hid/loadHidApi.js';
import { HidTransport } from '../../../drivers/hid/HidTransport.js';
import type { HidApi } from '../../../drivers/hid/HidApi.js';
import type { PortCandidate, PortEnumerator } from './PortCandidate.js';
import { resolveNode } from './resolveNode.js';

/** HID devices from `node-hid` (its listing reads descriptors; nothing is opened). */
export function hidEnumerator(api?: HidApi): PortEnumerator {
  return {
    name: 'hid',
    async list(): Promise<PortCandidate[]> {
      const hid = api ?? (await loadHidApi());
      const candidates: PortCandidate[] = [];
      for (const info of await hid.devices()) {
        const path = info.path;
        if (path === undefined) continue;
        const transport = new HidTransport({ info: { ...info, path }, api: hid });
        candidates.push({
          description: transport.description,
          node: await resolveNode(path),
          createTransport: () => new HidTransport({ info: { ...info, path }, api: hid }),
        });
      }
      return candidates;
    },
  };
}
