/* Carnet de progression: shows the « Imprimer mon carnet » button (it needs JavaScript;
 * without it, the hint next to it points to the browser's own Print command). */
(function () {
    "use strict";
    var button = document.querySelector("[data-carnet-print]");
    if (!button || typeof window.print !== "function") return;
    button.hidden = false;
    var hint = document.querySelector("[data-carnet-print-hint]");
    if (hint) hint.hidden = true;
    button.addEventListener("click", function () { window.print(); });
})();
