import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobRunner } from '../../jobs/JobRunner.js';
import type { JobEvent, JobRow } from '../../store/types.js';

const HEARTBEAT_MS = 15_000;

function frame(event: JobEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, seq: event.seq, at: event.at })}\n\n`;
}

/**
 * Writes a job's events as text/event-stream: the stored ones after `afterSeq`, then live ones, and closes
 * after `end`. A client resuming after the end, or a job whose events were swept, gets an `end` built from the row.
 */
export function streamJobEvents(request: FastifyRequest, reply: FastifyReply, jobs: JobRunner, row: JobRow, afterSeq: number): void {
  reply.hijack();
  const res = reply.raw;
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive', 'x-accel-buffering': 'no',
  };
  for (const [name, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string') headers[name] = value;
  res.writeHead(200, headers);
  res.write('retry: 2000\n\n');

  let ended = false;
  let wroteEnd = false;
  let unsubscribe: () => void = () => undefined;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const finish = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  request.raw.on('close', finish);

  unsubscribe = jobs.events.subscribe(row.id, afterSeq, (event) => {
    if (ended) return;
    res.write(frame(event));
    if (event.type === 'end') {
      wroteEnd = true;
      setImmediate(finish);
    }
  });
  if (!wroteEnd) {
    const current = jobs.get(row.id);
    if (current && current.state !== 'running') {
      res.write(`event: end\ndata: ${JSON.stringify({ state: current.state, fraction: current.fraction, result: current.result, error: current.error })}\n\n`);
      finish();
    }
  }
}
