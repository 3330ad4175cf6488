// The console's charts, drawn from the data their canvas was rendered with, again whenever htmx
// swaps in a fresh part of the page: a job's executions by status, and the suite's per minute.
const colours = {SUCCEEDED: "#1a7f37", FAILED: "#b42318", TIMED_OUT: "#b54708", RUNNING: "#1f5fbf",
                 PENDING: "#5b6475", SKIPPED: "#98a2b3", CANCELLED: "#344054"};

function drawStats(canvas) {
    const counts = JSON.parse(canvas.dataset.counts || "{}");
    new Chart(canvas, {
        type: "bar",
        data: {
            labels: Object.keys(counts),
            datasets: [{label: "Executions", data: Object.values(counts),
                        backgroundColor: Object.keys(counts).map((status) => colours[status] || "#5b6475")}]
        },
        options: {animation: false, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true}}}
    });
}

function drawPerMinute(canvas) {
    const minutes = JSON.parse(canvas.dataset.minutes || "[]");
    const statuses = minutes.length ? Object.keys(minutes[0].counts) : [];
    new Chart(canvas, {
        type: "bar",
        data: {
            labels: minutes.map((m) => new Date(m.minute).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"})),
            datasets: statuses.map((status) => ({label: status, data: minutes.map((m) => m.counts[status]),
                                                 backgroundColor: colours[status] || "#5b6475"}))
        },
        options: {animation: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}
    });
}

function drawCharts(root) {
    if (typeof Chart === "undefined") {
        return;
    }
    root.querySelectorAll("#stats-chart, #executions-chart").forEach((canvas) => {
        if (Chart.getChart(canvas)) {
            return;
        }
        if (canvas.id === "stats-chart") {
            drawStats(canvas);
        } else {
            drawPerMinute(canvas);
        }
    });
}

document.addEventListener("DOMContentLoaded", () => drawCharts(document));
document.addEventListener("htmx:load", (event) => drawCharts(event.detail.elt));
