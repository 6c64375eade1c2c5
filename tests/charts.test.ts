/**
 * The server-rendered charts (api/admin/charts.ts), pure: well-formed SVG, every text escaped, named images,
 * bars proportional to their values (also all zeros), and a timeline whose rows keep their order and
 * stay within the axis, with dates in the page's language.
 */
import { parse, valid, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { barChartSvg, timelineSvg } from '../api/admin/charts.js';

/** Every tag closed in order, and no raw `<` or stray `&` in text or attributes: XML, not just tag soup. */
function expectWellFormed(svg: string) {
  expect(valid(svg)).toBe(true);
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const between = svg.slice(at, m.index);
    expect(between, `text before <${m[1]}${m[2]}>`).not.toMatch(/[<>]/);
    expect(between).not.toMatch(/&(?![a-z]+;|#x?[0-9a-f]+;)/i);
    expect(m[3]).not.toMatch(/&(?![a-z]+;|#x?[0-9a-f]+;)/i);
    at = m.index + m[0].length;
    if (m[4]) continue;
    if (m[1]) expect(stack.pop(), `</${m[2]}>`).toBe(m[2]);
    else stack.push(m[2]!);
  }
  expect(at, 'everything is inside tags or between them').toBe(svg.length);
  expect(stack).toEqual([]);
}

/** The chart is an image named by its own title. */
function expectNamedImage(root: HTMLElement, title: string) {
  const svg = root.querySelector('svg')!;
  expect(svg.getAttribute('role')).toBe('img');
  const id = svg.getAttribute('aria-labelledby')!;
  expect(id).toBeTruthy();
  const named = root.querySelectorAll('title').find((t) => t.getAttribute('id') === id);
  expect(named?.text).toBe(title);
  expect(svg.firstChild).toBe(named);
  expect(svg.getAttribute('style')).toBeUndefined();
}

const widths = (root: HTMLElement) =>
  root.querySelectorAll('rect.bar').map((r) => Number(r.getAttribute('width')));

describe('barChartSvg', () => {
  it('draws bars proportional to the values, the largest at full length, with their values', () => {
    const svg = barChartSvg({
      title: 'Relationships per phase',
      bars: [
        { label: 'Application', value: 1 },
        { label: 'Interview', value: 4 },
        { label: 'Matching', value: 2 },
      ],
    });
    expectWellFormed(svg);
    const root = parse(svg);
    expectNamedImage(root, 'Relationships per phase');
    const [a, b, c] = widths(root);
    expect(b).toBeGreaterThan(200);
    expect(a! / b!).toBeCloseTo(0.25, 2);
    expect(c! / b!).toBeCloseTo(0.5, 2);
    expect(root.querySelectorAll('text.value').map((t) => t.text)).toEqual(['1', '4', '2']);
    const labels = root.querySelectorAll('g.row > text:not(.value)').map((t) => t.text);
    expect(labels).toEqual(['Application', 'Interview', 'Matching']);
    // Every bar starts at the same place and stays inside the picture.
    const viewWidth = Number(root.querySelector('svg')!.getAttribute('viewBox')!.split(' ')[2]);
    for (const rect of root.querySelectorAll('rect.bar')) {
      expect(rect.getAttribute('x')).toBe(root.querySelector('rect.bar')!.getAttribute('x'));
      expect(Number(rect.getAttribute('x')) + Number(rect.getAttribute('width'))).toBeLessThanOrEqual(
        viewWidth,
      );
    }
  });

  it('escapes every text: labels, the title, the unit and links', () => {
    const svg = barChartSvg({
      title: 'Phases <b>"&',
      unit: '<i>',
      bars: [
        { label: '<script>alert(1)</script>', value: 3, href: '/admin/x?a=1&b="2"' },
        { label: '"&', value: 1, href: 'javascript:alert(1)' },
      ],
    });
    expectWellFormed(svg);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<i>');
    expect(svg).not.toContain('javascript:');
    const root = parse(svg);
    expectNamedImage(root, 'Phases <b>"&');
    const texts = root.querySelectorAll('text').map((t) => t.text);
    expect(texts).toContain('<script>alert(1)</script>');
    expect(texts).toContain('"&');
    expect(texts).toContain('3 <i>');
    // A safe link is kept (escaped) for the pointer only; the page's table carries it for everyone else.
    const links = root.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('/admin/x?a=1&b="2"');
    expect(links[0]!.getAttribute('tabindex')).toBe('-1');
    expect(links[0]!.getAttribute('aria-hidden')).toBe('true');
  });

  it('renders all zeros, no bars, and values that are not numbers', () => {
    const zeros = barChartSvg({
      title: 'Nothing yet',
      bars: [
        { label: 'A', value: 0 },
        { label: 'B', value: 0 },
      ],
    });
    expectWellFormed(zeros);
    expect(widths(parse(zeros))).toEqual([0, 0]);
    expect(
      parse(zeros)
        .querySelectorAll('text.value')
        .map((t) => t.text),
    ).toEqual(['0', '0']);

    const none = barChartSvg({ title: 'Empty', bars: [] });
    expectWellFormed(none);
    expectNamedImage(parse(none), 'Empty');

    const odd = barChartSvg({
      title: 'Odd',
      bars: [
        { label: 'minus', value: -3 },
        { label: 'nan', value: Number.NaN },
        { label: 'two', value: 2 },
      ],
    });
    expectWellFormed(odd);
    const [minus, nan, two] = widths(parse(odd));
    expect([minus, nan]).toEqual([0, 0]);
    expect(two).toBeGreaterThan(0);
  });

  it('gives each chart its own title id, and the one asked for', () => {
    const a = parse(barChartSvg({ title: 'A', bars: [{ label: 'x', value: 1 }] }));
    const b = parse(barChartSvg({ title: 'B', bars: [{ label: 'x', value: 1 }] }));
    expect(a.querySelector('svg')!.getAttribute('aria-labelledby')).not.toBe(
      b.querySelector('svg')!.getAttribute('aria-labelledby'),
    );
    const named = parse(barChartSvg({ title: 'C', bars: [], id: 'phase-chart' }));
    expect(named.querySelector('svg')!.getAttribute('aria-labelledby')).toBe('phase-chart-title');
  });

  it('writes numbers in the language asked for', () => {
    const nb = parse(barChartSvg({ title: 'T', bars: [{ label: 'x', value: 12345 }], lang: 'nb' }));
    expect(nb.querySelector('text.value')!.text.replace(/\s/g, ' ')).toBe('12 345');
    const en = parse(barChartSvg({ title: 'T', bars: [{ label: 'x', value: 12345 }] }));
    expect(en.querySelector('text.value')!.text).toBe('12,345');
  });
});

describe('timelineSvg', () => {
  const phases = [
    { label: 'Meetings', from: '2027-02-10T10:00:00Z' },
    { label: 'Application', from: '2027-01-03T10:00:00Z', to: '2027-01-05T10:00:00Z' },
    { label: 'Matching', from: '2027-01-20T10:00:00Z', to: '2027-02-01T10:00:00Z' },
    { label: 'Interview', from: '2027-01-05T10:00:00Z', to: '2027-01-20T10:00:00Z' },
    { label: 'Kickoff', from: '2027-02-01T10:00:00Z', to: '2027-02-10T10:00:00Z' },
  ];
  const now = '2027-06-20T00:00:00Z';

  function axis(root: HTMLElement) {
    const line = root.querySelector('line.axis')!;
    return { x1: Number(line.getAttribute('x1')), x2: Number(line.getAttribute('x2')) };
  }

  it('draws one row per span in the order they began, every bar within the axis', () => {
    const svg = timelineSvg({ title: 'Ada’s relationship', spans: phases, now, lang: 'en' });
    expectWellFormed(svg);
    const root = parse(svg);
    expectNamedImage(root, 'Ada’s relationship');
    const rows = root.querySelectorAll('g.row');
    expect(rows.map((r) => r.querySelector('text')!.text)).toEqual([
      'Application',
      'Interview',
      'Matching',
      'Kickoff',
      'Meetings',
    ]);
    const { x1, x2 } = axis(root);
    const rects = rows.map((r) => r.querySelector('rect.span')!);
    const ys = rects.map((r) => Number(r.getAttribute('y')));
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(new Set(ys).size).toBe(ys.length);
    let lastX = -Infinity;
    for (const rect of rects) {
      const x = Number(rect.getAttribute('x'));
      const w = Number(rect.getAttribute('width'));
      expect(x).toBeGreaterThanOrEqual(x1);
      expect(x + w).toBeLessThanOrEqual(x2 + 0.11);
      expect(x).toBeGreaterThanOrEqual(lastX);
      lastX = x;
    }
    // The axis runs from the first start to now, where the open span ends.
    expect(Number(rects[0]!.getAttribute('x'))).toBeCloseTo(x1, 0);
    const open = rects.at(-1)!;
    expect(Number(open.getAttribute('x')) + Number(open.getAttribute('width'))).toBeCloseTo(x2, 0);
    expect(open.getAttribute('fill')).not.toBe(rects[0]!.getAttribute('fill'));
    // The tooltip says the open span runs until today.
    expect(rows.at(-1)!.querySelector('title')!.text).toMatch(/^Meetings: Feb 10, 2027 – today$/);
  });

  it('writes the dates of the axis in the page language', () => {
    const en = parse(timelineSvg({ title: 'T', spans: phases, now, lang: 'en' }));
    const nb = parse(timelineSvg({ title: 'T', spans: phases, now, lang: 'nb' }));
    const ticks = (root: HTMLElement) => root.querySelectorAll('text.tick-label').map((t) => t.text);
    expect(ticks(en)).toEqual(['Feb 2027', 'Mar', 'Apr', 'May', 'Jun']);
    expect(ticks(nb)[0]).toBe('feb. 2027');
    expect(ticks(nb)).toContain('mai');
    expect(nb.querySelector('g.now')!.text).toContain('i dag');

    const days = parse(
      timelineSvg({
        title: 'T',
        spans: [{ label: 'A', from: '2027-03-01T08:00:00Z', to: '2027-03-05T08:00:00Z' }],
        now,
        lang: 'da',
      }),
    );
    expect(ticks(days)[0]).toMatch(/^2\. mar/);
  });

  it('keeps tick marks and "now" within the axis, for spans of minutes and of years', () => {
    for (const spans of [
      [{ label: 'minute', from: '2027-01-01T10:00:00Z', to: '2027-01-01T10:01:00Z' }],
      [{ label: 'years', from: '2020-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }],
    ]) {
      const svg = timelineSvg({ title: 'T', spans, now: '2027-01-01T10:00:30Z', lang: 'sv' });
      expectWellFormed(svg);
      const root = parse(svg);
      const { x1, x2 } = axis(root);
      const ticks = root.querySelectorAll('line.tick').map((l) => Number(l.getAttribute('x1')));
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.length).toBeLessThanOrEqual(6);
      for (const x of ticks) expect(x >= x1 && x <= x2).toBe(true);
      const rect = root.querySelector('rect.span')!;
      expect(Number(rect.getAttribute('x'))).toBeGreaterThanOrEqual(x1);
      expect(Number(rect.getAttribute('x')) + Number(rect.getAttribute('width'))).toBeLessThanOrEqual(
        x2 + 0.11,
      );
    }
  });

  it('shows marks as diamonds with their label and date, and escapes every text', () => {
    const svg = timelineSvg({
      title: '<script>"&',
      spans: [{ label: '<b>phase</b> "&', from: '2027-01-01T00:00:00Z', to: '2027-03-01T00:00:00Z' }],
      marks: [
        { at: '2027-02-01T00:00:00Z', label: 'Meeting <1> & "2"' },
        { at: 'not a date', label: 'ignored' },
      ],
      now: '2027-02-15T00:00:00Z',
      lang: 'en',
    });
    expectWellFormed(svg);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    const root = parse(svg);
    expectNamedImage(root, '<script>"&');
    expect(root.querySelector('g.row text')!.text).toBe('<b>phase</b> "&');
    const marks = root.querySelectorAll('g.mark');
    expect(marks).toHaveLength(1);
    expect(marks[0]!.querySelector('title')!.text).toBe('Meeting <1> & "2": Feb 1, 2027');
    expect(marks[0]!.querySelector('path')).toBeTruthy();
    const { x1, x2 } = axis(root);
    const d = marks[0]!.querySelector('path')!.getAttribute('d')!;
    const markX = Number(/^M([\d.]+)/.exec(d)![1]);
    expect(markX).toBeGreaterThan(x1);
    expect(markX).toBeLessThan(x2);
  });

  it('renders with no spans at all, and skips spans without a valid start', () => {
    const empty = timelineSvg({ title: 'Nothing', spans: [], now, lang: 'nl' });
    expectWellFormed(empty);
    expectNamedImage(parse(empty), 'Nothing');
    const some = parse(
      timelineSvg({
        title: 'T',
        spans: [
          { label: 'bad', from: 'yesterday' },
          { label: 'good', from: '2027-01-01T00:00:00Z', to: 'never' },
        ],
        now,
        lang: 'nl',
      }),
    );
    expect(some.querySelectorAll('g.row').map((r) => r.querySelector('text')!.text)).toEqual(['good']);
  });
});
