import { ApiProblem, currentOperator, followEvents, get, loginWithToken, logout, post, postBytes, problemText, remove, setOperator, startSession } from './api.js';
import { currentLanguage, localized, localTime, named, setLanguage, t, type Language } from './catalogue.js';
import { checkValue } from '../../checkValues.js';
import { progressDetail } from '../../progressDetails.js';
import { resultInWords } from './resultWords.js';
import { upgradeGate, type GateVerdict } from './upgradeGate.js';
import { byId, h } from './dom.js';

interface Device {
  id: string; state: string; simulated?: boolean; busyWithJob?: { id: string; kind?: string } | string | null;
  transport?: { kind: string; path: string };
  identity?: { machineNumber: string; model: string; firmwareVersion: string; bootloaderVersion?: string; hardwareRevision?: string };
  fiscal?: { fiscalState?: string; taxpayer?: { name?: string; id?: string } | string | null; issueDeadline?: string | null;
    lastDiagnosis?: { at?: string; verdict?: string; worst?: string } | string | null; lastBackup?: { at?: string; id?: string } | string | null;
    cards?: Record<string, unknown> };
}
interface Job {
  id: string; kind: string; deviceId: string; state: string; stage: string | null; stages: { id: string }[];
  fraction: number; etaSeconds: number | null; createdAt: string; waiting: { message: unknown } | null;
  result: unknown; error: { code: string; message: string; messageZh: string } | null;
  /** The last progress detail the job's events said (not in the stored row). */
  detail?: string | null;
}

const jobs = new Map<string, Job>();
const followed = new Map<string, AbortController>();
let devices: Device[] = [];
let route = location.hash;
const LANGUAGE_KEY = 'fiscal-console.language';
const OPERATOR_KEY = 'fiscal-console.operator';

// ---- shell -------------------------------------------------------------------------------------

function say(text: string, bad = false): void {
  const status = byId('status');
  status.textContent = text;
  status.className = bad ? 'bad' : 'ok';
}

function busyJobId(device: Device): string | null {
  const busy = device.busyWithJob;
  if (!busy) return null;
  return typeof busy === 'string' ? busy : busy.id;
}

/** "label: value" with the colon each language writes. */
function labelled(label: string, value: string): string {
  return currentLanguage() === 'zh-CN' ? `${label}：${value}` : `${label}: ${value}`;
}

/** A remark in brackets, as each language writes them. */
function aside(text: string): string {
  return currentLanguage() === 'zh-CN' ? `（${text}）` : ` (${text})`;
}

/** Why an operation cannot run on this device now, or null when it can. */
function whyNot(device: Device, needs: 'any' | 'new' | 'initialized' = 'any'): string | null {
  const busy = busyJobId(device);
  if (busy) {
    const kind = jobs.get(busy)?.kind;
    return t('whyBusy', { job: kind ? `${busy.slice(0, 8)}${aside(named('kind', kind))}` : busy.slice(0, 8) });
  }
  if (device.state === 'bootloader') return t('whyBootloader');
  if (device.state !== 'online') return t('whyOffline');
  const fiscal = device.fiscal?.fiscalState;
  if (needs === 'new' && fiscal !== undefined && fiscal !== 'unknown' && fiscal !== 'new') return t('whyNotNew');
  if (needs === 'initialized' && fiscal === 'deregistered') return t('whyDeregistered');
  if (needs === 'initialized' && fiscal === 'new') return t('whyNotInitialized');
  return null;
}

/** A button that, when it cannot act now, is disabled and says why beside it. */
function action(label: string, reason: string | null, run: () => void, id?: string, shared: string | null = null): HTMLElement {
  const button = h('button', { type: 'button', disabled: reason !== null, title: reason ?? undefined, 'data-action': id, onclick: run }, label);
  // A reason every button shares is said once above them (`shared`); only a button's own reason is said beside it.
  return h('span', { class: 'action' }, button, reason && reason !== shared ? h('small', { class: 'why' }, reason) : null);
}

function renderShell(): void {
  document.documentElement.lang = currentLanguage();
  document.title = t('title');
  const operatorInput = h('input', { id: 'operator', maxlength: '64', placeholder: t('operatorPlaceholder'), value: currentOperator() }) as HTMLInputElement;
  operatorInput.addEventListener('input', () => { setOperator(operatorInput.value); localStorage.setItem(OPERATOR_KEY, operatorInput.value); });
  byId('root').replaceChildren(
    h('header', {},
      h('h1', {}, h('a', { href: '#' }, t('title'))),
      h('label', {}, t('operator'), ' ', operatorInput),
      h('button', { type: 'button', id: 'language', onclick: () => switchLanguage() }, t('switchLanguage')),
      h('button', { type: 'button', id: 'logout', onclick: () => { void logout().then(showLogin); } }, t('logout')),
      h('div', { id: 'status', role: 'status', 'aria-live': 'polite' })),
    h('main', { id: 'view' }));
}

function switchLanguage(): void {
  const next: Language = currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN';
  setLanguage(next);
  localStorage.setItem(LANGUAGE_KEY, next);
  renderShell();
  void render();
}

