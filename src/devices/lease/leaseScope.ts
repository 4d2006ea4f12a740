import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `fn` as `owner` (a job id): a device this owner holds is lent to code inside `fn` without waiting on
 * the owner's own hold. The job runner wraps each job's run and reconcile in it; services never call it.
 */
export function runAsOwner<T>(owner: string, fn: () => T): T {
  return scope.run(owner, fn);
}

/** The owner the current code runs as, if any. */
export function currentOwner(): string | undefined {
  return scope.getStore();
}
