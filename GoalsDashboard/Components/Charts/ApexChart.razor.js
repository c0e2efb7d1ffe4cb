// Keeps one ApexCharts instance per element; created, updated and destroyed by ApexChart.razor.
const charts = new WeakMap();

// The options and series each chart was last given, to rebuild it in the other theme.
const sources = new WeakMap();

// "gd:foreground" in the options (a data label's or a marker's colour) is the theme's text colour: a colour fixed in
// the options would read on one background only.
function merge(options, series, dark = isDark()) {
    const foreground = text => text.replaceAll('"gd:foreground"', JSON.stringify(palette(dark).foreColor));
    const o = JSON.parse(foreground(options));
    o.series = JSON.parse(foreground(series));
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

// The user's light/dark choice (app.js keeps it in local storage). Axis labels, legends and titles take a colour that
// reads on the page's background in both themes; ApexCharts' own default is near-black.
function isDark() {
    return localStorage.getItem("gd-theme") === "dark";
}

function palette(dark) {
    return dark
        ? { mode: "dark", foreColor: "#cbd5e1", grid: "#334155" }
        : { mode: "light", foreColor: "#374151", grid: "#e5e7eb" };
}

function themed(o, dark = isDark()) {
    const p = palette(dark);
    o.theme = Object.assign({}, o.theme || {}, { mode: p.mode });
    o.chart = Object.assign({ background: "transparent", fontFamily: "inherit" }, o.chart || {}, { foreColor: p.foreColor });
    o.grid = Object.assign({}, o.grid || {}, { borderColor: p.grid });
    return o;
}

const elements = new Set();

// app.js calls it when the user switches themes (this module loads with the first chart).
if (window.goalsDashboard) {
    window.goalsDashboard.rethemeCharts = dark => retheme(dark);
}

/** Repaints every chart on the page in the theme just chosen (called by app.js when the user switches). */
export function retheme(dark) {
    for (const element of elements) {
        const chart = charts.get(element);
        if (!chart || !element.isConnected) {
            elements.delete(element);
            continue;
        }
        const source = sources.get(element);
        chart.updateOptions(source ? themed(merge(source.options, source.series, dark), dark) : themed({}, dark), false, false);
    }
}

export function create(element, options, series) {
    if (typeof ApexCharts === "undefined") {
        element.textContent = "The chart library did not load.";
        return;
    }
    const chart = new ApexCharts(element, themed(merge(options, series)));
    charts.set(element, chart);
    sources.set(element, { options, series });
    elements.add(element);
    chart.render();
}

export function update(element, options, series) {
    const chart = charts.get(element);
    if (!chart) {
        return;
    }
    const source = sources.get(element);
    sources.set(element, { options: options ?? source?.options ?? "{}", series });
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
        elements.delete(element);
    }
}