function showLogin(): void {
  document.documentElement.lang = currentLanguage();
  const token = h('input', { id: 'token', type: 'password', autocomplete: 'off', placeholder: t('tokenPlaceholder') }) as HTMLInputElement;
  const error = h('p', { class: 'bad', id: 'login-error' }, location.hash === '#login-expired' ? t('loginExpired') : '');
  const form = h('form', { id: 'login-form' }, token, h('button', { type: 'submit' }, t('connect')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void loginWithToken(token.value.trim()).then((ok) => {
      token.value = '';
      if (ok) { location.hash = ''; void boot(); } else error.textContent = t('tokenRefused');
    });
  });
  byId('root').replaceChildren(h('section', { id: 'login' },
    h('h1', {}, t('loginTitle')), h('p', {}, t('loginHow')), form, error,
    h('button', { type: 'button', id: 'language', onclick: () => { setLanguage(currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN'); showLogin(); } }, t('switchLanguage'))));
}

// ---- views ---------------------------------------------------------------------------------------

async function render(): Promise<void> {
  route = location.hash;
  const view = byId('view');
  try {
    const device = /^#device\/(.+)$/.exec(route);
    if (device) view.replaceChildren(await devicePage(decodeURIComponent(device[1]!)));
    else view.replaceChildren(...(await homePage()));
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) return showLogin();
    say(problemText(error), true);
  }
}

function fiscalOf(device: Device): string {
  return named('fiscal', device.fiscal?.fiscalState ?? 'unknown');
}

function taxpayerOf(device: Device): string {
  const taxpayer = device.fiscal?.taxpayer;
  if (!taxpayer) return t('none');
  return typeof taxpayer === 'string' ? taxpayer : [taxpayer.name, taxpayer.id].filter(Boolean).join(' ');
}

async function homePage(): Promise<HTMLElement[]> {
  devices = (await get<{ devices: Device[] }>('/v1/devices')).devices;
  const readers = (await get<{ readers: { name: string; kind: string; card: string; deviceId?: string }[] }>('/v1/readers')).readers;
  const slots = (device: Device) => readers.filter((r) => r.kind === 'register-slot' && r.deviceId === device.id)
    .map((r) => t('slotCard', { slot: r.name.endsWith('/fiscal') ? t('fiscalSlot') : t('userSlot'), card: named('card', r.card) })).join(currentLanguage() === 'zh-CN' ? '；' : '; ');
  const rows = devices.map((device) => h('tr', { 'data-device': device.id },
    h('td', { class: 'mono' }, h('a', { href: `#device/${encodeURIComponent(device.id)}` }, device.identity?.machineNumber ?? device.id)),
    h('td', { class: `state-${device.state}` }, named('state', device.state), device.simulated ? h('small', {}, ` ${t('simulated')}`) : null),
    h('td', {}, fiscalOf(device)),
    h('td', {}, device.identity?.model ?? ''),
    h('td', { class: 'mono' }, device.identity?.firmwareVersion ?? ''),
    h('td', {}, slots(device)),
    h('td', { class: 'mono' }, busyJobId(device)?.slice(0, 8) ?? ''),
    h('td', {}, action(t('open'), null, () => { location.hash = `#device/${encodeURIComponent(device.id)}`; }))));
  const cardOut = h('div', { id: 'card-view' });
  const readerRows = readers.map((reader) => h('tr', {},
    h('td', {}, reader.name), h('td', { class: `card-${reader.card}` }, named('card', reader.card)),
    h('td', {}, action(t('readCard'), reader.card === 'present' ? null : t('noCard'), () => void readCard(reader.name, cardOut)))));
  return [
    h('section', { class: 'wide' }, h('h2', {}, t('devices')), h('table', { id: 'devices' },
      h('thead', {}, h('tr', {}, ...[t('machineNumber'), t('state'), t('fiscalState'), t('model'), t('firmware'), t('cardsInSlots'), t('busyWith'), t('operations')].map((x) => h('th', {}, x)))),
      h('tbody', {}, rows))),
    h('section', {}, h('h2', {}, t('readers')), h('table', { id: 'readers' }, h('tbody', {}, readerRows)), cardOut),
    await packagesSection(),
    await jobsSection(),
    await recordsSection(),
  ];
}

/** One card, decoded for people: what it is, whose, its numbers and validity, registration and PIN tries (never spent to learn). */
async function readCard(reader: string, out: HTMLElement): Promise<void> {
  out.replaceChildren(h('p', { class: 'muted' }, '…'));
  try {
    const card = await get<Record<string, unknown>>(`/v1/readers/${encodeURIComponent(reader)}/card`);
    const body = (card[String(card.kind)] ?? {}) as Record<string, unknown>;
    const taxpayer = body.taxpayer as { name?: string; id?: string } | undefined;
    const tries = body.pinTries as { known?: boolean; left?: number; remaining?: number } | undefined;
    const pairs: [string, string][] = [[t('cardKind'), named('cardKind', String(card.kind))]];
    if (typeof body.cardNumber === 'string') pairs.push([t('cardNumber'), body.cardNumber]);
    if (typeof body.machineNumber === 'string') pairs.push([t('machineNumber'), body.machineNumber]);
    if (taxpayer) pairs.push([t('taxpayer'), [taxpayer.name, taxpayer.id].filter(Boolean).join(' ')]);
    if (typeof body.holderName === 'string') pairs.push([t('holder'), body.holderName]);
    if (typeof body.validUntil === 'string') pairs.push([t('validUntil'), body.validUntil]);
    if (typeof body.registration === 'string') pairs.push([t('registration'), named('registration', body.registration)]);
    if (tries) pairs.push([t('pinTries'), tries.known ? String(tries.left ?? tries.remaining ?? '') : t('unknown')]);
    out.replaceChildren(h('h3', {}, reader), dl(pairs));
  } catch (error) {
    out.replaceChildren(h('p', { class: 'bad' }, problemText(error)));
  }
}

interface StoredPackage {
  id: string; bytes: number; receivedAt: string; keyId: string;
  manifest: { version: string; versionLowest: string; bootloaderLowest: string; models: string[]; paths: string[]; vendor: string; sha256?: string };
}

/** Firmware packages fiscald keeps (verified on upload against the trusted keys); the upgrade itself comes with its API. */
async function packagesSection(): Promise<HTMLElement> {
  let list: StoredPackage[] = [];
  try { list = (await get<{ packages: StoredPackage[] }>('/v1/packages')).packages; } catch { /* no packages area: shown empty */ }
  const file = h('input', { type: 'file', id: 'package-file', accept: '.fwpkg,.tar,application/octet-stream' }) as HTMLInputElement;
  const upload = async () => {
    const chosen = file.files?.[0];
    if (!chosen || !needOperator()) return;
    try {
      const { package: kept } = await postBytes<{ package: StoredPackage }>('/v1/packages', await chosen.arrayBuffer());
      say(t('packageKept', { version: kept.manifest.version }));
      await render();
    } catch (error) { say(problemText(error), true); }
  };
  const rows = list.map((p) => h('tr', { 'data-package': p.id },
    h('td', { class: 'mono' }, p.manifest.version), h('td', {}, p.manifest.models.join(', ')),
    h('td', {}, t('fromVersion', { version: p.manifest.versionLowest, boot: p.manifest.bootloaderLowest })),
    h('td', {}, p.manifest.paths.map((path) => named('path', path)).join(currentLanguage() === 'zh-CN' ? '、' : ', ')),
    h('td', {}, localTime(p.receivedAt)), h('td', { class: 'mono' }, p.keyId.slice(0, 16)),
    h('td', {}, action(t('delete'), null, () => { if (confirm(t('confirmDelete', { version: p.manifest.version }))) void remove(`/v1/packages/${encodeURIComponent(p.id)}`).then(render, (e) => say(problemText(e), true)); }))));
  return h('section', { class: 'wide' }, h('h2', {}, t('packages')),
    rows.length ? h('table', { id: 'packages' },
      h('thead', {}, h('tr', {}, ...[t('version'), t('model'), t('installsFrom'), t('paths'), t('received'), t('signedBy'), t('operations')].map((x) => h('th', {}, x)))),
      h('tbody', {}, rows)) : h('p', { class: 'muted' }, t('noPackages')),
    h('div', { class: 'filters' }, h('label', {}, t('uploadPackage'), ' ', file), ' ', h('button', { type: 'button', id: 'package-upload', onclick: () => void upload() }, t('upload'))),
    h('p', { class: 'muted' }, t('upgradeLater')));
}

/** The printable certificates a stored diagnosis supports (fiscald says when one does not apply). */
function certificatesLine(diagnosis: unknown): HTMLElement | null {
  const id = diagnosis && typeof diagnosis === 'object' ? (diagnosis as { id?: string }).id : undefined;
  if (!id) return null;
  const link = (kind: string, label: string) =>
    h('a', { href: `/v1/certificates/${kind}/${encodeURIComponent(id)}?format=html`, target: '_blank', rel: 'noopener', 'data-certificate': kind }, label);
  return h('section', { class: 'wide', id: 'certificates' }, h('h2', {}, t('certificates')),
    link('fault', t('faultCertificate')), ' · ', link('not-initialized', t('notInitializedCertificate')));
}

function diagnosisLine(diagnosis: unknown, at: string): string {
  if (!diagnosis || typeof diagnosis !== 'object') return at;
  const d = diagnosis as { verdict?: string; worst?: { zh?: string; en?: string } | null };
  const worst = d.worst ? localized(d.worst) : '';
  return `${at} ${named('verdict', d.verdict ?? 'ok')}${worst ? aside(worst) : ''}`;
}

function dl(pairs: [string, string][]): HTMLElement {
  return h('dl', {}, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

async function devicePage(id: string): Promise<HTMLElement> {
  const device = await get<Device>(`/v1/devices/${encodeURIComponent(id)}`).then((d) => ((d as unknown as { device?: Device }).device ?? d));
  const identity = device.identity;
  const diagnosis = device.fiscal?.lastDiagnosis;
  const backup = device.fiscal?.lastBackup;
  const when = (v: unknown) => (typeof v === 'string' ? localTime(v) : v && typeof v === 'object' && 'at' in v ? localTime(String((v as { at: string }).at)) : t('none'));
  const panel = h('section', { class: 'wide', id: 'panel' });
  const any = whyNot(device);
  const initialized = whyNot(device, 'initialized');
  const page = h('div', { class: 'device-page' },
    h('p', {}, h('a', { href: '#' }, t('back'))),
    h('section', {}, h('h2', {}, `${t('identity')} ${identity?.machineNumber ?? device.id}`),
      dl([
        [t('state'), named('state', device.state)], [t('fiscalState'), fiscalOf(device)], [t('model'), identity?.model ?? t('unknown')],
        [t('firmware'), identity?.firmwareVersion ?? t('unknown')], [t('bootloader'), identity?.bootloaderVersion ?? t('unknown')],
        [t('hardware'), identity?.hardwareRevision ?? t('unknown')], [t('busyWith'), busyJobId(device)?.slice(0, 8) ?? t('none')],
        [t('taxpayer'), taxpayerOf(device)], [t('issueDeadline'), device.fiscal?.issueDeadline ?? t('none')],
        [t('lastDiagnosis'), diagnosisLine(diagnosis, when(diagnosis))], [t('lastBackup'), when(backup)],
      ])),
    h('section', {}, h('h2', {}, t('operations')), any ? h('p', { class: 'why', id: 'why-all' }, any) : null, h('div', { class: 'buttons' },
      action(t('diagnose'), any, () => void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/diagnostics`, {}), 'diagnose', any),
      action(t('backup'), any, () => void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/backups`, {}), 'backup', any),
      action(t('initialize'), whyNot(device, 'new'), () => void initialize(device, panel), 'initialize', any),
      action(t('roll'), initialized, () => { if (confirm(t('confirmRoll', { id: device.id }))) void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/rolls`, {}); }, 'roll', any),
      action(t('change'), initialized, () => changeForm(device, panel), 'change', any),
      action(t('restore'), any, () => restoreForm(device, panel), 'restore', any),
      action(t('upgrade'), any, () => void upgradeForm(device, panel), 'upgrade', any),
      action(t('deregister'), initialized, () => { if (confirm(t('confirmDeregister', { id: device.id }))) void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/deregister`, {}); }, 'deregister', any))),
    certificatesLine(diagnosis),
    panel,
    await backupsSection(device),
    await jobsSection(device.id),
    await recordsSection(device.id));
  return page;
}

// ---- operations ----------------------------------------------------------------------------------

function needOperator(): boolean {
  if (currentOperator()) return true;
  say(t('operatorRequired'), true);
  (document.getElementById('operator') as HTMLInputElement | null)?.focus();
  return false;
}

async function startJob(device: Device, path: string, body: unknown): Promise<void> {
  if (!needOperator()) return;
  try {
    const { job } = await post<{ job: Job }>(path, body);
    say(t('started', { job: job.id.slice(0, 8) }));
    jobs.set(job.id, job);
    follow(job);
    await render();
  } catch (error) {
    say(problemText(error), true);
  }
}

async function initialize(device: Device, panel: HTMLElement): Promise<void> {
  if (!needOperator()) return;
  panel.replaceChildren(h('h2', {}, t('dryRunTitle')), h('p', { class: 'muted' }, '…'));
  try {
    const dry = await post<{ ok: boolean; checks: { id: string; title: unknown; passed: boolean; skipped: boolean; expected?: string; actual?: string; message: unknown }[];
      error?: { message: unknown; remedy?: unknown }; confirmation?: { token: string } }>(`/v1/devices/${encodeURIComponent(device.id)}/initialize`, {});
    const rows = dry.checks.map((check) => h('tr', { class: check.passed ? 'ok' : check.skipped ? 'muted' : 'bad' },
      h('td', {}, check.passed ? '✔' : check.skipped ? '–' : '✘'), h('td', {}, localized(check.title)),
      h('td', {}, check.passed ? t('passed') : check.skipped ? t('skipped') : t('failed')),
      h('td', { class: 'muted' }, check.passed ? '' : `${t('expected')} ${checkValue(check.expected ?? null, currentLanguage()) ?? ''} / ${t('actual')} ${checkValue(check.actual ?? null, currentLanguage()) ?? ''}`),
      h('td', {}, check.passed ? '' : localized(check.message))));
    const ready = dry.ok && dry.confirmation !== undefined;
    panel.replaceChildren(...[h('h2', {}, t('dryRunTitle')), h('table', { id: 'dry-run' }, h('tbody', {}, rows)),
      h('p', { class: ready ? 'ok' : 'bad' }, ready ? t('dryRunPassed') : t('dryRunFailed')),
      dry.error ? h('p', { class: 'bad' }, localized(dry.error.message), ' ', localized(dry.error.remedy)) : null,
      ready ? action(t('confirm'), null, () => void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/initialize`, { confirm: dry.confirmation!.token }), 'confirm-initialize') : null].filter((x): x is HTMLElement => x !== null));
  } catch (error) {
    panel.replaceChildren(h('p', { class: 'bad' }, problemText(error)));
  }
}

const changeFields = ['taxpayerName', 'address', 'phone', 'contact'] as const;

function changeForm(device: Device, panel: HTMLElement): void {
  const select = h('select', { id: 'change-field' }, changeFields.map((f) => h('option', { value: f }, t(f)))) as HTMLSelectElement;
  const input = h('input', { id: 'change-value', maxlength: '100' }) as HTMLInputElement;
  const form = h('form', { id: 'change-form' }, h('label', {}, t('changeField'), ' ', select), ' ', h('label', {}, t('changeValue'), ' ', input), ' ',
    h('button', { type: 'submit' }, t('confirm')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const field = select.value as (typeof changeFields)[number];
    const before = field === 'taxpayerName' ? taxpayerOf(device) : t('unknown');
    const diff = t('changeDiff', { field: t(field), before, after: input.value });
    if (input.value.trim() && confirm(t('confirmChange', { diff }))) {
      void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/changes`, { kind: 'basic-info', [field]: input.value.trim() });
    }
  });
  panel.replaceChildren(h('h2', {}, t('change')), form);
}

/** Restore onto a replacement: a backup of the broken machine by id, its plan first (dry run), then the real run. */
function restoreForm(device: Device, panel: HTMLElement): void {
  const input = h('input', { id: 'restore-backup', maxlength: '64', placeholder: t('backupId') }) as HTMLInputElement;
  const form = h('form', { id: 'restore-form' }, h('label', {}, t('backupId'), ' ', input), ' ', h('button', { type: 'submit' }, t('showPlan')),
    h('p', { class: 'muted' }, t('restoreHow')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) return say(t('whyNoBackup'), true);
    void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/restore`, { backup: input.value.trim(), dryRun: true }).then(() => {
      panel.append(action(t('confirmRestoreRun'), null, () => {
        if (confirm(t('confirmRestore', { backup: input.value.trim(), id: device.id }))) {
          void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/restore`, { backup: input.value.trim(), dryRun: false });
        }
      }, 'confirm-restore'));
    });
  });
  panel.replaceChildren(h('h2', {}, t('restore')), form);
}

