import type uPlot from 'uplot';

/** What the page script gets, as JSON in <script type="application/json" id="report-data">. */
export interface ReportPageData {
  steps: number[];
  /** spanGaps: a series measured at some lines only (the sample spread), joined across the lines without it */
  charts: { title: string; series: { key: string; label: string; values: (number | null)[]; spanGaps?: boolean }[] }[];
  warnings: { kind: string; metric: string; fromStep: number; toStep: number; message: string }[];
  grids: { label: string; step: number; src: string }[];
}

/**
 * The script of report.html, run in the browser. It is inlined with Function.prototype.toString, so it uses
 * nothing from outside its own body but the DOM and the global uPlot (inlined before it): no imports, no helpers.
 */
export function reportPageScript(): void {
  const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportPageData;
  const UPlot = (window as unknown as { uPlot: typeof uPlot }).uPlot;
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

  // curves: one uPlot per group of metrics, x = step; a warning about one of its metrics is a red band
  const chartsRoot = document.getElementById('charts')!;
  for (const chart of data.charts) {
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset['title'] = chart.title;
    chartsRoot.appendChild(box);
    const keys = chart.series.map((s) => s.key);
    const marks = data.warnings.filter((w) => keys.includes(w.metric));
    const markPlugin = {
      hooks: {
        draw: (u: uPlot) => {
          const { ctx, bbox } = u;
          ctx.save();
          for (const mark of marks) {
            const x0 = u.valToPos(mark.fromStep, 'x', true);
            const x1 = u.valToPos(mark.toStep, 'x', true);
            const width = Math.max(x1 - x0, 4 * devicePixelRatio);
            ctx.fillStyle = 'rgba(214, 39, 40, 0.18)';
            ctx.fillRect(x0 - (x1 === x0 ? width / 2 : 0), bbox.top, width, bbox.height);
            ctx.fillStyle = 'rgb(214, 39, 40)';
            ctx.fillRect(x0 - (x1 === x0 ? width / 2 : 0), bbox.top, width, 3 * devicePixelRatio);
          }
          ctx.restore();
        },
      },
    };
    const options: uPlot.Options = {
      title: chart.title,
      width: Math.min(chartsRoot.clientWidth || 900, 900),
      height: 240,
      scales: { x: { time: false } },
      axes: [{ label: 'step' }, {}],
      series: [{ label: 'step' }, ...chart.series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length]!, width: 1.5, spanGaps: s.spanGaps ?? false }))],
      plugins: [markPlugin],
    };
    new UPlot(options, [data.steps, ...chart.series.map((s) => s.values)] as uPlot.AlignedData, box);
    if (marks.length > 0) {
      const note = document.createElement('p');
      note.className = 'chart-warnings';
      note.textContent = `⚠ ${marks.map((m) => m.message).join('; ')}`;
      box.appendChild(note);
    }
  }

  // sample grids: a range input scrubs through them, the play button steps through them in a loop
  const image = document.getElementById('grid-image') as HTMLImageElement | null;
  const scrub = document.getElementById('grid-scrub') as HTMLInputElement | null;
  const label = document.getElementById('grid-label');
  const play = document.getElementById('grid-play') as HTMLButtonElement | null;
  if (image && scrub && label && play && data.grids.length > 0) {
    const show = (index: number): void => {
      const grid = data.grids[index]!;
      image.src = grid.src;
      image.alt = `samples of the fixed noise, ${grid.label}`;
      label.textContent = `${grid.label} (${index + 1} of ${data.grids.length})`;
      scrub.value = String(index);
    };
    scrub.max = String(data.grids.length - 1);
    scrub.addEventListener('input', () => show(Number(scrub.value)));
    let timer: number | undefined;
    const stop = (): void => {
      window.clearInterval(timer);
      timer = undefined;
      play.textContent = '▶ play';
    };
    play.addEventListener('click', () => {
      if (timer !== undefined) return stop();
      play.textContent = '❚❚ pause';
      if (Number(scrub.value) >= data.grids.length - 1) show(0);
      timer = window.setInterval(() => {
        const next = Number(scrub.value) + 1;
        if (next >= data.grids.length) stop();
        else show(next);
      }, 500);
    });
    show(data.grids.length - 1);
  }
}
