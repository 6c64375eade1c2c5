/**
 * Charts as server-rendered SVG: pure functions from numbers and dates to markup a page prints with
 * {{{ }}}. Every text is escaped here, the pictures need no script and no style attribute (the CSP
 * allows neither; colours are presentation attributes), and each is an image with a name (`role="img"`,
 * `<title>`, `aria-labelledby`). A page shows the same numbers in a table beside it, for screen
 * readers and text browsers.
 */
import Handlebars from 'handlebars';

const INK = '#1b1f24';
const MUTED = '#57606a';
const LINE = '#d0d7de';
const BAR = '#0b5cad';
const OPEN = '#2da44e';
const MARK = '#b35900';
const FONT_SIZE = 14;
/** The drawing's width in its own units; it scales to the page's width, so text stays legible on a phone. */
const WIDTH = 520;
/** Characters of a label that fit beside a chart; longer ones are cut, their whole text in the tooltip. */
const LABEL_CHARS = 40;
const TIMELINE_LABEL_CHARS = 24;
const DAY = 86_400_000;

const esc = (value: unknown): string => Handlebars.escapeExpression(String(value));
const num = (n: number): string => String(Math.round(n * 10) / 10);

/** An id for the chart's title, the same for the same chart, so rendering stays a pure function. */
function chartId(prefix: string, content: unknown): string {
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(content)) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${prefix}-${hash.toString(36)}`;
}

/** Room for labels as long as the longest one (about 8 units a character at this size), within limits. */
function labelWidthFor(chars: number, most: number): number {
  return Math.round(Math.min(most, Math.max(60, chars * 8 + 16)));
}

function cut(label: string, chars = LABEL_CHARS): string {
  return label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
}

/** Only links within the site or to the web; anything else (`javascript:`, `data:`) is dropped. */
function safeHref(href: string | undefined): string | undefined {
  if (!href) return undefined;
  return /^(https?:\/\/|\/|[^:]*$)/i.test(href) ? href : undefined;
}

/** The language for Intl, English when the tag is not one Intl takes. */
function locale(lang: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([lang]).length ? lang : 'en';
  } catch {
    return 'en';
  }
}

function svgOpen(rawId: string, title: string, width: number, height: number, kind: string): string {
  const id = esc(rawId);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" viewBox="0 0 ${width} ${num(height)}" ` +
    `width="100%" role="img" aria-labelledby="${id}-title" focusable="false" font-size="${FONT_SIZE}" fill="${INK}">` +
    `<title id="${id}-title">${esc(title)}</title>`
  );
}

export interface Bar {
  label: string;
  value: number;
  /** Where the bar leads (a page listing what it counts); the data table beside the chart links there too. */
  href?: string;
}

export interface BarChart {
  title: string;
  bars: Bar[];
  /** Printed after each value, such as "h". */
  unit?: string;
  /** The language numbers are written in; English by default. */
  lang?: string;
  /** The title's id on the page; derived from the content when not given. */
  id?: string;
}

/**
 * Horizontal bars, one a row, each as long as its share of the largest value, with the value printed
 * after it. All zeros (or no bars) draw the axis and zero-length bars. With `href` a bar is also a link
 * for the pointer; keyboard and screen reader users follow the same link in the table beside the chart.
 */
export function barChartSvg({ title, bars, unit, lang = 'en', id }: BarChart): string {
  const width = WIDTH;
  const longest = Math.max(0, ...bars.map((b) => Math.min(b.label.length, LABEL_CHARS)));
  const labelWidth = labelWidthFor(longest, 260);
  const valueWidth = 60;
  const row = 30;
  const barHeight = 20;
  const top = 6;
  const area = width - labelWidth - valueWidth;
  const values = bars.map((b) => (Number.isFinite(b.value) && b.value > 0 ? b.value : 0));
  const max = Math.max(0, ...values);
  const height = top * 2 + Math.max(1, bars.length) * row;
  const key = id ?? chartId('bars', { title, bars, unit });
  const format = new Intl.NumberFormat(locale(lang));

  const parts = [svgOpen(key, title, width, height, 'bars')];
  bars.forEach((bar, i) => {
    const value = values[i]!;
    const w = max > 0 ? (value / max) * area : 0;
    const y = top + i * row;
    const mid = y + row / 2;
    const shown = `${format.format(bar.value)}${unit ? ` ${unit}` : ''}`;
    const graphic =
      `<rect class="bar" x="${labelWidth}" y="${num(y + (row - barHeight) / 2)}" width="${num(w)}" ` +
      `height="${barHeight}" fill="${BAR}" data-value="${esc(value)}"/>`;
    const href = safeHref(bar.href);
    parts.push(
      `<g class="row"><title>${esc(`${bar.label}: ${shown}`)}</title>` +
        `<text x="${labelWidth - 8}" y="${num(mid)}" dy="0.35em" text-anchor="end">${esc(cut(bar.label))}</text>` +
        (href ? `<a href="${esc(href)}" tabindex="-1" aria-hidden="true">${graphic}</a>` : graphic) +
        `<text class="value" x="${num(labelWidth + w + 6)}" y="${num(mid)}" dy="0.35em">${esc(shown)}</text></g>`,
    );
  });
  parts.push(
    `<line x1="${labelWidth}" y1="${top}" x2="${labelWidth}" y2="${height - top}" stroke="${MUTED}" stroke-width="1"/>`,
    '</svg>',
  );
  return parts.join('');
}

