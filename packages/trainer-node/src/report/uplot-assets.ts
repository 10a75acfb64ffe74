import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export interface ChartAssets {
  /** uPlot's IIFE build: defines the global `uPlot` */
  js: string;
  css: string;
}

let cached: Promise<ChartAssets> | undefined;

/**
 * uPlot (leeoniya/uPlot: canvas charts, 50 kB minified, no dependencies), read from the installed package so
 * report.html carries it inline and opens without a network. Resolved from this file, so the built CLI finds the
 * copy its own package depends on.
 */
export function chartAssets(): Promise<ChartAssets> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    const [js, css] = await Promise.all([
      readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    ]);
    return { js, css };
  })();
  return cached;
}
