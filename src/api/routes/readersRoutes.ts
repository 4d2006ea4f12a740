import { z } from 'zod';
import { readerEntrySchema, type CardReaders } from '../../devices/readers/CardReaders.js';
import { cardReportSchema } from '../../services/cards/CardReport.js';
import { readCard } from '../../services/cards/readCard.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';

const readerParams = z.strictObject({ reader: z.string().min(1).max(200) });

/**
 * `GET /v1/readers`: every PC/SC reader and register slot with what it holds; `GET /v1/readers/{reader}/card`:
 * the card in one of them decoded for people (a slot's name is `<device>/fiscal` or `<device>/user`, URL-encoded).
 */
export function readersRoutes(readers: CardReaders): ApiPlugin {
  return {
    name: 'readers',
    register(app, { catalog }) {
      defineRoute(app, catalog, {
        method: 'GET', url: '/readers', tags: ['cards'],
        summary: 'PC/SC readers and register card slots, with whether a card is in each',
        responses: { 200: { description: 'Readers', schema: z.object({ readers: z.array(readerEntrySchema) }) } },
        handler: async () => ({ readers: await readers.list() }),
      });
      defineRoute(app, catalog, {
        method: 'GET', url: '/readers/:reader/card', tags: ['cards'], params: readerParams,
        summary: 'Which card is in the reader (fiscal, user, inspection, upgrade, unknown) and what it holds, for people; read-only, spends no PIN try',
        responses: { 200: { description: 'Card', schema: cardReportSchema } },
        // The name asked for, not the channel's own label (a slot's channel is labelled by its transport).
        handler: async ({ params }) => cardReportSchema.parse({ ...await readers.withChannel(params.reader, (channel) => readCard(channel)), reader: params.reader }),
      });
    },
  };
}