/** What the technician chose on the upgrade screen; kept while the screen is redrawn. */
interface UpgradeChoice { packageId: string; path: string; reinstall: boolean; allowDowngrade: boolean }

function gateText(verdict: GateVerdict, pkg: StoredPackage, device: Device, path: string): string {
  const identity = device.identity;
  const params = { from: identity?.firmwareVersion ?? '', to: pkg.manifest.version, model: identity?.model ?? '', path: named('path', path),
    boot: identity?.bootloaderVersion ?? '', lowest: '' };
  if (verdict.allowed) {
    return t(verdict.kind === 'upgrade' ? 'ruleAllowedUpgrade' : verdict.kind === 'reinstall' ? 'ruleAllowedReinstall' : 'ruleAllowedDowngrade', params);
  }
  switch (verdict.rule) {
    case 'unknown': return t('ruleUnknown');
    case 'model': return t('ruleModel', params);
    case 'path': return t('rulePath', params);
    case 'bootloader': return t('ruleBootloader', { ...params, lowest: pkg.manifest.bootloaderLowest });
    case 'lowest': return t('ruleLowest', { ...params, lowest: pkg.manifest.versionLowest });
    case 'same': return t('ruleSame', params);
    case 'older': return t('ruleOlder', params);
  }
}

/** What the technician will see happen, and do, on each path; what the job waits for is said in its row as it comes. */
function pathSteps(path: string): string[] {
  if (path === 'serial') return [t('stepWriteSerial')];
  if (path === 'usb-stick') return [t('stepStickCopy'), t('stepStickHandOver')];
  if (path === 'ic-card') return [t('stepCardWrite'), t('stepCardHandOver')];
  return [t('stepWriteOther', { path: named('path', path) })];
}

