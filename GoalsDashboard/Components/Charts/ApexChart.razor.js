// Keeps one ApexCharts instance per element; created, updated and destroyed by ApexChart.razor.
const charts = new WeakMap();

function merge(options, series) {
    const o = JSON.parse(options);
    o.series = JSON.parse(series);
    return o;
}

function themed(o) {
    const dark = document.documentElement.classList.contains("mud-theme-dark")
        || getComputedStyle(document.documentElement).getPropertyValue("--mud-palette-background").trim().startsWith("#0");
    o.theme = Object.assign({ mode: dark ? "dark" : "light" }, o.theme || {});
    o.chart = Object.assign({ background: "transparent", fontFamily: "inherit" }, o.chart || {});
    return o;
}

export function create(element, options, series) {
    if (typeof ApexCharts === "undefined") {
        element.textContent = "The chart library did not load.";
        return;
    }
    const chart = new ApexCharts(element, themed(merge(options, series)));
    charts.set(element, chart);
    chart.render();
}

export function update(element, options, series) {
    const chart = charts.get(element);
    if (!chart) {
        return;
    }
    if (options) {
        chart.updateOptions(themed(merge(options, series)), true, true);
    } else {
        chart.updateSeries(JSON.parse(series), true);
    }
}

export function destroy(element) {
    const chart = charts.get(element);
    if (chart) {
        chart.destroy();
        charts.delete(element);
    }
}
