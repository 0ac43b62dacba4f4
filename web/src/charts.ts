// ECharts, with only the parts the dashboard uses (SVG renderer: crisp,
// small, and the map's countries are real <path> elements).
import { BarChart, MapChart, PieChart } from "echarts/charts";
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { h } from "./dom";
import { countryName, worldGeoJson } from "./worldmap";

echarts.use([
  BarChart,
  MapChart,
  PieChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

let mapRegistered = false;

/** Escapes text for ECharts' HTML tooltips (names come from the API). */
function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The palette, matching style.css. */
export const COLORS = {
  allow: "#1f9d55",
  warn: "#d97706",
  block: "#dc2626",
  pending: "#94a3b8",
  accent: "#2563eb",
  text: "#1e293b",
  muted: "#64748b",
};

/** Starts a chart in `el`, resized with the window; returns a disposer. */
function mount(el: HTMLElement, option: echarts.EChartsCoreOption): () => void {
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption(option);
  // Resize on the next frame, and never to an empty box (a detached or
  // hidden element): ECharts' map layout fails on a zero-sized view.
  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (el.isConnected && el.clientWidth > 0 && el.clientHeight > 0 && !chart.isDisposed()) chart.resize();
    });
  });
  observer.observe(el);
  return () => {
    cancelAnimationFrame(frame);
    observer.disconnect();
    chart.dispose();
  };
}

/** A donut of named values with a big number in the middle (an HTML overlay). */
export function donut(
  el: HTMLElement,
  items: Array<{ name: string; value: number; color: string }>,
  center: string,
  caption: string,
): () => void {
  el.parentElement?.appendChild(
    h(
      "div",
      { class: "donut-center" },
      h("div", { class: "donut-big" }, center),
      h("div", { class: "donut-small" }, caption),
    ),
  );
  return mount(el, {
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const { name, value, percent } = p as { name: string; value: number; percent: number };
        return `${esc(name)}: ${esc(value)} (${esc(percent)}%)`;
      },
    },
    legend: { orient: "vertical", right: 0, top: "middle", icon: "circle", textStyle: { color: COLORS.text } },
    series: [
      {
        type: "pie",
        radius: ["58%", "82%"],
        center: ["32%", "50%"],
        avoidLabelOverlap: true,
        label: { show: false },
        labelLine: { show: false },
        emphasis: { scale: false },
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        data: items
          .filter((i) => i.value > 0)
          .map((i) => ({ name: i.name, value: i.value, itemStyle: { color: i.color } })),
      },
    ],
  });
}

/** A horizontal bar chart, largest on top. */
export function bars(
  el: HTMLElement,
  items: Array<{ name: string; value: number }>,
  unit: string,
  color = COLORS.accent,
): () => void {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  return mount(el, {
    grid: { left: 8, right: 36, top: 4, bottom: 4, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (p: unknown) => {
        const first = (p as Array<{ name: string; value: number }>)[0];
        return first ? `${esc(first.name)}: ${esc(first.value)} ${esc(unit)}` : "";
      },
    },
    xAxis: {
      type: "value",
      minInterval: 1,
      axisLabel: { color: COLORS.muted },
      splitLine: { lineStyle: { color: "#eef2f7" } },
    },
    yAxis: {
      type: "category",
      data: sorted.map((i) => i.name),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: COLORS.text, width: 150, overflow: "truncate" },
    },
    series: [
      {
        type: "bar",
        data: sorted.map((i) => i.value),
        barMaxWidth: 16,
        itemStyle: { color, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: "right", color: COLORS.muted },
      },
    ],
  });
}

/** A world choropleth: countries by alpha-2 code, coloured by `value`. */
export function worldMap(el: HTMLElement, items: Array<{ country: string; value: number; hosts: number }>): () => void {
  if (!mapRegistered) {
    echarts.registerMap("world", worldGeoJson() as Parameters<typeof echarts.registerMap>[1]);
    mapRegistered = true;
  }
  const max = Math.max(1, ...items.map((i) => i.value));
  const hosts = new Map(items.map((i) => [i.country, i.hosts]));
  return mount(el, {
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const { name, value } = p as { name: string; value: number };
        const n = esc(countryName(name));
        const hostCount = hosts.get(name) ?? 0;
        return Number.isFinite(value)
          ? `<b>${n}</b><br>${esc(value)} app${value === 1 ? "" : "s"}, ${esc(hostCount)} host${hostCount === 1 ? "" : "s"}`
          : n;
      },
    },
    visualMap: {
      show: items.length > 0,
      min: 0,
      max,
      left: 8,
      bottom: 8,
      text: ["more apps", "fewer"],
      calculable: false,
      inRange: { color: ["#bfdbfe", "#1d4ed8"] },
      textStyle: { color: COLORS.muted },
    },
    series: [
      {
        type: "map",
        map: "world",
        roam: false,
        zoom: 1.15,
        center: [10, 20],
        itemStyle: { areaColor: "#e8edf3", borderColor: "#ffffff", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#f59e0b" } },
        select: { disabled: true },
        data: items.map((i) => ({ name: i.country, value: i.value })),
      },
    ],
  });
}
