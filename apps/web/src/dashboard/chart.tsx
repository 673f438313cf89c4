import type { Chart as ChartInstance, ChartConfiguration } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';

let loading: Promise<typeof ChartInstance> | undefined;

/** Chart.js, fetched the first time a chart is drawn: it is most of the dashboard's weight. */
function loadChartJs(): Promise<typeof ChartInstance> {
  loading ??= import('./chart-js.js').then(
    ({ Chart }) => Chart,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * One colour per indicator, the same in every chart (green on time, red breached…), each with at
 * least 4.5:1 contrast on white; the data table beside each chart tells them apart without colour.
 */
export const COLOURS: Readonly<Record<string, string>> = {
  obligations: '#52606d',
  acknowledgedOnTime: '#1b6e3a',
  acknowledgedLate: '#a34a00',
  open: '#1d4ed8',
  breached: '#b42318',
  blocked: '#5b4a8a',
};

export interface ChartTable {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly [string, ...string[]])[];
}

/**
 * A chart with its data as a table beside it: the canvas is an image with a summary for screen
 * readers, the table holds every number for whoever cannot see the bars.
 */
export function Chart({
  id,
  title,
  summary,
  config,
  table,
}: {
  id: string;
  title: string;
  summary: string;
  config: ChartConfiguration;
  table: ChartTable;
}) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const signature = JSON.stringify(config.data);
  useEffect(() => {
    let chart: ChartInstance | undefined;
    let cancelled = false;
    loadChartJs().then(
      (ChartJs) => {
        if (cancelled || !canvas.current) return;
        chart = new ChartJs(canvas.current, {
          ...config,
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            ...config.options,
          },
        });
      },
      () => setFailed(true),
    );
    return () => {
      cancelled = true;
      chart?.destroy();
    };
    // the chart is drawn again when its data changes, not on every render
  }, [signature]);
  return (
    <figure class="chart" id={id}>
      <figcaption>{title}</figcaption>
      {!failed && (
        <div class="chart-canvas">
          <canvas ref={canvas} role="img" aria-label={summary} />
        </div>
      )}
      <details open={failed}>
        <summary>{t('dashboard.chartData')}</summary>
        <table class="data compact">
          <caption class="visually-hidden">{table.caption}</caption>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map(([head, ...cells]) => (
              <tr key={head}>
                <th scope="row">{head}</th>
                {cells.map((cell, i) => (
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