/**
 * Firmware upgrade: choose a kept package or upload one, choose the path, see the package's verification and the
 * version rule that will apply (with the register's versions) and the steps, then start. The job's row follows it:
 * stages, progress in words, waiting reasons (a restart, what a technician must do for a stick or a card) and the
 * new version at the end.
 */
async function upgradeForm(device: Device, panel: HTMLElement, choice?: UpgradeChoice): Promise<void> {
  if (!needOperator()) return;
  let list: StoredPackage[] = [];
  try { list = (await get<{ packages: StoredPackage[] }>('/v1/packages')).packages; } catch (error) { say(problemText(error), true); }
  const model = device.identity?.model;
  // Packages for this register's model first (the list is newest first).
  list = [...list.filter((p) => model !== undefined && p.manifest.models.includes(model)), ...list.filter((p) => model === undefined || !p.manifest.models.includes(model))];
  const chosen = list.find((p) => p.id === choice?.packageId) ?? list[0];
  const path = chosen && choice && chosen.manifest.paths.includes(choice.path) ? choice.path : (chosen?.manifest.paths.includes('serial') ? 'serial' : chosen?.manifest.paths[0] ?? 'serial');
  const now: UpgradeChoice = { packageId: chosen?.id ?? '', path, reinstall: choice?.reinstall ?? false, allowDowngrade: choice?.allowDowngrade ?? false };
  const redraw = (next: Partial<UpgradeChoice>) => void upgradeForm(device, panel, { ...now, ...next });

  const packageSelect = h('select', { id: 'upgrade-package', onchange: (e) => redraw({ packageId: (e.target as HTMLSelectElement).value }) },
    list.map((p) => h('option', { value: p.id, selected: p.id === now.packageId }, t('packageOption', { version: p.manifest.version, models: p.manifest.models.join(currentLanguage() === 'zh-CN' ? '、' : ', ') })))) as HTMLSelectElement;
  const file = h('input', { type: 'file', id: 'upgrade-file', accept: '.fwpkg,.tar,application/octet-stream' }) as HTMLInputElement;
  const upload = async () => {
    const picked = file.files?.[0];
    if (!picked) return;
    try {
      const { package: kept } = await postBytes<{ package: StoredPackage }>('/v1/packages', await picked.arrayBuffer());
      say(t('packageKept', { version: kept.manifest.version }));
      redraw({ packageId: kept.id });
    } catch (error) { say(problemText(error), true); }
  };
  const pathSelect = h('select', { id: 'upgrade-path', onchange: (e) => redraw({ path: (e.target as HTMLSelectElement).value }) },
    (chosen?.manifest.paths ?? ['serial']).map((p) => h('option', { value: p, selected: p === now.path }, named('path', p))));
  const box = (id: string, label: string, checked: boolean, key: 'reinstall' | 'allowDowngrade') => h('label', {},
    h('input', { type: 'checkbox', id, checked, onchange: (e) => redraw({ [key]: (e.target as HTMLInputElement).checked }) }), ' ', label);

  const parts: (HTMLElement | null)[] = [h('h2', {}, t('upgradeTitle')),
    h('div', { class: 'filters', id: 'upgrade-form' },
      h('label', {}, t('choosePackage'), ' ', list.length ? packageSelect : h('span', { class: 'muted' }, t('noPackages'))), ' ',
      h('label', {}, t('uploadHere'), ' ', file), ' ', h('button', { type: 'button', id: 'upgrade-upload', onclick: () => void upload() }, t('upload'))),
  ];
  let verdict: GateVerdict | null = null;
  if (chosen) {
    verdict = upgradeGate(chosen.manifest, device.identity ?? {}, now);
    const manifest = chosen.manifest;
    parts.push(
      h('div', { class: 'filters' }, h('label', {}, t('upgradePath'), ' ', pathSelect), ' ',
        box('upgrade-reinstall', t('reinstallOption'), now.reinstall, 'reinstall'), ' ', box('upgrade-downgrade', t('downgradeOption'), now.allowDowngrade, 'allowDowngrade')),
      h('div', { id: 'upgrade-gate' },
        h('h3', {}, t('packageVerification')),
        dl([
          [t('version'), manifest.version], [t('model'), manifest.models.join(', ')], [t('vendor'), manifest.vendor === 'unspecified' ? t('notStated') : manifest.vendor],
          [t('installsFrom'), t('fromVersion', { version: manifest.versionLowest, boot: manifest.bootloaderLowest })],
          [t('paths'), manifest.paths.map((p) => named('path', p)).join(currentLanguage() === 'zh-CN' ? '、' : ', ')],
          [t('digest'), (manifest.sha256 ?? chosen.id).slice(0, 16)],
          [t('verified'), t('packageVerifiedBy', { key: chosen.keyId.slice(0, 16) })],
          [t('registerNow'), t('versionsNow', { model: device.identity?.model ?? t('unknown'), firmware: device.identity?.firmwareVersion ?? t('unknown'), boot: device.identity?.bootloaderVersion ?? t('unknown') })],
        ]),
        h('p', { id: 'upgrade-rule', class: verdict.allowed ? 'ok' : verdict.rule === 'unknown' ? 'warn' : 'bad' }, labelled(t('versionRule'), gateText(verdict, chosen, device, now.path)))),
      h('h3', {}, t('upgradeSteps')),
      h('ol', { id: 'upgrade-steps' }, [t('stepBackup'), ...pathSteps(now.path), t('stepTrial')].map((step) => h('li', {}, step))));
  }
  const refusal = !chosen ? t('noPackageChosen') : verdict && !verdict.allowed && verdict.rule !== 'unknown' ? gateText(verdict, chosen, device, now.path) : whyNot(device);
  parts.push(action(t('startUpgrade'), refusal, () => {
    if (!chosen || !confirm(t('confirmUpgrade', { id: device.identity?.machineNumber ?? device.id, version: chosen.manifest.version, path: named('path', now.path) }))) return;
    void startJob(device, `/v1/devices/${encodeURIComponent(device.id)}/upgrade`, { package: chosen.id, path: now.path, reinstall: now.reinstall, allowDowngrade: now.allowDowngrade });
  }, 'start-upgrade'));
  panel.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
}

