// "Imprimer" buttons of printable admin pages (the carnet card): a file rather than an
// onclick attribute, which the Content-Security-Policy refuses.
document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
        window.print();
    });
});
