// Campaign part (e): a soak of fiscald --simulate=3 under mixed work until the budget is spent — backups and
// diagnoses of every register, serial upgrades of the new one (a fresh package each time), event streams opened
// and dropped, lists read — while its RSS and open descriptors are sampled from /proc. Counted: jobs that ended
// with an internal error or did not end (hang), and growth once the work stops and the jobs have settled: open
// descriptors more than 8 above the level after the first round (leak), RSS more than 64 MB above it (leak).
import { rmSync } from 'node:fs';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { finished, openDescriptors, rssMb, startTimedDaemon, trustedKeysDir, uploadPackage, waitForJob, type TimedDaemon } from '../../bench/daemonProcess.js';

export interface SoakTotals {
  registers: number;
  jobs: number;
  jobEndings: Record<string, number>;
  /** Jobs that ended with INTERNAL (or a non-gateway error) or did not end. */
  internalErrors: number;
  hangs: number;
  streamsOpened: number;
  samples: number;
  rss: { baseline: number; peak: number; end: number };
  fds: { baseline: number; peak: number; end: number };
  rssLeak: boolean;
  fdLeak: boolean;
  daemonDown: boolean;
  problems: string[];
}

const RSS_LEAK_MB = 64;
const FD_LEAK = 8;
const JOB_HANG_MS = 300_000;

async function openStreamAndDrop(daemon: TimedDaemon, jobId: string, ms: number): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const res = await fetch(`${daemon.url}/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${daemon.token}`, accept: 'text/event-stream' }, signal: controller.signal });
    const reader = res.body?.getReader();
    while (reader !== undefined) {
      const { done } = await reader.read();
      if (done) break;
    }
  } catch {
    // dropped by us: what is being soaked
  } finally {
    clearTimeout(timer);
  }
}

export interface SoakOptions {
  readonly seed: number;
  readonly budgetMs: number;
  readonly registers?: number;
  readonly say?: (line: string) => void;
}

