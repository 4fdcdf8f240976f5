// The paper explorer: filters, sorts and lists every paper of exports/papers.json.
//
// The filter state lives in the query string (pushState), so a view can be bookmarked and shared and
// Back/Forward step through it. Rows are built with DOM APIs and textContent only: record text is
// never parsed as HTML. The build computes what the page shows (each paper's page, short author form,
// tags with the nodes above them, venue name, and every count); this script only filters and sorts.
(() => {
  "use strict";

  const ROW_BATCH = 100; // rows per batch: layout of the shown rows dominates the time a filter change takes
  const DEFAULT_SORT = { sort: "year", order: "desc" };
  const SORT_KEYS = ["title", "authors", "year", "venue", "modalities", "tags", "added"];
  const NEWEST_FIRST = new Set(["year", "added"]); // sorted descending on the first click
  const PAGE_URL = /^papers\/[a-z0-9-]+\/$/; // a paper's page as papers.json gives it, relative to the site root
  const HEX_COLOR = /^[0-9a-fA-F]{3,8}$/;
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  const prepared = new Map(); // papers.json URL -> Promise of the prepared catalogue
  let stopPrevious = null;

  // Start-up: Material's instant navigation swaps pages without a reload and announces each one on document$.

  function onPageLoad() {
    if (stopPrevious) stopPrevious.abort();
    stopPrevious = null;
    const root = document.getElementById("kb-explorer");
    if (!root) return;
    const lifetime = new AbortController();
    stopPrevious = lifetime;
    const source = new URL(root.dataset.src, location.href).href;
    if (!prepared.has(source)) prepared.set(source, fetchCatalogue(source));
    prepared.get(source).then(
      (catalogue) => { if (!lifetime.signal.aborted) new Explorer(root, catalogue, lifetime.signal); },
      (error) => {
        prepared.delete(source);
        if (!lifetime.signal.aborted) root.querySelector(".kb-x-count").textContent = `The paper list could not be loaded (${error.message}).`;
      },
    );
  }

  async function fetchCatalogue(source) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return prepareCatalogue(await response.json());
  }

  // Data: every paper with what filtering and sorting need, computed once.

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function prepareCatalogue(data) {
    const taxonomy = data.taxonomy;
    const nodes = taxonomy.nodes;
    const nameOf = (terms) => new Map(terms.map((term) => [term.id, term.name]));
    const modalityNames = nameOf(taxonomy.modalities);
    const papers = data.papers.map((paper, position) => {
      const tags = (paper.tags || []).filter((tag) => nodes[tag]);
      const authors = paper.authors || [];
      const modalities = paper.modalities || [];
      return {
        id: String(paper.id),
        position,
        title: String(paper.title || ""),
        shortName: String(paper.short_name || ""),
        page: PAGE_URL.test(paper.page || "") ? paper.page : "",
        authors: String(paper.short_authors || ""),
        authorNames: authors.map((name) => fold(name)),
        added: /^\d{4}-\d\d-\d\d$/.test(paper.added || "") ? paper.added : "",
        year: Number.isInteger(paper.year) ? paper.year : null,
        venue: paper.venue ? String(paper.venue) : "",
        venueKey: String(paper.venue_name || ""),
        modalities,
        modalityText: modalities.map((m) => modalityNames.get(m) || m).join(", "),
        stages: paper.stages || [],
        tags,
        tagText: tags.map((tag) => nodes[tag].name).join(", "),
        within: new Set(paper.tag_ancestors || []),
        haystack: fold([paper.short_name || "", paper.title, paper.listed_as || "", authors.join(" "), paper.summary || ""].join(" ")),
      };
    });
    return { taxonomy, nodes, modalityNames, papers, venues: data.venues || [], sorted: new Map() };
  }

  function sortedPapers(catalogue, sort, order) {
    const key = `${sort} ${order}`;
    if (!catalogue.sorted.has(key)) {
      const field = { title: "title", authors: "authors", year: "year", venue: "venue", modalities: "modalityText", tags: "tagText", added: "added" }[sort];
      const direction = order === "asc" ? 1 : -1;
      const compare = (a, b) => {
        const x = a[field], y = b[field];
        const xEmpty = x === null || x === "", yEmpty = y === null || y === "";
        if (xEmpty || yEmpty) return xEmpty - yEmpty; // papers without the value go last either way
        const byField = typeof x === "number" ? x - y : collator.compare(x, y);
        return direction * byField || collator.compare(a.title, b.title) || a.position - b.position;
      };
      catalogue.sorted.set(key, [...catalogue.papers].sort(compare));
    }
    return catalogue.sorted.get(key);
  }

  // State <-> query string.

  function defaultState() {
    return { tags: [], match: "all", from: null, to: null, modality: "", stage: "", venue: "", author: "", text: "", ...DEFAULT_SORT };
  }

  function stateFromQuery(search, catalogue, choices) {
    const params = new URLSearchParams(search);
    const state = defaultState();
    const year = (value) => (/^\d{4}$/.test(value || "") ? Number(value) : null);
    const oneOf = (value, allowed) => (allowed.has(value) ? value : "");
    state.tags = [...new Set(params.getAll("tag").filter((tag) => catalogue.nodes[tag]))];
    state.match = params.get("match") === "any" ? "any" : "all";
    state.from = year(params.get("from"));
    state.to = year(params.get("to"));
    state.modality = oneOf(params.get("modality"), choices.modalities);
    state.stage = oneOf(params.get("stage"), choices.stages);
    state.venue = oneOf(params.get("venue"), choices.venues);
    state.author = (params.get("author") || "").slice(0, 200);
    state.text = (params.get("text") || "").slice(0, 200);
    if (SORT_KEYS.includes(params.get("sort"))) state.sort = params.get("sort");
    if (["asc", "desc"].includes(params.get("order"))) state.order = params.get("order");
    return state;
  }

  function queryFromState(state) {
    const params = new URLSearchParams();
    state.tags.forEach((tag) => params.append("tag", tag));
    if (state.match !== "all") params.set("match", state.match);
    if (state.from !== null) params.set("from", state.from);
    if (state.to !== null) params.set("to", state.to);
    for (const name of ["modality", "stage", "venue", "author", "text"]) if (state[name]) params.set(name, state[name]);
    if (state.sort !== DEFAULT_SORT.sort || state.order !== DEFAULT_SORT.order) {
      params.set("sort", state.sort);
      params.set("order", state.order);
    }
    const query = params.toString();
    return query ? `?${query}` : "";
  }

  // Filtering.

  const FACETS = ["tags", "modality", "stage", "venue"]; // the filters whose choices show counts

  // The filters as tests: one per facet (null when unset) and `rest` for years, author and words.
  function predicates(state) {
    const terms = fold(state.text).split(/\s+/).filter(Boolean);
    const author = fold(state.author).trim().split(/\s+/).join(" ");
    const tagTest = state.match === "any"
      ? (paper) => state.tags.some((tag) => paper.within.has(tag))
      : (paper) => state.tags.every((tag) => paper.within.has(tag));
    return {
      tags: state.tags.length ? tagTest : null,
      modality: state.modality ? (paper) => paper.modalities.includes(state.modality) : null,
      stage: state.stage ? (paper) => paper.stages.includes(state.stage) : null,
      venue: state.venue ? (paper) => paper.venueKey === state.venue : null,
      rest: (paper) =>
        (state.from === null || (paper.year !== null && paper.year >= state.from)) &&
        (state.to === null || (paper.year !== null && paper.year <= state.to)) &&
        (!author || paper.authorNames.some((name) => name.includes(author))) &&
        terms.every((term) => paper.haystack.includes(term)),
    };
  }

  function matcher(state) {
    const tests = predicates(state);
    const facets = FACETS.map((facet) => tests[facet]).filter(Boolean);
    return (paper) => tests.rest(paper) && facets.every((test) => test(paper));
  }

  const FACET_KEYS = {
    tags: (paper) => paper.within,
    modality: (paper) => paper.modalities,
    stage: (paper) => paper.stages,
    venue: (paper) => (paper.venueKey ? [paper.venueKey] : []),
  };

  // How many papers each choice would leave, the other filters as they are, in one pass: a paper
  // counts for a facet's choices when it passes every other filter. A modality, stage or venue
  // replaces the chosen one; a tag adds to the chosen ones with AND, and stands alone with OR.
  function facetCounts(papers, state) {
    const tests = predicates(state);
    const counts = Object.fromEntries(FACETS.map((facet) => [facet, new Map()]));
    for (const paper of papers) {
      if (!tests.rest(paper)) continue;
      const failed = FACETS.filter((facet) => tests[facet] && !tests[facet](paper));
      if (failed.length > 1 || (failed[0] === "tags" && state.match === "all")) continue;
      for (const facet of failed.length ? failed : FACETS) {
        for (const key of FACET_KEYS[facet](paper)) counts[facet].set(key, (counts[facet].get(key) || 0) + 1);
      }
    }
    return counts;
  }

  // DOM helpers: elements from tag names and text, never from markup.

  function element(tag, properties = {}, children = []) {
    const node = document.createElement(tag);
    Object.assign(node, properties);
    node.append(...children);
    return node;
  }

  function option(value, label) {
    return element("option", { value, textContent: label });
  }

  function chipColor(chip, color) {
    if (HEX_COLOR.test(color || "")) chip.style.setProperty("--kb-color", `#${color}`);
  }

  class Explorer {
    constructor(root, catalogue, signal) {
      this.root = root;
      this.catalogue = catalogue;
      this.signal = signal;
      this.siteRoot = root.dataset.root || "";
      this.pathname = location.pathname;
      this.rows = new Map();
      this.shown = ROW_BATCH;
      this.lastChange = "";
      this.find = (name) => root.querySelector(`[data-kb-x="${name}"]`);
      this.choices = this.fillControls();
      this.state = stateFromQuery(location.search, catalogue, this.choices);
      history.replaceState(history.state, "", location.pathname + queryFromState(this.state) + location.hash);
      this.listen();
      this.show();
    }

    // Controls.

    fillControls() {
      const { taxonomy, nodes, papers, venues } = this.catalogue;
      const list = this.find("tag-list");
      this.tagOptions = new Map(); // node id -> its option in the tag listbox, in the taxonomy's order
      for (const axis of taxonomy.axes) {
        const walk = (id, depth) => {
          const item = element("li", { id: `kb-x-tag-${id}`, className: depth ? "kb-x-option" : "kb-x-option kb-x-axis" });
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", "false");
          item.dataset.tag = id;
          item.style.setProperty("--kb-depth", String(depth));
          list.append(item);
          this.tagOptions.set(id, item);
          (nodes[id].children || []).forEach((child) => walk(child, depth + 1));
        };
        walk(axis, 0);
      }
      const years = papers.map((p) => p.year).filter((y) => y !== null);
      const first = years.reduce((a, b) => Math.min(a, b), Infinity);
      const last = years.reduce((a, b) => Math.max(a, b), -Infinity);
      for (const name of ["from", "to"]) {
        for (let year = first; year <= last; year += 1) this.find(name).append(option(String(year), String(year)));
      }
      // The options whose labels carry counts: control -> value -> [option, name].
      this.counted = { modality: new Map(), stage: new Map(), venue: new Map() };
      const add = (control, value, name) => {
        const item = option(value, name);
        this.find(control).append(item);
        this.counted[control].set(value, [item, name]);
      };
      taxonomy.modalities.forEach((term) => add("modality", term.id, term.name));
      taxonomy.stages.forEach((term) => add("stage", term.id, term.name));
      venues.forEach((venue) => add("venue", venue.name, venue.name));
      return {
        modalities: new Set(taxonomy.modalities.map((t) => t.id)),
        stages: new Set(taxonomy.stages.map((t) => t.id)),
        venues: new Set(venues.map((venue) => venue.name)),
      };
    }

    showCounts() {
      const counts = facetCounts(this.catalogue.papers, this.state);
      for (const [id, item] of this.tagOptions) item.textContent = `${this.catalogue.nodes[id].name} (${counts.tags.get(id) || 0})`;
      for (const [control, options] of Object.entries(this.counted)) {
        for (const [value, [item, name]] of options) item.textContent = `${name} (${counts[control].get(value) || 0})`;
      }
    }

    // The tag picker: a select-only combobox (WAI-ARIA APG). Focus stays on the box; arrows move
    // the active option, Enter or Space adds it (or removes it when chosen), Escape closes.
    pickerIsOpen() {
      return !this.find("tag-list").hidden;
    }

    openPicker() {
      this.find("tag-list").hidden = false;
      this.find("tag").setAttribute("aria-expanded", "true");
      this.setActive(this.active || this.tagOptions.keys().next().value);
    }

    closePicker() {
      this.find("tag-list").hidden = true;
      this.find("tag").setAttribute("aria-expanded", "false");
      this.find("tag").removeAttribute("aria-activedescendant");
    }

    setActive(tag) {
      if (this.active && this.tagOptions.has(this.active)) this.tagOptions.get(this.active).classList.remove("kb-x-active");
      this.active = tag;
      const item = this.tagOptions.get(tag);
      if (!item) return;
      item.classList.add("kb-x-active");
      this.find("tag").setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    }

    moveActive(step) {
      const ids = [...this.tagOptions.keys()];
      const at = ids.indexOf(this.active);
      this.setActive(ids[Math.max(0, Math.min(ids.length - 1, at + step))]);
    }

    typeAhead(key) {
      const ids = [...this.tagOptions.keys()];
      const at = ids.indexOf(this.active);
      const next = [...ids.slice(at + 1), ...ids.slice(0, at + 1)].find((id) => fold(this.catalogue.nodes[id].name).startsWith(fold(key)));
      if (next) this.setActive(next);
    }

    onPickerKey(event) {
      const open = this.pickerIsOpen();
      const handled = () => {
        event.preventDefault();
        event.stopPropagation(); // Material binds letters and arrows to its own shortcuts
      };
      if (["ArrowDown", "ArrowUp"].includes(event.key) || ((event.key === "Enter" || event.key === " ") && !open)) {
        handled();
        if (!open) this.openPicker();
        else this.moveActive(event.key === "ArrowDown" ? 1 : -1);
      } else if (!open) {
        return;
      } else if (event.key === "Home" || event.key === "End") {
        handled();
        const ids = [...this.tagOptions.keys()];
        this.setActive(event.key === "Home" ? ids[0] : ids[ids.length - 1]);
      } else if (event.key === "Enter" || event.key === " ") {
        handled();
        this.pick(this.active);
      } else if (event.key === "Escape") {
        handled();
        this.closePicker();
      } else if (event.key === "Tab") {
        this.closePicker();
      } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        handled();
        this.typeAhead(event.key);
      }
    }

    pick(tag) {
      if (!tag) return;
      this.closePicker();
      if (this.state.tags.includes(tag)) this.change("tags", { tags: this.state.tags.filter((chosen) => chosen !== tag) });
      else this.addTag(tag);
    }

    listen() {
      const on = (target, type, handler) => target.addEventListener(type, handler, { signal: this.signal });
      const form = this.find("form");
      on(form, "submit", (event) => event.preventDefault());
      on(form, "reset", (event) => {
        event.preventDefault();
        this.change("reset", { ...defaultState(), sort: this.state.sort, order: this.state.order });
      });
      const picker = this.find("tag");
      on(picker, "click", () => (this.pickerIsOpen() ? this.closePicker() : this.openPicker()));
      on(picker, "keydown", (event) => this.onPickerKey(event));
      on(picker, "blur", () => this.closePicker());
      on(this.find("tag-list"), "mousedown", (event) => event.preventDefault()); // focus stays on the box
      on(this.find("tag-list"), "click", (event) => {
        const item = event.target.closest("[role=option]");
        if (item) this.pick(item.dataset.tag);
      });
      form.querySelectorAll("input[name=kb-x-match]").forEach((radio) => on(radio, "change", () => this.change("match", { match: radio.value })));
      for (const name of ["from", "to"]) {
        on(this.find(name), "change", (event) => this.change(name, { [name]: event.target.value ? Number(event.target.value) : null }));
      }
      for (const name of ["modality", "stage", "venue"]) {
        on(this.find(name), "change", (event) => this.change(name, { [name]: event.target.value }));
      }
      for (const name of ["author", "text"]) {
        on(this.find(name), "input", (event) => this.change(name, { [name]: event.target.value }));
      }
      on(this.find("chosen"), "click", (event) => {
        const button = event.target.closest("button[data-tag]");
        if (button) this.change("tags", { tags: this.state.tags.filter((tag) => tag !== button.dataset.tag) });
      });
      on(this.find("head"), "click", (event) => {
        const button = event.target.closest("button[data-sort]");
        if (!button) return;
        const sort = button.dataset.sort;
        const order = this.state.sort === sort ? (this.state.order === "asc" ? "desc" : "asc") : (NEWEST_FIRST.has(sort) ? "desc" : "asc");
        this.change("sort", { sort, order });
      });
      on(this.find("body"), "click", (event) => {
        const chip = event.target.closest("button[data-tag]");
        if (chip) this.addTag(chip.dataset.tag);
      });
      on(this.find("more"), "click", () => {
        this.shown += ROW_BATCH;
        this.showRows();
      });
      on(window, "popstate", () => {
        if (location.pathname !== this.pathname) return; // another page: Material's instant navigation loads it
        this.state = stateFromQuery(location.search, this.catalogue, this.choices);
        this.lastChange = "";
        this.show();
      });
    }

    addTag(tag) {
      if (!this.state.tags.includes(tag)) this.change("tags", { tags: [...this.state.tags, tag] });
    }

    // One change of the view: a new history entry, except while the same text box is being typed in.
    change(kind, update) {
      this.state = { ...this.state, ...update };
      const url = location.pathname + queryFromState(this.state);
      if (url !== location.pathname + location.search) {
        const typing = (kind === "text" || kind === "author") && this.lastChange === kind;
        if (typing) history.replaceState(history.state, "", url);
        else history.pushState(null, "", url);
      }
      this.lastChange = kind;
      this.show();
    }

    // Rendering.

    show() {
      this.syncControls();
      const ordered = sortedPapers(this.catalogue, this.state.sort, this.state.order);
      this.matches = ordered.filter(matcher(this.state));
      this.shown = ROW_BATCH;
      this.find("count").textContent = `${this.matches.length} of ${this.catalogue.papers.length} papers`;
      this.showCounts();
      this.showRows();
    }

    showRows() {
      const visible = this.matches.slice(0, this.shown);
      const body = this.find("body");
      if (!visible.length) {
        const cell = element("td", { colSpan: 7, className: "kb-empty", textContent: "No paper matches these filters." });
        body.replaceChildren(element("tr", {}, [cell]));
      } else {
        body.replaceChildren(...visible.map((paper) => this.row(paper)));
      }
      const hidden = this.matches.length - visible.length;
      const more = this.find("more");
      more.hidden = hidden <= 0;
      more.textContent = `Show ${Math.min(hidden, ROW_BATCH)} more (${hidden} not shown)`;
    }

    row(paper) {
      if (!this.rows.has(paper.id)) {
        const link = element("a", { href: `${this.siteRoot}${paper.page}`, textContent: paper.title });
        const chips = paper.tags.map((tag) => {
          const node = this.catalogue.nodes[tag];
          const chip = element("button", { type: "button", className: "kb-tag", textContent: node.name, title: `Show only papers tagged ${node.name}` });
          chip.dataset.tag = tag;
          chipColor(chip, node.color);
          return chip;
        });
        const cells = [
          element("td", {}, paper.shortName ? [element("strong", { className: "kb-short-name", textContent: paper.shortName }), " ", link] : [link]),
          element("td", { textContent: paper.authors }),
          element("td", { textContent: paper.year === null ? "" : String(paper.year) }),
          element("td", { textContent: paper.venue }),
          element("td", { textContent: paper.modalityText }),
          element("td", { className: "kb-x-tags" }, chips),
          element("td", { textContent: paper.added }),
        ];
        const row = element("tr", {}, cells);
        row.dataset.paper = paper.id;
        this.rows.set(paper.id, row);
      }
      return this.rows.get(paper.id);
    }

    syncControls() {
      const { state, catalogue } = this;
      for (const name of ["modality", "stage", "venue", "author", "text"]) {
        if (this.find(name).value !== state[name]) this.find(name).value = state[name]; // keeps the caret while typing
      }
      this.find("from").value = state.from === null ? "" : String(state.from);
      this.find("to").value = state.to === null ? "" : String(state.to);
      this.root.querySelectorAll("input[name=kb-x-match]").forEach((radio) => { radio.checked = radio.value === state.match; });
      for (const [id, item] of this.tagOptions) item.setAttribute("aria-selected", String(state.tags.includes(id)));
      const chosen = state.tags.map((tag) => {
        const node = catalogue.nodes[tag];
        const remove = element("button", { type: "button", className: "kb-x-remove", textContent: "×" });
        remove.dataset.tag = tag;
        remove.setAttribute("aria-label", `Remove the filter ${node.name}`);
        const chip = element("span", { className: "kb-tag" }, [node.name, " ", remove]);
        chipColor(chip, node.color);
        return element("li", {}, [chip]);
      });
      this.find("chosen").replaceChildren(...chosen);
      this.find("chosen-none").hidden = chosen.length > 0;
      this.find("head").querySelectorAll("th[data-column]").forEach((header) => {
        const sorted = header.dataset.column === state.sort;
        header.setAttribute("aria-sort", sorted ? (state.order === "asc" ? "ascending" : "descending") : "none");
      });
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPageLoad);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPageLoad);
  } else {
    onPageLoad();
  }
})();