async function backupsSection(device: Device): Promise<HTMLElement> {
  let list: { id: string; createdAt: string; bytes: number; problems: number; links: { archive: string } }[] = [];
  try { list = (await get<{ backups: typeof list }>(`/v1/devices/${encodeURIComponent(device.id)}/backups`)).backups; } catch { /* shown empty */ }
  const out = h('p', { id: 'backup-result' });
  const rows = list.map((backup) => h('tr', {},
    h('td', { class: 'mono' }, backup.id), h('td', {}, localTime(backup.createdAt)), h('td', {}, `${Math.round(backup.bytes / 1024)} KiB`),
    h('td', {},
      action(t('verify'), null, () => void post<{ ok?: boolean; valid?: boolean }>(`/v1/backups/${encodeURIComponent(backup.id)}/verify`, { compareWithDevice: false })
        .then((r) => { out.textContent = (r.ok ?? r.valid ?? true) ? t('verifyOk') : t('verifyBad'); }).catch((e) => { out.textContent = problemText(e); })),
      h('a', { href: backup.links.archive, download: `${backup.id}.tar` }, t('download')), ' ',
      action(t('exportBackup'), null, () => void post<{ path?: string; file?: string }>(`/v1/backups/${encodeURIComponent(backup.id)}/export`, {})
        .then((r) => { out.textContent = t('exported', { path: r.path ?? r.file ?? '' }); }).catch((e) => { out.textContent = problemText(e); })))));
  return h('section', { class: 'wide' }, h('h2', {}, t('backups')),
    rows.length ? h('table', { id: 'backups' }, h('tbody', {}, rows)) : h('p', { class: 'muted' }, t('noBackups')), out);
}

