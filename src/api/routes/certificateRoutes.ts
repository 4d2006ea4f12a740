import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { storedDiagnosis } from '../../services/diagnostics/deviceFiscalView.js';
import {
  certificatePage, faultCertificate, notInitializedCertificate, repairRecordForm, type Certificate, type DiagnosisForCertificate,
} from '../../services/records/certificates.js';
import type { ApiContext, ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { wholeNumber } from '../wholeNumber.js';

const format = z.strictObject({ format: z.enum(['json', 'html']).default('json') });

const certificateSchema = z.object({
  kind: z.enum(['fault', 'not-initialized', 'repair']), title: z.string(), form: z.string().nullable(),
  source: z.object({ diagnosisId: z.string().nullable(), recordId: z.number().nullable() }),
  machineNumber: z.string(), taxpayer: z.object({ number: z.string(), id: z.string(), name: z.string() }).nullable(),
  fields: z.array(z.tuple([z.string(), z.string()])),
  findings: z.array(z.object({ check: z.string(), zh: z.string(), code: z.string().nullable(), remedy: z.string().nullable() })),
  issuedAt: z.string(),
});
const certificateResponse = { 200: { description: 'The certificate as JSON, or with format=html the printable A4 page (text/html)', schema: certificateSchema } };

/** A stored diagnosis (its id is the job id), as a certificate quotes it. */
function diagnosis(context: ApiContext, id: string): DiagnosisForCertificate {
  const found = storedDiagnosis(context.store, id);
  if (found === undefined) throw new GatewayError('DIAGNOSTICS_NOT_FOUND', { params: { reportId: id } });
  return found;
}

/**
 * Certificates from stored diagnoses and service records: `GET /v1/certificates/fault/{diagnosis}`,
 * `/not-initialized/{diagnosis}` (表单-10) and `/repair/{record}` (表单-06), as JSON or a printable A4 page.
 */
export const certificateRoutes: ApiPlugin = {
  name: 'certificates',
  register(app, context) {
    const { catalog, store } = context;
    const answer = (certificate: Certificate, wanted: 'json' | 'html', reply: { type(t: string): unknown }) => {
      if (wanted === 'json') return certificate;
      reply.type('text/html; charset=utf-8');
      return certificatePage(certificate);
    };
    const diagnosisParams = z.strictObject({ diagnosis: z.string().min(1).max(64) });
    defineRoute(app, catalog, {
      method: 'GET', url: '/certificates/fault/:diagnosis', tags: ['records'], params: diagnosisParams, query: format,
      summary: 'Fault certificate (税控收款机故障证明) from a stored diagnosis with a fault: JSON or a printable A4 page (format=html)',
      responses: certificateResponse,
      handler: async ({ params, query, reply }) => answer(faultCertificate(diagnosis(context, params.diagnosis), new Date()), query.format, reply),
    });
    defineRoute(app, catalog, {
      method: 'GET', url: '/certificates/not-initialized/:diagnosis', tags: ['records'], params: diagnosisParams, query: format,
      summary: 'Not-initialized certificate (税控收款机未初始化证明, 表单-10) from a stored diagnosis that found the register not initialized',
      responses: certificateResponse,
      handler: async ({ params, query, reply }) => answer(notInitializedCertificate(diagnosis(context, params.diagnosis), new Date()), query.format, reply),
    });
    defineRoute(app, catalog, {
      method: 'GET', url: '/certificates/repair/:record', tags: ['records'], params: z.strictObject({ record: wholeNumber(1) }), query: format,
      summary: 'Repair record (税控装置维修记录表, 表单-06) from a repair service record and the diagnosis it cites, with the user\'s signature line',
      responses: certificateResponse,
      handler: async ({ params, query, reply }) => {
        const record = store.records.list().find((r) => r.id === params.record);
        if (record === undefined) throw new GatewayError('RECORD_NOT_FOUND', { params: { recordId: params.record } });
        const cited = typeof record.params.diagnosisId === 'string' ? storedDiagnosis(store, record.params.diagnosisId) : undefined;
        return answer(repairRecordForm(record, cited, new Date()), query.format, reply);
      },
    });
  },
};