export async function runSoak(options: SoakOptions): Promise<SoakTotals> {
  const rng = new Rng(options.seed);
  const registers = options.registers ?? 3;
  const trusted = trustedKeysDir();
  const daemon = await startTimedDaemon({ simulate: registers, args: ['--trusted-keys', trusted] });
  const totals: SoakTotals = {
    registers, jobs: 0, jobEndings: {}, internalErrors: 0, hangs: 0, streamsOpened: 0, samples: 0,
    rss: { baseline: 0, peak: 0, end: 0 }, fds: { baseline: 0, peak: 0, end: 0 }, rssLeak: false, fdLeak: false, daemonDown: false, problems: [],
  };
  const sample = () => {
    try {
      const rss = rssMb(daemon.pid);
      const fds = openDescriptors(daemon.pid);
      totals.samples += 1;
      totals.rss.peak = Math.max(totals.rss.peak, rss);
      totals.fds.peak = Math.max(totals.fds.peak, fds);
      return { rss, fds };
    } catch {
      totals.daemonDown = true;
      return undefined;
    }
  };
  const sampler = setInterval(sample, 1000);
  let version = 0;
  try {
    const devices = (await daemon.get<{ devices: { id: string; identity?: { model: string } }[] }>('/v1/devices')).json.devices;
    const runJob = async (deviceId: string, path: string, body: unknown) => {
      const started = await daemon.request('POST', `/v1/devices/${deviceId}/${path}`, body);
      if (started.status !== 202) {
        const code = (started.json as { code?: string }).code ?? String(started.status);
        totals.jobEndings[`${path} not started ${code}`] = (totals.jobEndings[`${path} not started ${code}`] ?? 0) + 1;
        if (started.status >= 500) { totals.internalErrors += 1; totals.problems.push(`${path} on ${deviceId}: ${started.status} ${code}`); }
        return;
      }
      totals.jobs += 1;
      const jobId = (started.json as { job: { id: string } }).job.id;
      if (rng.chance(0.5)) { totals.streamsOpened += 1; void openStreamAndDrop(daemon, jobId, rng.int(50, 3000)); }
      try {
        const job = await waitForJob(daemon, jobId, finished, JOB_HANG_MS);
        const ending = `${path} ${job.state}${job.error ? ` ${job.error.code}` : ''}`;
        totals.jobEndings[ending] = (totals.jobEndings[ending] ?? 0) + 1;
        if (job.error?.code === 'INTERNAL') { totals.internalErrors += 1; totals.problems.push(`${ending} on ${deviceId} (job ${jobId})`); }
      } catch {
        totals.hangs += 1;
        totals.problems.push(`${path} on ${deviceId} (job ${jobId}) did not end in ${JOB_HANG_MS / 1000} s`);
      }
    };
    const nextJob = async (index: number) => {
      const device = devices[index]!;
      const pick = rng.int(0, 9);
      if (index === 0 && pick < 5 && device.identity !== undefined) {
        version += 1;
        const packageId = await uploadPackage(daemon, device.identity.model, 64 * 1024, `9.${Math.floor(version / 100)}.${version % 100}`);
        await runJob(device.id, 'upgrade', { package: packageId, path: 'serial' });
      } else if (pick < 8) {
        await runJob(device.id, 'diagnostics', {});
      } else {
        await runJob(device.id, 'backups', {});
      }
    };
    const readers = async (until: number) => {
      while (Date.now() < until && !totals.daemonDown) {
        await daemon.get(rng.pick(['/v1/jobs', '/v1/devices', '/v1/records?limit=50', '/v1/packages'])).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // One round of every kind first; the level after it is the baseline the end is compared with.
    await Promise.all(devices.map((_, index) => nextJob(index)));
    await new Promise((r) => setTimeout(r, 2000));
    const base = sample();
    totals.rss.baseline = base?.rss ?? 0;
    totals.fds.baseline = base?.fds ?? 0;
    // Jobs started near the end would run past it (a year's backup takes about half a minute): stop starting them early.
    const deadline = Date.now() + Math.max(0, options.budgetMs - 20_000);
    const progress = setInterval(() => options.say?.(`soak: ${totals.jobs} jobs, RSS ${totals.rss.peak.toFixed(0)} MB at most, ${totals.fds.peak} fds at most`), 30_000);
    try {
      await Promise.all([
        ...devices.map(async (_, index) => { while (Date.now() < deadline && !totals.daemonDown) await nextJob(index); }),
        readers(deadline),
      ]);
    } finally {
      clearInterval(progress);
    }
    await new Promise((r) => setTimeout(r, 4000));
    const end = sample();
    totals.rss.end = end?.rss ?? 0;
    totals.fds.end = end?.fds ?? 0;
    totals.rssLeak = totals.rss.end - totals.rss.baseline > RSS_LEAK_MB;
    totals.fdLeak = totals.fds.end - totals.fds.baseline > FD_LEAK;
    if (totals.rssLeak) totals.problems.push(`RSS ${totals.rss.baseline.toFixed(0)} → ${totals.rss.end.toFixed(0)} MB after the work stopped`);
    if (totals.fdLeak) totals.problems.push(`open descriptors ${totals.fds.baseline} → ${totals.fds.end} after the work stopped`);
    try {
      if (!(await fetch(`${daemon.url}/v1/health`)).ok) totals.daemonDown = true;
    } catch {
      totals.daemonDown = true;
    }
  } finally {
    clearInterval(sampler);
    await daemon.stop();
    rmSync(trusted, { recursive: true, force: true });
  }
  options.say?.(`soak: ${totals.jobs} jobs on ${registers} registers; RSS ${totals.rss.baseline.toFixed(0)} → ${totals.rss.end.toFixed(0)} MB (peak ${totals.rss.peak.toFixed(0)}), fds ${totals.fds.baseline} → ${totals.fds.end} (peak ${totals.fds.peak})`);
  return totals;
}
