// Step times of one token acquisition (browser, pages, exchange, checks): the `--debug` breakdown
// and the per-step medians of `npm run bench`, so a slow sign-in says where its time went.
import { performance } from 'node:perf_hooks';

export interface StepTime {
  name: string;
  ms: number;
}

/** Steps in the order they happened. */
export type StepTimes = StepTime[];

/**
 * A lap clock: each call records the time since the previous call (or since creation) under
 * `name`. A no-op when there is nowhere to record.
 */
export function stepClock(into: StepTimes | undefined): (name: string) => void {
  if (!into) return () => undefined;
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    into.push({ name, ms: Math.round(now - last) });
    last = now;
  };
}

/** Time one awaited step into `into` (no-op clock when `into` is undefined). */
export async function timed<T>(into: StepTimes | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!into) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    into.push({ name, ms: Math.round(performance.now() - start) });
  }
}

/** "browser 150 ms · sign-in page shown 60 ms · ..." for the debug log. */
export function formatSteps(steps: StepTimes): string {
  return steps.map((s) => `${s.name} ${s.ms} ms`).join(' · ');
}