export interface Span {
  label: string;
  /** ISO 8601 */
  from: string;
  /** ISO 8601; absent while the span is still open (it runs until `now`). */
  to?: string;
}

export interface Mark {
  /** ISO 8601 */
  at: string;
  label: string;
}

export interface Timeline {
  title: string;
  spans: Span[];
  marks?: Mark[];
  /** ISO 8601: where open spans end, and where the "today" line is drawn. */
  now: string;
  /** The page's language, for the dates on the axis and in the tooltips. */
  lang: string;
  /** The title's id on the page; derived from the content when not given. */
  id?: string;
}

type TickUnit = 'day' | 'month' | 'year';
const TICK_STEPS: { unit: TickUnit; step: number }[] = [
  { unit: 'day', step: 1 },
  { unit: 'day', step: 2 },
  { unit: 'day', step: 7 },
  { unit: 'day', step: 14 },
  { unit: 'month', step: 1 },
  { unit: 'month', step: 2 },
  { unit: 'month', step: 3 },
  { unit: 'month', step: 6 },
  { unit: 'year', step: 1 },
  { unit: 'year', step: 2 },
  { unit: 'year', step: 5 },
  { unit: 'year', step: 10 },
  { unit: 'year', step: 25 },
  { unit: 'year', step: 100 },
];

/** Tick times at calendar boundaries (UTC midnights, first days of months, New Year) between t0 and t1. */
function ticks(t0: number, t1: number, unit: TickUnit, step: number): number[] {
  const out: number[] = [];
  const start = new Date(t0);
  if (unit === 'day') {
    let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    if (t < t0) t += DAY;
    for (; t <= t1; t += step * DAY) out.push(t);
  } else if (unit === 'month') {
    let m = start.getUTCFullYear() * 12 + start.getUTCMonth();
    if (Date.UTC(Math.floor(m / 12), m % 12, 1) < t0) m++;
    m += (step - (m % step)) % step;
    for (let t = Date.UTC(Math.floor(m / 12), m % 12, 1); t <= t1;) {
      out.push(t);
      m += step;
      t = Date.UTC(Math.floor(m / 12), m % 12, 1);
    }
  } else {
    let y = start.getUTCFullYear();
    if (Date.UTC(y, 0, 1) < t0) y++;
    y += (step - (((y % step) + step) % step)) % step;
    for (let t = Date.UTC(y, 0, 1); t <= t1; y += step, t = Date.UTC(y, 0, 1)) out.push(t);
  }
  return out;
}

function tickScale(t0: number, t1: number, most = 6) {
  for (const s of TICK_STEPS) {
    const list = ticks(t0, t1, s.unit, s.step);
    if (list.length <= most) return { ...s, list };
  }
  const last = TICK_STEPS.at(-1)!;
  return { ...last, list: ticks(t0, t1, last.unit, last.step) };
}

const parse = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/**
 * A time axis with one row per span, in the order the spans began (the phases of one relationship,
 * say), open spans running until `now`; marks (events) as diamonds below the rows with a faint line up
 * through them. Dates on the axis and in the tooltips are written in `lang`, in UTC.
 */