// ---- jobs ----------------------------------------------------------------------------------------

function follow(job: Job): void {
  if (followed.has(job.id) || (job.state !== 'running' && job.state !== 'waiting')) return;
  const controller = new AbortController();
  followed.set(job.id, controller);
  void followEvents(`/v1/jobs/${encodeURIComponent(job.id)}/events`, (event, data) => {
    const update = (data && typeof data === 'object' && 'job' in data ? (data as { job: Job }).job : data) as Partial<Job> | null;
    const current = jobs.get(job.id) ?? job;
    if (event === 'waiting') {
      // The event is the reason itself (for, code, message in both languages, since).
      jobs.set(job.id, { ...current, state: 'waiting', waiting: data as Job['waiting'] });
    } else if (event === 'running' || event === 'resumed') {
      jobs.set(job.id, { ...current, state: 'running', waiting: null });
    } else if (update && typeof update === 'object') {
      const merged = { ...current, ...Object.fromEntries(Object.entries(update).filter(([k]) => k in current)) } as Job;
      if (typeof (update as { fraction?: number }).fraction === 'number') merged.fraction = (update as { fraction: number }).fraction;
      if (event === 'progress') merged.detail = (update as { detail?: string }).detail ?? null;
      if (event === 'stage') merged.detail = null;
      jobs.set(job.id, merged);
    }
    paintJob(jobs.get(job.id)!);
  }, controller.signal).catch(() => undefined).finally(async () => {
    followed.delete(job.id);
    try {
      const answer = await get<Job | { job: Job }>(`/v1/jobs/${encodeURIComponent(job.id)}`);
      jobs.set(job.id, 'job' in answer ? answer.job : answer);
    } catch { /* keep what the stream said */ }
    await render();
  });
}

