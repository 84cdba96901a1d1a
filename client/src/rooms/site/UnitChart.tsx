/**
 * A unit's temperature history as a uPlot chart: the mean line with the lowest and highest
 * of each bucket as a band, the rule limits as shaded zones above the high limit and
 * below the low one, and each alert's period shaded across the plot. Loaded lazily, so
 * the board does not carry uPlot.
 */
import { onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ReadingsAnswer } from "../../../../schema/site/api";
import { celsius } from "./labels";

/** The plot's height: tall enough to read a shape, short enough to leave the alerts in view on a phone. */
const CHART_HEIGHT_PX = 260;
const NARROW_CHART_HEIGHT_PX = 200;
/** °C of room kept above and below the data and limits, so a line never sits on the frame. */
const Y_PADDING_C = 1;

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** A `#rrggbb` colour at some opacity, as `#rrggbbaa`; another form of colour is kept as it is. */
function withAlpha(color: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return color;
  return `${color}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, "0")}`;
}

export default function UnitChart(props: { data: ReadingsAnswer; from: number; to: number }) {
  let host: HTMLDivElement | undefined;
  let plot: uPlot | null = null;

  onMount(() => {
    if (!host) return;
    const muted = cssVar("--muted", "#5b6472");
    const border = cssVar("--border", "#dde1e7");
    const primary = cssVar("--primary", "#2563eb");
    const danger = cssVar("--danger", "#c81e1e");
    const warn = cssVar("--warn", "#92400e");
    const { data, from, to } = props;
    const { limits } = data;

    const shade = (u: uPlot) => {
      const { ctx } = u;
      const { left, top, width, height } = u.bbox;
      const bottom = top + height;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, height);
      ctx.clip();
      const y = (value: number) => Math.min(bottom, Math.max(top, u.valToPos(value, "y", true)));
      const x = (value: number) => Math.min(left + width, Math.max(left, u.valToPos(value, "x", true)));
      // Above the high limit and below the low one: where a reading breaks the rule.
      ctx.fillStyle = withAlpha(danger, 0.06);
      if (limits.high !== null) ctx.fillRect(left, top, width, y(limits.high) - top);
      if (limits.low !== null) ctx.fillRect(left, y(limits.low), width, bottom - y(limits.low));
      // Alert periods, across the whole height.
      for (const alert of data.alerts) {
        const x0 = x(alert.startedAt);
        const x1 = x(alert.clearedAt ?? to);
        ctx.fillStyle = withAlpha(alert.severity === "critical" ? danger : warn, 0.14);
        ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
      }
      ctx.restore();
    };

    const limitLines = (u: uPlot) => {
      const { ctx } = u;
      const { left, width } = u.bbox;
      ctx.save();
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.lineWidth = devicePixelRatio;
      ctx.strokeStyle = danger;
      for (const value of [limits.high, limits.low]) {
        if (value === null) continue;
        const py = u.valToPos(value, "y", true);
        ctx.beginPath();
        ctx.moveTo(left, py);
        ctx.lineTo(left + width, py);
        ctx.stroke();
      }
      ctx.restore();
    };

    const yRange = (_u: uPlot, min: number | null, max: number | null): [number, number] => {
      const values = [min, max, limits.high, limits.low].filter((v): v is number => v !== null && Number.isFinite(v));
      if (values.length === 0) return [0, 10];
      return [Math.floor(Math.min(...values) - Y_PADDING_C), Math.ceil(Math.max(...values) + Y_PADDING_C)];
    };

    const height = () => (host && host.clientWidth < 560 ? NARROW_CHART_HEIGHT_PX : CHART_HEIGHT_PX);
    const options: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: height(),
      ms: 1,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => [from, to] }, y: { range: yRange } },
      series: [
        {},
        { label: "Temperature", stroke: primary, width: 2, spanGaps: false, points: { show: data.at.length < 60 } },
        { label: "Lowest", stroke: withAlpha(primary, 0.35), width: 1 },
        { label: "Highest", stroke: withAlpha(primary, 0.35), width: 1 },
      ],
      bands: [{ series: [3, 2], fill: withAlpha(primary, 0.12) }],
      axes: [
        { stroke: muted, grid: { stroke: border, width: 1 }, ticks: { stroke: border } },
        {
          stroke: muted,
          grid: { stroke: border, width: 1 },
          ticks: { stroke: border },
          values: (_u, ticks) => ticks.map((t) => `${t}°`),
          size: 44,
        },
      ],
      hooks: { drawClear: [shade], draw: [limitLines] },
    };
    plot = new uPlot(options, [data.at, data.mean, data.min, data.max], host);
    const resize = new ResizeObserver(() => {
      if (host && plot) plot.setSize({ width: Math.max(200, host.clientWidth), height: height() });
    });
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = null;
    });
  });

  const summary = () => {
    const { mean, min, max } = props.data;
    if (mean.length === 0) return "No readings in this window.";
    return (
      `${mean.length} ${props.data.resolution === "raw" ? "readings" : "points"}, lowest ` +
      `${celsius(Math.min(...min))}, highest ${celsius(Math.max(...max))}.`
    );
  };

  return (
    <figure class="unit-chart" data-testid="unit-chart">
      <div ref={host} class="unit-chart-plot" aria-hidden="true" />
      <figcaption class="small muted" data-testid="unit-chart-summary">
        {summary()}
        {props.data.alerts.length > 0
          ? ` ${props.data.alerts.length} alert ${props.data.alerts.length === 1 ? "period" : "periods"} shaded.`
          : ""}
      </figcaption>
    </figure>
  );
}