export function timelineSvg({ title, spans, marks = [], now, lang: asked, id }: Timeline): string {
  const lang = locale(asked);
  const width = WIDTH;
  const longest = Math.max(0, ...spans.map((s) => Math.min(s.label.length, TIMELINE_LABEL_CHARS)));
  const labelWidth = labelWidthFor(longest, 200);
  const right = 36;
  const top = 22;
  const row = 28;
  const barHeight = 16;
  const nowAt = parse(now) ?? 0;
  const rows = spans
    .map((s, i) => ({ ...s, i, start: parse(s.from), end: parse(s.to) }))
    .filter((s): s is typeof s & { start: number } => s.start !== undefined)
    .map((s) => ({ ...s, open: s.end === undefined, end: Math.max(s.start, s.end ?? nowAt) }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  const points = marks
    .map((m) => ({ ...m, t: parse(m.at) }))
    .filter((m): m is typeof m & { t: number } => m.t !== undefined)
    .sort((a, b) => a.t - b.t);

  const times = [...rows.flatMap((r) => [r.start, r.end]), ...points.map((p) => p.t)];
  let t0 = times.length ? Math.min(...times) : nowAt;
  let t1 = times.length ? Math.max(...times) : nowAt;
  if (t1 - t0 < DAY) {
    const middle = (t0 + t1) / 2;
    [t0, t1] = [middle - DAY / 2, middle + DAY / 2];
  }
  const x0 = labelWidth;
  const x1 = width - right;
  const x = (t: number) => x0 + ((t - t0) / (t1 - t0)) * (x1 - x0);

  const rowsBottom = top + Math.max(1, rows.length) * row;
  const marksRow = points.length ? 22 : 0;
  const axisY = rowsBottom + marksRow + 4;
  const height = axisY + 26;
  const scale = tickScale(t0, t1);
  // Days as "3 Jan"; months as "Feb", with the year at the first tick and at each January; years alone.
  const formats = {
    day: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', day: 'numeric', month: 'short' }),
    month: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', month: 'short' }),
    monthYear: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', month: 'short', year: 'numeric' }),
    year: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', year: 'numeric' }),
  };
  const tickLabel = (t: number, first: boolean) =>
    (scale.unit !== 'month'
      ? formats[scale.unit]
      : first || new Date(t).getUTCMonth() === 0
        ? formats.monthYear
        : formats.month
    ).format(new Date(t));
  const dateFormat = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', dateStyle: 'medium' });
  const day = (t: number) => dateFormat.format(new Date(t));
  const today = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(0, 'day');
  const key = id ?? chartId('timeline', { title, spans, marks, now });

  const parts = [svgOpen(key, title, width, height, 'timeline')];
  for (const [i, t] of scale.list.entries()) {
    const at = num(x(t));
    parts.push(
      `<line class="tick" x1="${at}" y1="${top}" x2="${at}" y2="${axisY + 4}" stroke="${LINE}" stroke-width="1"/>` +
        `<text class="tick-label" x="${at}" y="${axisY + 18}" text-anchor="middle" fill="${MUTED}">${esc(tickLabel(t, i === 0))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${x0}" y1="${axisY}" x2="${x1}" y2="${axisY}" stroke="${MUTED}" stroke-width="1"/>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * row;
    const left = x(r.start);
    const w = Math.max(2, x(r.end) - left);
    const when = `${day(r.start)} – ${r.open ? today : day(r.end)}`;
    parts.push(
      `<g class="row"><title>${esc(`${r.label}: ${when}`)}</title>` +
        `<text x="${labelWidth - 8}" y="${num(y + row / 2)}" dy="0.35em" text-anchor="end">${esc(cut(r.label, TIMELINE_LABEL_CHARS))}</text>` +
        `<rect class="span" x="${num(Math.min(left, x1 - 2))}" y="${num(y + (row - barHeight) / 2)}" width="${num(w)}" ` +
        `height="${barHeight}" fill="${r.open ? OPEN : BAR}" data-from="${esc(new Date(r.start).toISOString())}"/></g>`,
    );
  });
  for (const p of points) {
    const px = x(p.t);
    const py = rowsBottom + marksRow / 2;
    parts.push(
      `<g class="mark"><title>${esc(`${p.label}: ${day(p.t)}`)}</title>` +
        `<line x1="${num(px)}" y1="${top}" x2="${num(px)}" y2="${num(py)}" stroke="${MARK}" stroke-width="1" stroke-dasharray="2 3"/>` +
        `<path d="M${num(px)} ${num(py - 6)}L${num(px + 6)} ${num(py)}L${num(px)} ${num(py + 6)}L${num(px - 6)} ${num(py)}Z" fill="${MARK}"/></g>`,
    );
  }
  if (nowAt >= t0 && nowAt <= t1) {
    const nx = num(x(nowAt));
    parts.push(
      `<g class="now"><title>${esc(`${today}: ${day(nowAt)}`)}</title>` +
        `<line x1="${nx}" y1="${top - 4}" x2="${nx}" y2="${axisY}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
        `<text x="${nx}" y="${top - 8}" text-anchor="${nowAt > t0 + (t1 - t0) * 0.9 ? 'end' : 'middle'}">${esc(today)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
