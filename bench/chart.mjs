// Draws bench/history.json (one entry per full benchmark run) as one SVG of small panels, each a
// figure over the runs with its target as a dashed line: docs/benchmarks-chart.svg, which
// docs/BENCHMARKS.md shows. Plain SVG text, no dependency: run by bench/run.mjs after a full run,
// or by hand with `node bench/chart.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The panels: what each plots from a history entry, and its target. */
export const PANELS = [
  {
    title: 'Bundle, brotli (KB)',
    target: 100,
    targetLabel: 'first load ≤ 100',
    lines: [
      { label: 'first load', value: (e) => e.firstLoadKB },
      { label: 'everything', value: (e) => e.totalKB, dashed: true },
    ],
  },
  {
    title: 'Keys over 16 ms (of 60), 500 rows',
    target: 0,
    targetLabel: 'none',
    lines: [{ label: 'keys over 16 ms', value: (e) => e.keysOver16 }],
  },
  {
    title: 'Switching sessions, max (ms)',
    target: 33,
    targetLabel: '≤ 33',
    lines: [{ label: 'max', value: (e) => e.switchMaxMs }],
  },
  {
    title: 'Ratios to the baseline',
    target: 1.2,
    targetLabel: 'notification ≤ 1.2, start-up ≤ 1.3',
    lines: [
      { label: 'start-up', value: (e) => e.startUpRatio },
      { label: 'notification p50', value: (e) => e.notificationP50Ratio },
      { label: 'notification p95', value: (e) => e.notificationP95Ratio, dashed: true },
    ],
  },
];

const COLOURS = ['#1f5fbf', '#b3541e', '#2e7d32'];
const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (v) => Math.round(v * 10) / 10;

/** The SVG text for `history` (oldest first). */
export function chart(history) {
  const width = 360;
  const height = 210;
  const pad = { left: 44, right: 12, top: 30, bottom: 46 };
  const cols = 2;
  const panels = PANELS.map((panel, index) => {
    const x0 = (index % cols) * width;
    const y0 = Math.floor(index / cols) * height;
    const values = panel.lines.flatMap((line) => history.map(line.value)).filter(Number.isFinite);
    const top = Math.max(panel.target, ...values, 1) * 1.1;
    const innerW = width - pad.left - pad.right;
    const innerH = height - pad.top - pad.bottom;
    const x = (i) => x0 + pad.left + (history.length === 1 ? innerW / 2 : (i * innerW) / (history.length - 1));
    const y = (v) => y0 + pad.top + innerH - (v / top) * innerH;
    const parts = [
      `<text x="${x0 + 8}" y="${y0 + 18}" font-weight="bold">${esc(panel.title)}</text>`,
      `<line x1="${x0 + pad.left}" y1="${y(0)}" x2="${x0 + width - pad.right}" y2="${y(0)}" stroke="#888"/>`,
      `<text x="${x0 + pad.left - 4}" y="${y(0) + 4}" text-anchor="end" font-size="10">0</text>`,
      `<text x="${x0 + pad.left - 4}" y="${y(top / 1.1) + 4}" text-anchor="end" font-size="10">${round(top / 1.1)}</text>`,
      `<line x1="${x0 + pad.left}" y1="${y(panel.target)}" x2="${x0 + width - pad.right}" y2="${y(panel.target)}" stroke="#c62828" stroke-dasharray="4 3"/>`,
      `<text x="${x0 + width - pad.right}" y="${y(panel.target) - 3}" text-anchor="end" font-size="10" fill="#c62828">target: ${esc(panel.targetLabel)}</text>`,
    ];
    panel.lines.forEach((line, n) => {
      const colour = COLOURS[n % COLOURS.length];
      const points = history
        .map((entry, i) => [i, line.value(entry)])
        .filter(([, v]) => Number.isFinite(v))
        .map(([i, v]) => [x(i), y(v), v]);
      if (points.length > 1) {
        parts.push(
          `<polyline fill="none" stroke="${colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 3"' : ''} points="${points.map(([px, py]) => `${round(px)},${round(py)}`).join(' ')}"/>`,
        );
      }
      for (const [px, py, v] of points) {
        parts.push(`<circle cx="${round(px)}" cy="${round(py)}" r="3" fill="${colour}"><title>${esc(line.label)}: ${round(v)}</title></circle>`);
      }
      const last = points.at(-1);
      if (last) parts.push(`<text x="${round(last[0]) - 4}" y="${round(last[1]) - 6}" text-anchor="end" font-size="10" fill="${colour}">${round(last[2])}</text>`);
      parts.push(
        `<text x="${x0 + pad.left + n * 110}" y="${y0 + height - 8}" font-size="10" fill="${colour}">${line.dashed ? '- -' : '—'} ${esc(line.label)}</text>`,
      );
    });
    history.forEach((entry, i) => {
      parts.push(`<text x="${round(x(i))}" y="${y0 + height - pad.bottom + 14}" text-anchor="middle" font-size="9">${esc(entry.date.slice(5, 10))}</text>`);
    });
    return parts.join('\n  ');
  });
  const rows = Math.ceil(PANELS.length / cols);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * width}" height="${rows * height}" viewBox="0 0 ${cols * width} ${rows * height}" font-family="sans-serif" font-size="12">
  <title>Benchmark figures over the full runs (bench/history.json)</title>
  <rect width="100%" height="100%" fill="#fff"/>
  ${panels.join('\n  ')}
</svg>
`;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HISTORY = join(root, 'bench', 'history.json');
export const CHART = join(root, 'docs', 'benchmarks-chart.svg');

/** Appends one full run's figures to bench/history.json and redraws the chart. */
export function record(entry) {
  const history = JSON.parse(readFileSync(HISTORY, 'utf8'));
  history.push(entry);
  writeFileSync(HISTORY, `${JSON.stringify(history, null, 2)}\n`);
  writeFileSync(CHART, chart(history));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CHART, chart(JSON.parse(readFileSync(HISTORY, 'utf8'))));
  console.log(`chart: ${CHART}`);
}
