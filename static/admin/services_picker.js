// The services of a project in the page editor (axes/admin_forms.py, ServicesPicker): typing narrows
// the list of checkboxes, Enter ticks the first service left, a name the list lacks is refused aloud.
// The pilot, once chosen, is ticked among the services too. The ticked ones travel in a hidden field.
(function () {
    "use strict";

    function fold(text) {
        return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    }

    function setUp(picker) {
        const filter = picker.querySelector("[data-cop-services-filter]");
        const value = picker.querySelector("[data-cop-services-value]");
        const status = picker.querySelector("[data-cop-services-status]");
        const options = Array.from(picker.querySelectorAll("[data-cop-services-option]"));
        const box = (option) => option.querySelector("input[type=checkbox]");
        const name = (option) => option.querySelector("label").textContent.trim();
        const offered = (typed) => options.filter((option) => !box(option).checked && option.dataset.search.includes(typed));

        function narrow() {
            const typed = fold(filter.value);
            const left = new Set(typed ? offered(typed) : options);
            options.forEach((option) => {
                option.hidden = !box(option).checked && !left.has(option);
            });
            return typed;
        }

        function tick(option) {
            box(option).checked = true;
            box(option).dispatchEvent(new Event("change", { bubbles: true }));
        }

        // The ticked services travel in one hidden field, their ids separated by commas.
        picker.addEventListener("change", (event) => {
            if (event.target.type !== "checkbox") return;
            value.value = options.filter((option) => box(option).checked).map((option) => box(option).value).join(",");
        });

        filter.addEventListener("input", () => {
            const typed = narrow();
            const count = typed ? offered(typed).length : 0;
            status.textContent = !typed ? "" : count === 0
                ? "Aucun service de la liste ne correspond."
                : count === 1 ? "1 service proposé." : `${count} services proposés.`;
        });

        filter.addEventListener("keydown", (event) => {
            if (event.key !== "Enter") return;
            // Enter adds a service; it must not submit the page.
            event.preventDefault();
            const typed = filter.value.trim();
            if (!typed) return;
            const [first] = offered(fold(typed));
            if (!first) {
                status.textContent = `« ${typed} » n'est pas dans la liste des services : choisissez un service existant.`;
                return;
            }
            tick(first);
            filter.value = "";
            narrow();
            status.textContent = `${name(first)} est ajouté aux services du projet.`;
        });

        // The pilot's chooser writes the chosen service's id in its hidden input.
        const pilot = document.querySelector("input[name=pilot_service]");
        if (pilot) {
            pilot.addEventListener("change", () => {
                const chosen = options.find((option) => box(option).value === pilot.value);
                if (chosen && !box(chosen).checked) tick(chosen);
                narrow();
            });
        }

        picker.querySelector("[data-cop-services-filter-row]").hidden = false;
    }

    function setUpAll() {
        document.querySelectorAll("[data-cop-services]").forEach(setUp);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUpAll);
    } else {
        setUpAll();
    }
})();
