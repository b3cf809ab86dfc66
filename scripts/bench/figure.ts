// One benchmark figure: the median of repeated runs with their spread, printed as it is measured.
// Shared by bench.ts and the parts under scripts/bench/ so every figure is computed and shown alike.

export interface Figure {
  label: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runsMs: number[];
  /** Per-step medians (sign-in figures): where the time of one user's acquisition went. */
  steps?: { name: string; medianMs: number }[];
}

/** A figure a bench part returns, with the key bench.ts files it under. */
export interface KeyedFigure extends Figure {
  key: string;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The figure of `times` (ms), with its line on stderr. */
export function keyedFigure(key: string, label: string, times: number[]): KeyedFigure {
  const m = median(times);
  const min = Math.min(...times);
  const max = Math.max(...times);
  process.stderr.write(`  ${label}: median ${m.toFixed(0)} ms over ${times.length} runs (min ${min.toFixed(0)}, max ${max.toFixed(0)})\n`);
  return { key, label, medianMs: Math.round(m), minMs: Math.round(min), maxMs: Math.round(max), runsMs: times.map((t) => Math.round(t)) };
}
