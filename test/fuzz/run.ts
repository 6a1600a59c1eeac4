import { Worker } from 'node:worker_threads';
import type { FuzzJob, FuzzResult } from './worker.js';

/**
 * Runs fuzz jobs in worker threads with a capped heap, a few parsers per worker: a parser that
 * hangs is stopped when its job gets no answer within `timeoutMs` (the main thread terminates
 * the worker and requeues the jobs after it); one that allocates without bound hits the heap
 * cap. Either is reported as that parser's failure.
 */
export async function runFuzz(jobs: readonly FuzzJob[], opts: { timeoutMs: number; parallel: number; batch?: number; heapMb?: number }): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  const queue: FuzzJob[][] = [];
  const per = opts.batch ?? 8;
  for (let i = 0; i < jobs.length; i += per) queue.push(jobs.slice(i, i + per));
  const failed = (job: FuzzJob, why: string): FuzzResult => ({
    target: job.target,
    runs: 0,
    maxMs: 0,
    maxInputBytes: 0,
    maxOutputRatio: 0,
    capBytes: 0,
    capMs: 0,
    elapsedMs: 0,
    failure: why,
  });
  const runBatch = (batch: FuzzJob[]): Promise<void> =>
    new Promise((resolve) => {
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: batch, resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 512 } });
      let done = 0;
      let settled = false;
      const finish = (why: string | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const rest = batch.slice(done);
        if (why !== undefined && rest[0] !== undefined) {
          results.push(failed(rest[0], why));
          if (rest.length > 1) queue.push(rest.slice(1));
        }
        resolve();
      };
      let timer = setTimeout(() => {
        void w.terminate();
        finish(`no answer within ${opts.timeoutMs} ms: a hang (worker terminated)`);
      }, opts.timeoutMs);
      w.on('message', (r: FuzzResult) => {
        results.push(r);
        done++;
        timer.refresh();
      });
      w.on('error', (err) => finish(`worker died: ${err.stack ?? String(err)}`));
      w.on('exit', () => finish(done < batch.length ? 'worker exited without a result' : undefined));
      timer = timer.ref();
    });
  await Promise.all(
    Array.from({ length: opts.parallel }, async () => {
      for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) await runBatch(batch);
    }),
  );
  return results.sort((a, b) => a.target.localeCompare(b.target));
}

export function formatResults(results: readonly FuzzResult[]): string {
  return results
    .map(
      (r) =>
        `${r.target.padEnd(40)} ${String(r.runs).padStart(7)} cases  max ${r.maxMs.toFixed(1).padStart(6)} ms/case (inputs ≤${r.maxInputBytes} B)  output ≤${r.maxOutputRatio.toFixed(0)}× input  cap ${r.capBytes} B in ${r.capMs.toFixed(0)} ms  total ${(r.elapsedMs / 1000).toFixed(1)} s${r.failure === undefined ? '' : '  FAILED'}`,
    )
    .join('\n');
}
