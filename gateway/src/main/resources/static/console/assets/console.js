// Every htmx request carries the session's CSRF token, from the page's meta tag.
document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector('meta[name="csrf-token"]');
    if (token) {
        event.detail.headers["X-CSRF-Token"] = token.content;
    }
});
