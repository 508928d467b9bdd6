// A small SVG line chart (no library): time on x, counts on y, one line per series.
import { el } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#1f5fbf', '#d1495b', '#2a9d8f', '#e9a23b', '#7b4fbf', '#5b6672'];

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, String(v));
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function niceMax(v) {
  if (v <= 4) {
    return 4;
  }
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= v) {
      return m * p;
    }
  }
  return 10 * p;
}

function shortNumber(v) {
  if (v >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + 'M';
  if (v >= 1e3) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + 'k';
  return String(v);
}

/**
 * Draws into container: times are ISO strings (x), series [{name, values}] (y). The chart's text
 * alternative names the series' totals and latest values for screen readers.
 */
export function lineChart(container, { title, times, series, format = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }) {
  const W = 560;
  const H = 200;
  const L = 44;
  const R = 10;
  const T = 10;
  const B = 26;
  const n = times.length;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (i) => L + (n <= 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const summary = series.length
    ? series
        .map((s) => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)} in total, ${s.values[s.values.length - 1] ?? 0} in the latest point`)
        .join('; ')
    : 'no data';
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${summary}` });
  root.append(svg('title', {}, `${title}: ${summary}`));
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    root.append(svg('line', { class: 'grid-line', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    root.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, shortNumber(v)));
  }
  root.append(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  const step = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += step) {
    root.append(svg('text', { x: x(i), y: H - 8, 'text-anchor': 'middle' }, format(times[i])));
  }
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const line = svg('polyline', { points, stroke: COLORS[k % COLORS.length] });
    line.append(svg('title', {}, s.name));
    root.append(line);
  });
  const legend = el(
    'div',
    { class: 'legend' },
    series.length
      ? series.map((s, k) => el('span', {}, el('span', { class: 'swatch c' + (k % COLORS.length) }), s.name))
      : el('span', { class: 'muted' }, 'No data in this period.'),
  );
  container.replaceChildren(root, legend);
}