function jobRow(job: Job): HTMLElement {
  const percent = Math.min(100, Math.floor(job.fraction * 100));
  const live = job.state === 'running' || job.state === 'waiting';
  return h('tr', { 'data-job': job.id, class: 'job' },
    h('td', { class: 'mono' }, job.id.slice(0, 8)), h('td', {}, named('kind', job.kind)), h('td', { class: 'mono' }, job.deviceId),
    h('td', { class: `state-${job.state}` }, named('job', job.state)),
    h('td', { class: 'progress' }, h('span', { class: 'bar' }, h('progress', { max: '100', value: String(percent) }), ` ${percent} %`),
      h('div', { class: 'stage' }, job.stage ? h('small', {}, labelled(t('stage'), named('stage', job.stage))) : null,
        live && job.etaSeconds !== null ? h('small', {}, ` ${t('eta', { s: Math.ceil(job.etaSeconds) })}`) : null,
        live && progressDetail(job.detail, currentLanguage()) ? h('small', { class: 'detail' }, aside(progressDetail(job.detail, currentLanguage())!)) : null),
      job.waiting ? h('div', { class: 'warn' }, t('waiting', { reason: localized(job.waiting.message) })) : null),
    h('td', {}, live ? action(t('cancel'), null, () => void post(`/v1/jobs/${encodeURIComponent(job.id)}/cancel`, {}).catch((e) => say(problemText(e), true))) : resultOf(job)));
}

function paintJob(job: Job): void {
  for (const row of document.querySelectorAll(`tr[data-job="${CSS.escape(job.id)}"]`)) row.replaceWith(jobRow(job));
}

function resultOf(job: Job): HTMLElement {
  if (job.error) return h('div', { class: 'bad' }, currentLanguage() === 'zh-CN' ? job.error.messageZh : job.error.message);
  const result = (job.result ?? {}) as Record<string, unknown>;
  if (typeof result.summary === 'string') {
    return h('div', { class: 'printable', id: 'printable' }, h('strong', {}, t('printableRecord')), h('pre', {}, result.summary),
      // The record (Chinese) already says what the technician must do; English pages say it in English beside it.
      result.technician && currentLanguage() === 'en' ? h('p', { class: 'warn' }, localized(result.technician)) : null,
      h('button', { type: 'button', onclick: () => print() }, t('print')));
  }
  const report = (result.report ?? result) as Record<string, unknown>;
  if (Array.isArray(report.checks) || Array.isArray(report.findings)) return diagnosisView(report);
  const words = resultInWords(job.kind, result);
  if (words.length) return h('div', { class: 'result ok' }, words.map((line) => h('div', {}, line)));
  if (job.state === 'succeeded') return h('span', { class: 'ok' }, named('job', 'succeeded'));
  return h('span', {}, '');
}

function diagnosisView(report: Record<string, unknown>): HTMLElement {
  const checks = (Array.isArray(report.checks) ? report.checks : report.findings ?? []) as Record<string, unknown>[];
  const status = (check: Record<string, unknown>) => String(check.status ?? check.severity ?? 'ok');
  const item = (check: Record<string, unknown>) => h('li', { class: `status-${status(check)}` },
    labelled(named('status', status(check)), localized(check.summary ?? check.title ?? check.message)),
    check.measures ? h('small', {}, aside(localized(check.measures))) : null,
    check.impact ? h('div', {}, labelled(t('impact'), localized(check.impact))) : null,
    check.remedy ? h('div', {}, labelled(t('remedy'), localized(check.remedy))) : null,
    check.who ? h('small', {}, labelled(t('who'), named('who', String(check.who)))) : null);
  const problems = checks.filter((check) => status(check) !== 'ok');
  return h('div', { class: 'report', id: 'report' },
    h('strong', {}, labelled(t('report'), named('verdict', String(report.verdict ?? report.worst ?? 'ok')))),
    report.summary ? h('div', {}, localized(report.summary)) : null,
    problems.length ? h('ul', {}, problems.map(item)) : null,
    h('details', {}, h('summary', {}, t('allChecks', { n: checks.length })), h('ul', {}, checks.map(item))));
}

