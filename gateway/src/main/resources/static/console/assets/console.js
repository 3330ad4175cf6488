// Every htmx request carries the session's CSRF token, from the page's meta tag.
document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector('meta[name="csrf-token"]');
    if (token) {
        event.detail.headers["X-CSRF-Token"] = token.content;
    }
});

// A form marked "confirm" asks before it is sent.
document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.classList.contains("confirm") && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
    }
});
