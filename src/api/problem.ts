import type { GatewayError, Language } from '../../contracts/errors/index.js';
import { redactSecrets } from '../jobs/redact.js';

/** The language a client asked for: zh-CN when its first preference is any Chinese, else en. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage.split(',').map((part, index) => {
    const [tag = '', ...rest] = part.trim().split(';');
    const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { tag: tag.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
  }).filter((entry) => entry.tag !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  const first = ranked.find((entry) => entry.tag.startsWith('zh') || entry.tag.startsWith('en'));
  return first?.tag.startsWith('zh') ? 'zh-CN' : 'en';
}

const reserved = new Set(['type', 'status', 'code', 'title', 'detail', 'instance', 'messages']);

/**
 * An RFC 9457 problem body: `title` is the message and `detail` the remedy in the asked language;
 * `messages` carries both languages; the error's machine-readable facts (e.g. `jobId`) are extension members.
 */
export function problemBody(error: GatewayError, language: Language, instance?: string): Record<string, unknown> {
  const facts = redactSecrets(Object.fromEntries(Object.entries(error.data).filter(([name]) => !reserved.has(name))));
  const remedy = error.remedy(language);
  return {
    type: `urn:fiscal-gateway:error:${error.code}`,
    status: error.spec.http,
    code: error.code,
    title: error.localized(language),
    ...(remedy === undefined ? {} : { detail: remedy }),
    ...(instance === undefined ? {} : { instance }),
    messages: {
      'zh-CN': { title: error.localized('zh-CN'), ...(error.remedy('zh-CN') ? { detail: error.remedy('zh-CN') } : {}) },
      en: { title: error.localized('en'), ...(error.remedy('en') ? { detail: error.remedy('en') } : {}) },
    },
    ...facts,
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
