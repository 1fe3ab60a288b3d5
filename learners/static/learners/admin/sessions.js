/* Counsellor workflow: progressive enhancements only. Every screen works without this file
   (plain forms and buttons); with it:
   - person and commune searches suggest as you type (ARIA 1.2 combobox + listbox);
   - picking a person on the attendance sheet registers them at once (the sheet form is
     submitted with `add_learner`, so marks already made are saved, not lost);
   - "mark everyone present"; level selects appear once a person is marked present;
   - choosing an atelier curriculum in the session form pre-fills duration, level,
     capacity, themes and competences (the server does the same on save). */
(function () {
    "use strict";

    var MIN_CHARS = 2;
    var DELAY_MS = 200;

    function fold(text) {
        return (text || "")
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .toLowerCase()
            .replace(/[^a-z0-9]/g, "");
    }

    /* Messages come from the template (gettext), in `data-msg-*` attributes. */
    function messagesOf(node) {
        return {
            one: node.getAttribute("data-msg-one") || "",
            many: node.getAttribute("data-msg-many") || "",
            none: node.getAttribute("data-msg-none") || "",
            already: node.getAttribute("data-msg-already") || "",
        };
    }

    /* A combobox over a JSON endpoint answering {"results": [...]}.
       options: input, list, status, messages, url(query),
       item(result) -> {label, detail, disabled}, pick(result). */
    function combobox(options) {
        var input = options.input;
        var list = options.list;
        var status = options.status;
        var results = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var counter = 0;

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", list.id);

        function close() {
            list.hidden = true;
            list.innerHTML = "";
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function highlight(index) {
            var nodes = list.querySelectorAll("[role=option]");
            nodes.forEach(function (node, i) {
                node.setAttribute("aria-selected", i === index ? "true" : "false");
            });
            active = index;
            if (index >= 0 && nodes[index]) {
                input.setAttribute("aria-activedescendant", nodes[index].id);
                nodes[index].scrollIntoView({ block: "nearest" });
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function choose(index) {
            var result = results[index];
            if (!result) {
                return;
            }
            var view = options.item(result);
            if (view.disabled) {
                if (options.pickDisabled) {
                    options.pickDisabled(result);
                }
                close();
                return;
            }
            close();
            options.pick(result);
        }

        function render(query) {
            list.innerHTML = "";
            counter += 1;
            results.forEach(function (result, i) {
                var view = options.item(result);
                var li = document.createElement("li");
                li.id = list.id + "-" + counter + "-" + i;
                li.setAttribute("role", "option");
                li.setAttribute("aria-selected", "false");
                if (view.disabled) {
                    li.setAttribute("aria-disabled", "true");
                }
                var strong = document.createElement("strong");
                strong.textContent = view.label;
                li.appendChild(strong);
                if (view.detail) {
                    var detail = document.createElement("span");
                    detail.className = "pap-option__detail";
                    detail.textContent = view.detail;
                    li.appendChild(detail);
                }
                li.addEventListener("mousedown", function (event) {
                    event.preventDefault(); // keep the focus in the input
                });
                li.addEventListener("click", function () {
                    choose(i);
                });
                list.appendChild(li);
            });
            var open = results.length > 0;
            list.hidden = !open;
            input.setAttribute("aria-expanded", open ? "true" : "false");
            active = -1;
            if (status) {
                var messages = options.messages;
                status.textContent = open
                    ? (results.length > 1 ? messages.many : messages.one).replace(
                          "%(count)s",
                          results.length
                      )
                    : messages.none.replace("%(query)s", query);
            }
        }

        function search() {
            var query = input.value.trim();
            if (fold(query).length < MIN_CHARS) {
                results = [];
                close();
                return;
            }
            if (controller) {
                controller.abort();
            }
            controller = new AbortController();
            fetch(options.url(query), {
                credentials: "same-origin",
                headers: { Accept: "application/json" },
                signal: controller.signal,
            })
                .then(function (response) {
                    return response.ok ? response.json() : { results: [] };
                })
                .then(function (data) {
                    results = data.results || [];
                    render(query);
                })
                .catch(function () {
                    /* aborted or offline: the "Chercher" button still works */
                });
        }

        input.addEventListener("input", function () {
            if (options.onInput) {
                options.onInput();
            }
            window.clearTimeout(timer);
            timer = window.setTimeout(search, DELAY_MS);
        });
        input.addEventListener("keydown", function (event) {
            var count = results.length;
            if (event.key === "ArrowDown" && count) {
                event.preventDefault();
                if (list.hidden) {
                    render(input.value.trim());
                }
                highlight((active + 1) % count);
            } else if (event.key === "ArrowUp" && count) {
                event.preventDefault();
                highlight(active <= 0 ? count - 1 : active - 1);
            } else if (event.key === "Enter" && !list.hidden && active >= 0) {
                event.preventDefault();
                choose(active);
            } else if (event.key === "Escape" && !list.hidden) {
                event.preventDefault();
                close();
            }
        });
        input.addEventListener("blur", function () {
            window.setTimeout(close, 150);
        });
    }

    /* --- Attendance sheet --------------------------------------------------------------- */

    function statusRadios(line) {
        return line.querySelectorAll(".pap-line__status input[type=radio]");
    }

    function markPresent(line) {
        var radios = statusRadios(line);
        var chosen = Array.prototype.some.call(radios, function (radio) {
            return radio.checked;
        });
        if (!chosen) {
            radios.forEach(function (radio) {
                if (radio.value === "present") {
                    radio.checked = true;
                }
            });
        }
    }

    /* Levels are for people marked present: shown (and sent) only then. */
    function refreshLine(line) {
        var present = line.querySelector(".pap-line__status input[value=present]");
        var isPresent = Boolean(present && present.checked);
        line.classList.toggle("pap-line--present", isPresent);
        line.classList.toggle(
            "pap-line--marked",
            Boolean(line.querySelector(".pap-line__status input:checked"))
        );
        line.querySelectorAll(".pap-line__levels select").forEach(function (select) {
            select.disabled = !isPresent;
        });
    }

    function setupSheet(root) {
        var form = root.querySelector("[data-pap-sheet]");
        if (form) {
            var lines = form.querySelectorAll("[data-pap-line]");
            lines.forEach(refreshLine);
            var allPresent = root.querySelector("[data-pap-all-present]");
            if (allPresent) {
                allPresent.addEventListener("click", function () {
                    lines.forEach(function (line) {
                        markPresent(line);
                        refreshLine(line);
                    });
                });
            }
            form.addEventListener("change", function (event) {
                var line = event.target.closest("[data-pap-line]");
                if (line && event.target.type === "radio") {
                    refreshLine(line);
                }
            });
        }

        var search = root.querySelector("[data-pap-person-search]");
        if (!search || !form) {
            return;
        }
        var url = search.getAttribute("data-lookup-url");
        var messages = messagesOf(search);
        combobox({
            messages: messages,
            input: search.querySelector("[data-pap-combo-input]"),
            list: search.querySelector("[data-pap-combo-list]"),
            status: search.querySelector("[data-pap-combo-status]"),
            url: function (query) {
                return url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
            },
            item: function (person) {
                return {
                    label: person.label,
                    detail: [person.detail, person.already ? messages.already : ""]
                        .filter(Boolean)
                        .join(" · "),
                    disabled: person.already,
                };
            },
            pickDisabled: function (person) {
                var line = document.getElementById("ligne-" + person.id);
                if (line) {
                    line.scrollIntoView({ block: "center" });
                }
            },
            pick: function (person) {
                var button = document.createElement("button");
                button.type = "submit";
                button.name = "add_learner";
                button.value = String(person.id);
                button.hidden = true;
                form.appendChild(button);
                if (form.requestSubmit) {
                    form.requestSubmit(button);
                } else {
                    button.click();
                }
            },
        });
    }

    /* --- Commune field ------------------------------------------------------------------ */

    function setupCommune(block) {
        var input = block.querySelector("input[name$='commune_q']");
        var select = block.querySelector("[data-pap-commune-select] select");
        var url = block.getAttribute("data-lookup-url");
        if (!input || !select || !url) {
            return;
        }
        var selectBlock = block.querySelector("[data-pap-commune-select]");
        function refreshSelect() {
            // The select only shows once there is something to choose or confirm.
            selectBlock.hidden = select.options.length <= 1;
        }
        refreshSelect();
        combobox({
            messages: messagesOf(block),
            input: input,
            list: block.querySelector("[data-pap-combo-list]"),
            status: block.querySelector("[data-pap-combo-status]"),
            url: function (query) {
                return url + "?q=" + encodeURIComponent(query);
            },
            item: function (commune) {
                return { label: commune.label, detail: "", disabled: false };
            },
            onInput: function () {
                // Typing again forgets the commune picked before.
                var option = select.options[select.selectedIndex];
                if (select.value && option && option.textContent !== input.value) {
                    select.value = "";
                }
            },
            pick: function (commune) {
                var option = Array.prototype.find.call(select.options, function (o) {
                    return o.value === commune.code;
                });
                if (!option) {
                    option = new Option(commune.label, commune.code);
                    select.appendChild(option);
                }
                select.value = commune.code;
                input.value = commune.label;
                refreshSelect();
            },
        });
    }

    /* --- Session form: pre-fill from a curriculum -------------------------------------- */

    function setupSessionForm(form) {
        var data = document.getElementById("pap-atelier-defaults");
        var atelier = form.querySelector("select[name=atelier]");
        if (!data || !atelier) {
            return;
        }
        var defaults = JSON.parse(data.textContent);
        var previousTitle = (defaults[atelier.value] || {}).title || "";

        function check(name, values) {
            var wanted = values.map(String);
            form.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
                box.checked = wanted.indexOf(box.value) >= 0;
            });
        }

        atelier.addEventListener("change", function () {
            var d = defaults[atelier.value];
            if (!d) {
                return;
            }
            var kind = form.querySelector("input[name=kind][value=" + d.kind + "]");
            if (kind) {
                kind.checked = true;
            }
            var title = form.querySelector("input[name=title]");
            if (title && (!title.value || title.value === previousTitle)) {
                title.value = d.title;
            }
            previousTitle = d.title;
            var preset = form.querySelector("input[name=duration][value='" + d.duration_minutes + "']");
            var custom = form.querySelector("input[name=duration_custom]");
            if (preset) {
                preset.checked = true;
                if (custom) {
                    custom.value = "";
                }
            } else {
                var other = form.querySelector("input[name=duration][value=autre]");
                if (other) {
                    other.checked = true;
                }
                if (custom) {
                    custom.value = d.duration_minutes;
                }
            }
            var level = form.querySelector("select[name=level]");
            if (level) {
                level.value = d.level || "";
            }
            var capacity = form.querySelector("input[name=capacity]");
            if (capacity) {
                capacity.value = d.capacity || "";
            }
            check("themes", d.themes);
            check("competences", d.competences);
            var competences = form.querySelector("[data-pap-competences]");
            if (competences && d.competences.length) {
                competences.open = true;
            }
        });
    }

    function init() {
        document.querySelectorAll(".pap").forEach(function (root) {
            root.classList.add("pap-js");
            root.querySelectorAll("[data-pap-js-only]").forEach(function (node) {
                node.hidden = false;
            });
            setupSheet(root);
            root.querySelectorAll("[data-pap-commune]").forEach(setupCommune);
            root.querySelectorAll("[data-pap-session-form]").forEach(setupSessionForm);
        });
        if (window.location.hash === "#pap-anonymous") {
            var details = document.getElementById("pap-anonymous");
            if (details) {
                details.open = true;
            }
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
