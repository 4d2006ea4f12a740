import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * Errors of fiscald's HTTP edge: what the parser, the router and the connection limits refuse before a
 * route runs. Each is answered as application/problem+json like every other error (src/api/edge).
 */
export const edgeErrors = {
  MALFORMED_HTTP: {
    http: 400, exit: ExitCode.usage,
    zh: '请求不是有效的 HTTP/1.1 报文（{detail}）', en: 'The request is not valid HTTP/1.1 ({detail})',
    remedyZh: '请使用标准的 HTTP 客户端（如 fiscalctl 或 curl）。', remedyEn: 'Use a standard HTTP client (fiscalctl or curl).',
  },
  HEADERS_TOO_LARGE: {
    http: 431, exit: ExitCode.usage,
    zh: '请求行与请求头过大（上限 {limit} 字节）', en: 'The request line and headers are too large (limit {limit} bytes)',
    remedyZh: '缩短请求路径与请求头（例如删除多余的 Cookie）。', remedyEn: 'Shorten the path and headers (drop stray cookies, for instance).',
  },
  REQUEST_TIMEOUT: {
    http: 408, exit: ExitCode.failed,
    zh: '请求未在规定时间内发送完毕', en: 'The request was not sent in time',
    remedyZh: '检查网络后重新发送请求。', remedyEn: 'Check the connection and send the request again.',
  },
  URL_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '请求路径中的百分号编码无效', en: 'The request path holds an invalid percent-encoding',
    remedyZh: '路径中的特殊字符请用 encodeURIComponent 编码。', remedyEn: 'Encode special characters of the path with encodeURIComponent.',
  },
  REQUEST_TARGET_UNSUPPORTED: {
    http: 400, exit: ExitCode.usage,
    zh: '请求目标必须是以 / 开头的路径（网关不是代理）', en: 'The request target must be a path starting with / (the gateway is no proxy)',
    remedyZh: '直接向 http://127.0.0.1:端口/v1/… 发送请求，不要经由代理格式。', remedyEn: 'Send the request to http://127.0.0.1:PORT/v1/… directly, not in proxy form.',
  },
  EXPECTATION_FAILED: {
    http: 417, exit: ExitCode.usage,
    zh: '不支持的 Expect 请求头 {expect}', en: 'Unsupported Expect header {expect}',
    remedyZh: '只可使用 Expect: 100-continue，或不发送该请求头。', remedyEn: 'Send Expect: 100-continue or no Expect header.',
  },
  PATH_PARAMETER_TOO_LONG: {
    http: 414, exit: ExitCode.usage,
    zh: '路径中的标识超过 {limit} 个字符', en: 'An id in the path is longer than {limit} characters',
    remedyZh: '检查标识是否正确（用 fiscalctl devices 或 fiscalctl jobs 查看）。', remedyEn: 'Check the id (fiscalctl devices or fiscalctl jobs lists them).',
  },
  DUPLICATE_HEADER: {
    http: 400, exit: ExitCode.usage,
    zh: '请求头 {header} 出现了多次', en: 'The request carries the header {header} more than once',
    remedyZh: '每个请求只发送一个该请求头。', remedyEn: 'Send that header once per request.',
  },
  IDEMPOTENCY_KEY_OTHER_OPERATOR: {
    http: 422, exit: ExitCode.usage,
    zh: '幂等键 {key} 已被另一位操作员使用', en: 'Idempotency key {key} was already used by another operator',
    remedyZh: '新的请求请使用新的 Idempotency-Key。', remedyEn: 'Use a fresh Idempotency-Key for a new request.',
  },
  TOO_MANY_CONNECTIONS: {
    http: 503, exit: ExitCode.unreachable,
    zh: '网关的连接数已达上限（{limit}）', en: 'The gateway holds its maximum number of connections ({limit})',
    remedyZh: '请在 {retryAfter} 秒后重试；关闭不再使用的连接。', remedyEn: 'Try again in {retryAfter} s; close connections no longer in use.',
  },
  TOO_MANY_EVENT_STREAMS: {
    http: 503, exit: ExitCode.unreachable,
    zh: '同时打开的任务事件流已达上限（{limit}）', en: 'The gateway serves its maximum number of job event streams ({limit})',
    remedyZh: '请在 {retryAfter} 秒后重试，或关闭其他正在跟踪任务的窗口。', remedyEn: 'Try again in {retryAfter} s, or close other windows following a job.',
  },
} as const satisfies ErrorTable;
