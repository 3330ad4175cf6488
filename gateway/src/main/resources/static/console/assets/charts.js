// The job page's chart: its executions by status, from the statistics the page was rendered with.
document.addEventListener("DOMContentLoaded", () => {
    const canvas = document.getElementById("stats-chart");
    if (!canvas || typeof Chart === "undefined") {
        return;
    }
    const counts = JSON.parse(canvas.dataset.counts || "{}");
    const colours = {SUCCEEDED: "#1a7f37", FAILED: "#b42318", TIMED_OUT: "#b54708", RUNNING: "#1f5fbf",
                     PENDING: "#5b6475", SKIPPED: "#98a2b3", CANCELLED: "#344054"};
    new Chart(canvas, {
        type: "bar",
        data: {
            labels: Object.keys(counts),
            datasets: [{label: "Executions", data: Object.values(counts),
                        backgroundColor: Object.keys(counts).map((status) => colours[status] || "#5b6475")}]
        },
        options: {animation: false, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true}}}
    });
});
