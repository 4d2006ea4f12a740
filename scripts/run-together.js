#!/usr/bin/env node
// Runs several package.json scripts at the same time (`node scripts/run-together.js typecheck lint`), each
// one's output printed whole when it ends (never interleaved), and exits with the first failing one's
// status: a failure in any of them fails the whole, as if they had run one after the other.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: run-together.js SCRIPT [SCRIPT...]');
  process.exit(2);
}

const npm = process.env.npm_execpath;
const runs = names.map((name) => new Promise((resolve) => {
  // Under npm, its own CLI (npm_execpath) with the same node; else whatever npm is on the PATH.
  const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', name]] : ['npm', ['run', '--silent', name]];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  child.stderr.on('data', (chunk) => chunks.push(chunk));
  const started = Date.now();
  child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
  child.on('close', (code, signal) => {
    const status = code ?? (signal ? 1 : 0);
    process.stdout.write(Buffer.concat(chunks));
    console.log(`> ${name}: ${status === 0 ? 'passed' : `FAILED (exit ${code ?? signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    resolve(status);
  });
}));

const statuses = await Promise.all(runs);
process.exitCode = statuses.find((status) => status !== 0) ?? 0;
