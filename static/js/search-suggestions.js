// Suggestions under a search box, following the ARIA 1.2 combobox pattern.
// Without JavaScript the box is a plain search field and its form submits as usual.
(function () {
  "use strict";

  function enhance(input) {
    var form = input.form;
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";

    listbox.id = input.id + "-suggestions";
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.appendChild(listbox);
    input.parentNode.appendChild(status);
    input.parentNode.classList.add("has-suggestions");

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    // The list opens under its box; near an edge of the window it slides back inside it.
    function keepInView() {
      listbox.style.transform = "";
      if (listbox.hidden) return;
      var margin = 8;
      var rect = listbox.getBoundingClientRect();
      var width = document.documentElement.clientWidth;
      var shift = 0;
      if (rect.right > width - margin) shift = width - margin - rect.right;
      if (rect.left + shift < margin) shift = margin - rect.left;
      if (shift) listbox.style.transform = "translateX(" + Math.round(shift) + "px)";
    }

    function select(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      listbox.textContent = "";
      options = suggestions.map(function (suggestion, index) {
        var option = document.createElement("li");
        var kind = document.createElement("span");
        option.id = listbox.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        kind.className = "suggestion__kind";
        kind.textContent = suggestion.kind + " ";
        option.appendChild(kind);
        option.appendChild(document.createTextNode(suggestion.label));
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = suggestion.url;
        });
        listbox.appendChild(option);
        return option;
      });
      active = -1;
      listbox.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      keepInView();
      status.textContent = options.length
        ? options.length + " suggestion" + (options.length > 1 ? "s" : "") + ", flèches haut et bas pour les parcourir."
        : "";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 2) {
        render([]);
        return;
      }
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === query) render(data.suggestions); })
        .catch(function () { render([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        if (listbox.hidden) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); keepInView(); }
        select((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        select(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !listbox.hidden) {
        event.preventDefault();
        window.location.href = options[active].dataset.url;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    form.addEventListener("submit", close);
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
