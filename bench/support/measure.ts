/**
 * How the benchmarks measure: a closed loop of `concurrency` callers doing `count` operations (latency
 * of each, throughput of all), HTTP load from autocannon in this process against a server in another,
 * and the markdown table every bench prints.
 */
import autocannon from 'autocannon';
import { pool, quantile } from '../../drills/support/run.js';

export interface Measured {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export async function closedLoop(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<Measured> {
  const latencies: number[] = [];
  const started = performance.now();
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const t0 = performance.now();
      await op(i);
      latencies.push(performance.now() - t0);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  return { count, perSecond: count / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

/** Requests per second of GET `url` under `connections` keep-alive connections for `seconds`. */
export async function httpLoad(
  url: string,
  seconds: number,
  connections = 16,
): Promise<Measured & { errors: number; bytes: number }> {
  const result = await autocannon({ url, connections, duration: seconds });
  const bad = result.non2xx + result.errors + result.timeouts;
  return {
    count: result.requests.total,
    /** Bytes per response, headers included. */
    bytes: result.throughput.total / Math.max(1, result.requests.total),
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: bad,
  };
}

export function table(header: string[], rows: (string | number)[][]): string {
  const right = (cell: string | number) => typeof cell === 'number';
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (rows.some((r) => right(r[i]!)) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' | ')} |`),
  ];
  return lines.join('\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export const ms = (n: number) => `${fmt(n)} ms`;
export const ratio = (a: number, b: number) => `${fmt(a / b)}×`;

/** A performance goal and what one run measured against it. */
export interface Goal {
  what: string;
  /** The measured figure, as it reads: "1.8×", "612 ms". */
  measured: string;
  /** The goal, as it reads: "≤ 2×". */
  target: string;
  met: boolean;
}

/** The goals of a bench as a table, each "goal met" or "goal missed" (`npm run bench` counts them). */
export function goals(list: Goal[]): string {
  return table(
    ['goal', 'measured', 'target', 'verdict'],
    list.map((g) => [g.what, g.measured, g.target, g.met ? 'goal met' : 'goal missed']),
  );
}

/** A goal that a ratio stays at or below `limit`. */
export const atMost = (what: string, value: number, limit: number): Goal => ({
  what,
  measured: `${fmt(value)}×`,
  target: `≤ ${fmt(limit)}×`,
  met: value <= limit,
});

/** A goal that a ratio reaches at least `limit`. */
export const atLeast = (what: string, value: number, limit: number): Goal => ({
  what,
  measured: `${fmt(value)}×`,
  target: `≥ ${fmt(limit)}×`,
  met: value >= limit,
});
