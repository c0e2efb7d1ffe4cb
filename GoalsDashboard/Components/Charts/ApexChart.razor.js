// Keeps one ApexCharts instance per element; created, updated and destroyed by ApexChart.razor.
const charts = new WeakMap();

function merge(options, series) {
    const o = JSON.parse(options);
    o.series = JSON.parse(series);
    return escaped(o);
}

// Text from users and integrators (goal, campaign, segment, site, channel and path names) reaches the
// legend and the tooltips, which ApexCharts writes as HTML (innerHTML). Every formatter whose result it
// writes that way escapes: a name is always shown as text, never run. SVG labels (axes, data labels)
// are set as text by ApexCharts itself. Options come as JSON, so no formatter of the caller's is replaced.
const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value) {
    return String(value ?? "").replace(/[&<>"']/g, c => entities[c]);
}

function escaped(o) {
    o.legend = Object.assign({}, o.legend, { formatter: name => escapeHtml(name) });
    const tooltip = o.tooltip = Object.assign({}, o.tooltip);
    tooltip.x = Object.assign({}, tooltip.x, { formatter: value => escapeHtml(value) });
    const y = tooltip.y = Object.assign({}, tooltip.y);
    y.formatter = value => escapeHtml(typeof value === "number" ? formatNumber(value) : value);
    y.title = Object.assign({}, y.title, { formatter: name => (name ? escapeHtml(name) + ": " : "") });
    tooltip.z = Object.assign({}, tooltip.z, { title: "", formatter: value => escapeHtml(value) });
    o.xaxis = Object.assign({}, o.xaxis);
    o.xaxis.tooltip = Object.assign({}, o.xaxis.tooltip, { formatter: value => escapeHtml(value) });
    // Rates read as the tables write them ("15.5%"), on the bars and in the tooltips.
    if (o.gdPercent) {
        o.dataLabels = Object.assign({}, o.dataLabels, { formatter: value => formatPercent(value) });
        y.formatter = value => escapeHtml(typeof value === "number" ? formatPercent(value) : value);
        delete o.gdPercent;
    }
    return o;
}

function formatPercent(value) {
    return typeof value === "number" ? value.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + "%" : value;
}

function formatNumber(value) {
    return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: 2 });
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
        // Series names reach the legend and tooltips through the escaping formatters set at creation.
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
