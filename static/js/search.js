// The header's search box as a combobox with suggestions (the ARIA Authoring Practices
// "list autocomplete" pattern). Without this script the box is a plain search form; the
// page loads it the first time the box takes focus (templates/base.html).
//
// Typing asks /api/search.json for communities and initiatives whose words start with what
// was typed; Down and Up move through them (the box keeps focus, aria-activedescendant
// names the option), Enter on one opens it, Enter otherwise searches the map, Escape
// closes the list and then clears the box.
(function () {
  "use strict";

  const DELAY_MS = 120;

  function init(form) {
    const input = form.querySelector("input[name=q]");
    const list = form.querySelector("[role=listbox]");
    const status = form.querySelector("[role=status]");
    if (!input || !list || form.dataset.combobox) return;
    form.dataset.combobox = "on";
    // the page's words (templates/base.html): "%(name)s" placeholders, plurals as {one, other}
    const messages = JSON.parse(form.dataset.messages);
    const say = (template, values) =>
      template.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? values[name] : whole));
    const plural = (count, forms) =>
      say(forms[new Intl.PluralRules(messages.language).select(count)] || forms.other, {
        count: count.toLocaleString(messages.language),
      });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    let options = [];
    let active = -1;
    let timer = null;
    let newest = null;

    function open(isOpen) {
      list.hidden = !isOpen;
      input.setAttribute("aria-expanded", String(isOpen));
      if (!isOpen) activate(-1);
    }

    function activate(index) {
      options.forEach((option, n) => option.setAttribute("aria-selected", String(n === index)));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function option(id, label, detail, url) {
      const item = document.createElement("li");
      item.id = id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.url = url;
      const name = document.createElement("span");
      name.className = "option-name";
      name.textContent = label;
      item.append(name);
      if (detail) {
        const more = document.createElement("span");
        more.className = "option-detail";
        more.textContent = detail;
        item.append(" ", more);
      }
      return item;
    }

    function heading(text) {
      const item = document.createElement("li");
      item.setAttribute("role", "presentation");
      item.className = "option-group";
      item.textContent = text;
      return item;
    }

    function render(body) {
      const items = [];
      if (body.communities.length) items.push(heading(messages.communities));
      body.communities.forEach((c, n) =>
        items.push(option(`site-search-c${n}`, `${c.name}, ${c.state}`, messages.community, c.url)),
      );
      if (body.initiatives.length) items.push(heading(messages.initiatives));
      body.initiatives.forEach((i, n) =>
        items.push(
          option(`site-search-i${n}`, i.title, `${i.place}, ${i.state} · ${i.category_name}`, i.url),
        ),
      );
      items.push(option("site-search-all", say(messages.search_all, { query: body.query }), "", body.search_url));
      list.replaceChildren(...items);
      options = Array.from(list.querySelectorAll("[role=option]"));
      const found = body.communities.length + body.initiatives.length;
      status.textContent = found ? plural(found, messages.found) : messages.none;
      open(true);
    }

    async function suggest() {
      const typed = input.value.trim();
      if (!typed) {
        open(false);
        list.replaceChildren();
        options = [];
        status.textContent = "";
        return;
      }
      const url = `${form.dataset.suggestUrl}?${new URLSearchParams({ q: typed })}`;
      const request = (newest = fetch(url, { headers: { Accept: "application/json" } }));
      try {
        const response = await request;
        if (!response.ok) return;
        const body = await response.json();
        if (request === newest && input.value.trim() === typed) render(body);
      } catch {
        // no suggestions; the form still searches
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      const expanded = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) {
          if (options.length) open(true);
          else suggest();
          if (!event.altKey && options.length) activate(event.key === "ArrowDown" ? 0 : options.length - 1);
          return;
        }
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = active < 0 ? (step > 0 ? 0 : options.length - 1) : active + step;
        activate((next + options.length) % options.length);
      } else if (event.key === "Enter" && expanded && active >= 0) {
        event.preventDefault();
        window.location.assign(options[active].dataset.url);
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (event.key === "Tab") {
        open(false);
      }
    });
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
    list.addEventListener("click", (event) => {
      const chosen = event.target.closest("[role=option]");
      if (chosen) window.location.assign(chosen.dataset.url);
    });
    input.addEventListener("blur", () => open(false));
    // what was typed while this script loaded
    if (input.value !== input.defaultValue && document.activeElement === input) suggest();
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(init);
})();