async function jobsSection(deviceId?: string): Promise<HTMLElement> {
  const list = (await get<{ jobs: Job[] }>('/v1/jobs?limit=20')).jobs.filter((job) => !deviceId || job.deviceId === deviceId);
  for (const job of list) { const known = jobs.get(job.id); jobs.set(job.id, known && followed.has(job.id) ? known : job); follow(job); }
  return h('section', { class: 'wide' }, h('h2', {}, t('jobs')),
    list.length ? h('table', { id: 'jobs' }, h('tbody', {}, list.map((job) => jobRow(jobs.get(job.id)!)))) : h('p', { class: 'muted' }, t('noJobs')));
}

// ---- records -------------------------------------------------------------------------------------

interface RecordRow { id?: number; at: string; operator: string; deviceId: string; machineNumber?: string; action: string; result: string; errorCode?: string; jobId?: string }

/** One RFC 4180 cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function recordsCsv(records: readonly RecordRow[]): string {
  const header = [t('recordId'), t('time'), t('machineNumber'), t('device'), t('kind'), t('result'), t('errorCode'), t('operator'), t('job')];
  const rows = records.map((r) => [r.id, localTime(r.at), r.machineNumber, r.deviceId, named('kind', r.action.split(':')[0]), named('job', r.result), r.errorCode, r.operator, r.jobId]);
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

async function recordsSection(deviceId?: string): Promise<HTMLElement> {
  const since = h('input', { type: 'date', id: 'records-since', value: new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10) }) as HTMLInputElement;
  const until = h('input', { type: 'date', id: 'records-until' }) as HTMLInputElement;
  const body = h('tbody');
  const kinds = ['', 'initialize', 'diagnostics', 'backup', 'restore', 'roll', 'registration-change', 'deregister'];
  const kind = h('select', { id: 'records-kind' }, kinds.map((k) => h('option', { value: k }, k ? named('kind', k) : t('allKinds')))) as HTMLSelectElement;
  const query = () => `?${new URLSearchParams({ since: since.value, ...(until.value ? { until: until.value } : {}), ...(deviceId ? { device: deviceId } : {}) })}`;
  const load = async () => {
    try {
      const { records: all } = await get<{ records: RecordRow[] }>(`/v1/records${query()}`);
      const records = all.filter((r) => !kind.value || r.action.split(':')[0] === kind.value);
      body.replaceChildren(...(records.length ? records.slice(-50).reverse().map((r) => h('tr', {},
        h('td', {}, localTime(r.at)), h('td', {}, r.operator), h('td', { class: 'mono' }, r.machineNumber ?? r.deviceId),
        h('td', {}, named('kind', r.action.split(':')[0])), h('td', { class: `state-${r.result}` }, named('job', r.result)), h('td', { class: 'mono' }, r.errorCode ?? '')))
        : [h('tr', {}, h('td', { class: 'muted' }, t('noRecords')))]));
    } catch (error) { say(problemText(error), true); }
  };
  // The CSV is written here from the records as the page shows them: headers, actions and results in the page's
  // language, the register's local time, one value per cell (the API's CSV keeps the English field names and UTC).
  const csv = async () => {
    try {
      const { records: all } = await get<{ records: RecordRow[] }>(`/v1/records${query()}`);
      const records = all.filter((r) => !kind.value || r.action.split(':')[0] === kind.value);
      const link = h('a', { href: URL.createObjectURL(new Blob([recordsCsv(records)], { type: 'text/csv' })), download: 'records.csv' });
      link.click();
    } catch (error) { say(problemText(error), true); }
  };
  void load();
  return h('section', { class: 'wide' }, h('h2', {}, t('records')),
    h('div', { class: 'filters' }, h('label', {}, t('since'), ' ', since), ' ', h('label', {}, t('until'), ' ', until), ' ', h('label', {}, t('kind'), ' ', kind), ' ',
      h('button', { type: 'button', onclick: () => void load() }, t('filter')), h('button', { type: 'button', onclick: () => void csv() }, t('exportCsv'))),
    h('table', { id: 'records' }, h('tbody', {}, body)));
}

// ---- start ---------------------------------------------------------------------------------------

async function boot(): Promise<void> {
  if (!(await startSession())) return showLogin();
  renderShell();
  await render();
}

setLanguage(localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN');
setOperator(localStorage.getItem(OPERATOR_KEY) ?? '');
window.addEventListener('hashchange', () => { if (location.hash !== '#login-expired') void render(); });
/** True while the technician is filling something in: the periodic refresh must not throw it away. */
function editing(): boolean {
  const chosen = [...document.querySelectorAll<HTMLInputElement>('input[type="file"]')].some((input) => (input.files?.length ?? 0) > 0);
  const active = document.activeElement;
  return chosen || document.querySelector('#panel *') !== null || (active instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName));
}

setInterval(() => { if (!document.hidden && followed.size === 0 && document.getElementById('view') && !editing()) void render(); }, 5000);
void boot();
