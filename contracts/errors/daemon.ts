import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * Errors of the daemon itself: its HTTP endpoint, jobs, store, configuration and the fiscalctl client.
 * DEVICE_NOT_FOUND and DEVICE_OFFLINE live in transport.ts (the device registry's table).
 */
export const daemonErrors = {
  UNAUTHORIZED: {
    http: 401, exit: ExitCode.failed,
    zh: '缺少或错误的访问令牌', en: 'Missing or wrong access token',
    remedyZh: '使用数据目录中 token 文件的内容作为 Bearer 令牌（或设置 FISCALD_TOKEN）。',
    remedyEn: 'Send the content of the token file in the data dir as a Bearer token (or set FISCALD_TOKEN).',
  },
  FORBIDDEN_HOST: {
    http: 403, exit: ExitCode.failed,
    zh: '拒绝主机名 {host}：只接受本机回环地址', en: 'Host {host} refused: only loopback names are accepted',
    remedyZh: '通过 http://127.0.0.1:端口 访问网关。', remedyEn: 'Reach the gateway at http://127.0.0.1:PORT.',
  },
  FORBIDDEN_ORIGIN: {
    http: 403, exit: ExitCode.failed,
    zh: '来源 {origin} 未被允许跨域访问', en: 'Origin {origin} is not allowed to call the gateway',
    remedyZh: '在 fiscald 配置的 corsOrigins 中加入该来源。', remedyEn: 'Add the origin to corsOrigins in the fiscald configuration.',
  },
  CSRF_TOKEN_INVALID: {
    http: 403, exit: ExitCode.failed,
    zh: '控制台请求缺少或带有错误的防伪令牌', en: 'The console request lacks its anti-forgery token or carries a wrong one',
    remedyZh: '重新打开控制台页面（运行 fiscalctl console）。', remedyEn: 'Open the console page again (run fiscalctl console).',
  },
  OPERATOR_REQUIRED: {
    http: 400, exit: ExitCode.usage,
    zh: '修改状态的请求必须带有操作员（X-Operator 请求头）', en: 'A state-changing request must name its operator (X-Operator header)',
    remedyZh: '在 fiscalctl 中使用 --operator 或设置 FISCAL_OPERATOR。', remedyEn: 'Use --operator with fiscalctl, or set FISCAL_OPERATOR.',
  },
  VALIDATION_FAILED: {
    http: 400, exit: ExitCode.usage,
    zh: '请求参数无效：{detail}', en: 'Invalid request: {detail}',
  },
  MALFORMED_JSON: {
    http: 400, exit: ExitCode.usage,
    zh: '请求体不是有效的 JSON：{detail}', en: 'The request body is not valid JSON: {detail}',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    http: 415, exit: ExitCode.usage,
    zh: '不支持的内容类型 {contentType}', en: 'Unsupported content type {contentType}',
    remedyZh: '以 application/json 发送请求体。', remedyEn: 'Send the body as application/json.',
  },
  PAYLOAD_TOO_LARGE: {
    http: 413, exit: ExitCode.usage,
    zh: '请求体超过 {limit} 字节上限', en: 'The request body exceeds the {limit}-byte limit',
  },
  ROUTE_NOT_FOUND: {
    // Not a usage error: fiscalctl builds its own paths, so this means a fiscald of another version.
    http: 404, exit: ExitCode.failed,
    zh: '没有这个接口：{method} {url}', en: 'No such endpoint: {method} {url}',
  },
  METHOD_NOT_ALLOWED: {
    http: 405, exit: ExitCode.failed,
    zh: '接口 {url} 不支持 {method}（支持：{allowed}）', en: 'The endpoint {url} does not take {method} (it takes {allowed})',
  },
  DEVICE_BUSY: {
    http: 409, exit: ExitCode.busy,
    zh: '设备 {deviceId} 正在执行任务 {jobId}', en: 'Device {deviceId} is busy with job {jobId}',
    remedyZh: '等待该任务结束（fiscalctl watch {jobId}）后再试。', remedyEn: 'Wait for that job to end (fiscalctl watch {jobId}) and try again.',
  },
  JOB_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到任务 {jobId}', en: 'Job {jobId} not found',
  },
  JOB_ALREADY_FINISHED: {
    http: 409, exit: ExitCode.failed,
    zh: '任务 {jobId} 已结束（{state}）', en: 'Job {jobId} has already ended ({state})',
  },
  DIAGNOSTICS_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到诊断报告 {reportId}', en: 'Diagnostics report {reportId} not found',
  },
  IDEMPOTENCY_KEY_REUSED: {
    http: 422, exit: ExitCode.usage,
    zh: '幂等键 {key} 已用于另一个不同的请求', en: 'Idempotency key {key} was already used for a different request',
    remedyZh: '新的请求请使用新的 Idempotency-Key。', remedyEn: 'Use a fresh Idempotency-Key for a new request.',
  },
  INTERRUPTED_BY_RESTART: {
    http: 500, exit: ExitCode.failed,
    zh: '任务因网关重启而中断', en: 'The job was interrupted by a gateway restart',
    remedyZh: '检查设备状态（fiscalctl diagnose），必要时重新执行该操作。',
    remedyEn: 'Check the device (fiscalctl diagnose) and run the operation again if needed.',
  },
  SHUTTING_DOWN: {
    http: 503, exit: ExitCode.unreachable,
    zh: '网关正在关闭，不再接受新任务', en: 'The gateway is shutting down and accepts no new job',
  },
  CONFIG_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '配置无效：{detail}', en: 'Invalid configuration: {detail}',
  },
  LISTEN_NOT_LOOPBACK: {
    http: 400, exit: ExitCode.usage,
    zh: '监听地址 {host} 不是本机回环地址', en: 'Listen address {host} is not a loopback address',
    remedyZh: '使用 127.0.0.1 或 [::1]；确需对外监听时加 --allow-remote。',
    remedyEn: 'Use 127.0.0.1 or [::1]; add --allow-remote only if the gateway really must listen beyond this PC.',
  },
  LISTEN_ADDRESS_IN_USE: {
    // Busy: another program holds the port, as another job holds a device.
    http: 409, exit: ExitCode.busy,
    zh: '监听地址 {address} 已被其他程序占用', en: 'The listen address {address} is already in use by another program',
    remedyZh: '停止占用该端口的程序（可用 ss -ltnp 查看；也可能是另一个 fiscald），或用 --listen 指定其他端口。',
    remedyEn: 'Stop the program holding that port (ss -ltnp shows it; it may be another fiscald), or choose another port with --listen.',
  },
  LISTEN_FAILED: {
    http: 500, exit: ExitCode.failed,
    zh: '无法监听 {address}：{detail}', en: 'Cannot listen on {address}: {detail}',
    remedyZh: '检查该地址是否属于本机，以及端口是否允许本用户使用（1024 以下需要特权）。',
    remedyEn: 'Check that the address belongs to this PC and that this user may use the port (below 1024 needs privileges).',
  },
  DATA_DIR_UNUSABLE: {
    http: 500, exit: ExitCode.failed,
    zh: '数据目录 {dir} 不可用：{detail}', en: 'The data dir {dir} is unusable: {detail}',
    remedyZh: '检查该目录的属主与权限，或用 --data-dir 指定其他目录。',
    remedyEn: 'Check the owner and mode of that folder, or choose another with --data-dir.',
  },
  DAEMON_UNREACHABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '无法连接 fiscald（{url}）：{detail}', en: 'Cannot reach fiscald at {url}: {detail}',
    remedyZh: '启动 fiscald，或用 FISCALD_URL 指向正在运行的网关。',
    remedyEn: 'Start fiscald, or point FISCALD_URL at the running gateway.',
  },
  TOKEN_NOT_FOUND: {
    http: 401, exit: ExitCode.failed,
    zh: '找不到访问令牌：{detail}', en: 'No access token found: {detail}',
    remedyZh: '设置 FISCALD_TOKEN，或用 --data-dir 指向 fiscald 的数据目录。',
    remedyEn: 'Set FISCALD_TOKEN, or point --data-dir at the data dir of fiscald.',
  },
  CLI_USAGE: {
    http: 400, exit: ExitCode.usage,
    zh: '用法错误：{detail}', en: 'Usage error: {detail}',
    remedyZh: '运行 fiscalctl --help 查看用法。', remedyEn: 'Run fiscalctl --help for usage.',
  },
} as const satisfies ErrorTable;
