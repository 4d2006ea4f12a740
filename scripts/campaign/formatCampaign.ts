// What `npm run campaign` prints: the counts of each part, the volume reached against the targets, the verdict.
import { formatCardFaultTotals } from './cardFaults.js';
import type { CampaignResult } from './runCampaign.js';
import { formatStickFaultTotals } from './stickFaults.js';

const entries = (record: Record<string, number>) => Object.entries(record).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

export function formatCampaign(result: CampaignResult): string {
  const out: string[] = [`campaign: seed ${result.seed}, budget ${result.minutes} min, took ${(result.seconds / 60).toFixed(1)} min`];
  const f = result.faults;
  if (f !== undefined) {
    out.push('', '(a) upgrade and backup faults on the simulator');
    out.push(`  upgrades (in process, serial path): ${f.upgradeRuns} runs, ${f.upgradeFaults} faults hit (${entries(f.upgradeFaultsByKind)})`);
    out.push(`    outcomes: new verified ${f.upgradeOutcomes['new-verified']}, resumed ${f.upgradeOutcomes.resumed}, reverted ${f.upgradeOutcomes.reverted}, old working ${f.upgradeOutcomes['old-working']}, bricked ${f.upgradeOutcomes.bricked}, lost data ${f.upgradeOutcomes['lost-data']}, hang ${f.upgradeOutcomes.hang}`);
    for (const [ending, n] of Object.entries(f.upgradeEndings)) out.push(`    ${n} × ${ending}`);
    out.push(`    registers: ${entries(f.upgradeRunsByProtocol)} runs (v2: counted 74 blocks, v1: plain); windowed firmware blocks counted ${f.windowedBlocks.counted}, plain ${f.windowedBlocks.plain}`);
    out.push(`    faults inside windowed blocks (place, effect): ${entries(f.blockFaultsByPlace)}`);
    const r = f.resumes;
    out.push(`    resumes of the upgrades that succeeded: ${r.count}, bytes re-sent per resume mean ${r.count === 0 ? 0 : Math.round(r.resentBytes / r.count)}, max ${r.maxResent}; over one block ${r.overOneBlock}`);
    out.push(`    package file changed mid-write: ${entries(f.packageFileEndings)}; activated anyway ${f.activatedChangedPackage}`);
    out.push(`  backups under faults: ${f.backupRuns} runs, ${f.backupFaults} faults hit; complete ${f.backupOutcomes.complete}, committed with unread parts listed as problems ${f.backupOutcomes.flagged}, failed clearly then complete ${f.backupOutcomes['failed-then-complete']}, lost data ${f.backupOutcomes['lost-data']}, hang ${f.backupOutcomes.hang}`);
    const d = f.daemonKills;
    out.push(`  fiscald SIGKILL mid-write (--simulate=1, register powered off with it): ${d.kills} kills; new verified ${d.outcomes['new-verified']}, old working ${d.outcomes['old-working']}, bricked ${d.outcomes.bricked}, hang ${d.outcomes.hang}, harness errors ${d.outcomes.error}; registers ${entries(d.killsByProtocol)}; jobs: ${entries(d.jobEndings)}`);
    const indent = (text: string) => text.split('\n').map((line) => `  ${line}`);
    out.push(...(f.media.stick === null ? ['  USB-stick path: no run'] : indent(formatStickFaultTotals(f.media.stick))));
    out.push(...(f.media.card === null ? ['  IC-card path: no run'] : indent(formatCardFaultTotals(f.media.card))));
    for (const p of [...f.problems, ...d.problems]) out.push(`  ** ${p}`);
  }
  const b = result.decoders;
  if (b !== undefined) {
    out.push('', '(b) decoder fuzzing');
    out.push(`  ${b.inputs} inputs over ${b.targets} decoders (${entries(b.byFamily)}); accepted ${b.accepted}; crashes ${b.crashes}; hangs ${b.hangs}`);
    for (const e of b.examples) out.push(`  ** ${e.target}: ${e.error} ← ${e.input}`);
  }
  const h = result.http;
  if (h !== undefined) {
    out.push('', '(c) HTTP fuzzing of every route in GET /v1/openapi.json');
    out.push(`  ${h.requests} requests (${h.rawRequests} not well-formed HTTP) over ${h.routes} routes; 5xx ${h.fiveHundreds}; error answers outside problem+json ${h.outsideProblemJson}; no answer ${h.hangs}; closed without answer ${h.closedWithoutAnswer}; daemon ${h.daemonDown ? 'DOWN' : 'still answering'}`);
    out.push(`  statuses: ${entries(h.byStatus)}`);
    for (const [key, { count, example }] of Object.entries(h.findings).sort((x, y) => y[1].count - x[1].count).slice(0, 25)) out.push(`  ** ${count} × ${key}   e.g. ${example}`);
  }
  const k = result.kills;
  if (k !== undefined) {
    out.push('', '(d) SIGKILL restarts during jobs (the kill campaign)');
    out.push(`  ${k.kills} kills (${k.killsInsideJob} inside the job), ${k.errors} runs not carried out; ${entries(k.totals as unknown as Record<string, number>)}`);
    for (const row of k.rows) out.push(`  ${row.operation}/${row.mode}: ${row.kills} kills; after restart ${entries(row.killedJobStates)}; retries ${entries(row.retries)}`);
    for (const failure of k.failures) out.push(`  ** ${failure.operation}/${failure.mode}: ${failure.error}`);
  }
  const s = result.soak;
  if (s !== undefined) {
    out.push('', `(e) soak: fiscald --simulate=${s.registers}, mixed jobs`);
    out.push(`  ${s.jobs} jobs (${entries(s.jobEndings)}), ${s.streamsOpened} event streams dropped; internal errors ${s.internalErrors}, hangs ${s.hangs}`);
    out.push(`  RSS ${s.rss.baseline.toFixed(0)} MB after the first round → ${s.rss.end.toFixed(0)} MB at the end (peak ${s.rss.peak.toFixed(0)}); descriptors ${s.fds.baseline} → ${s.fds.end} (peak ${s.fds.peak}); ${s.samples} samples`);
    for (const p of s.problems) out.push(`  ** ${p}`);
  }
  out.push('', 'volume (targets of a 10-minute run):');
  for (const v of result.volume) out.push(`  ${v.name}: ${v.got} of ${v.target}${v.got >= v.target ? '' : ' (short)'}`);
  out.push('', result.failures.length === 0 ? 'PASS: no bricked register, lost record, crash, hang, leak, 5xx or error outside problem+json' : `FAIL: ${result.failures.join('; ')}`);
  return out.join('\n');
}
