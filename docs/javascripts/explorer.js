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
  const SORT_KEYS = ["title", "authors", "year", "venue", "modalities", "tags"];
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
        page: PAGE_URL.test(paper.page || "") ? paper.page : "",
        authors: String(paper.short_authors || ""),
        year: Number.isInteger(paper.year) ? paper.year : null,
        venue: paper.venue ? String(paper.venue) : "",
        venueKey: String(paper.venue_name || ""),
        modalities,
        modalityText: modalities.map((m) => modalityNames.get(m) || m).join(", "),
        stages: paper.stages || [],
        tags,
        tagText: tags.map((tag) => nodes[tag].name).join(", "),
        within: new Set(paper.tag_ancestors || []),
        haystack: fold([paper.title, authors.join(" "), paper.summary || ""].join(" ")),
      };
    });
    return { taxonomy, nodes, modalityNames, papers, venues: data.venues || [], sorted: new Map() };
  }

  function sortedPapers(catalogue, sort, order) {
    const key = `${sort} ${order}`;
    if (!catalogue.sorted.has(key)) {
      const field = { title: "title", authors: "authors", year: "year", venue: "venue", modalities: "modalityText", tags: "tagText" }[sort];
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
    return { tags: [], match: "all", from: null, to: null, modality: "", stage: "", venue: "", text: "", ...DEFAULT_SORT };
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
    for (const name of ["modality", "stage", "venue", "text"]) if (state[name]) params.set(name, state[name]);
    if (state.sort !== DEFAULT_SORT.sort || state.order !== DEFAULT_SORT.order) {
      params.set("sort", state.sort);
      params.set("order", state.order);
    }
    const query = params.toString();
    return query ? `?${query}` : "";
  }

  // Filtering.

  function matcher(state) {
    const terms = fold(state.text).split(/\s+/).filter(Boolean);
    const tagTest = state.match === "any"
      ? (paper) => state.tags.some((tag) => paper.within.has(tag))
      : (paper) => state.tags.every((tag) => paper.within.has(tag));
    return (paper) =>
      (!state.tags.length || tagTest(paper)) &&
      (state.from === null || (paper.year !== null && paper.year >= state.from)) &&
      (state.to === null || (paper.year !== null && paper.year <= state.to)) &&
      (!state.modality || paper.modalities.includes(state.modality)) &&
      (!state.stage || paper.stages.includes(state.stage)) &&
      (!state.venue || paper.venueKey === state.venue) &&
      terms.every((term) => paper.haystack.includes(term));
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
      const tagSelect = this.find("tag");
      for (const axis of taxonomy.axes) {
        const group = element("optgroup", { label: nodes[axis].name });
        const walk = (id, depth) => {
          const label = `${"\u00a0\u00a0".repeat(depth)}${nodes[id].name} (${nodes[id].count})`;
          group.append(option(id, label));
          (nodes[id].children || []).forEach((child) => walk(child, depth + 1));
        };
        walk(axis, 0);
        tagSelect.append(group);
      }
      const years = papers.map((p) => p.year).filter((y) => y !== null);
      const first = years.reduce((a, b) => Math.min(a, b), Infinity);
      const last = years.reduce((a, b) => Math.max(a, b), -Infinity);
      for (const name of ["from", "to"]) {
        for (let year = first; year <= last; year += 1) this.find(name).append(option(String(year), String(year)));
      }
      for (const term of taxonomy.modalities) {
        this.find("modality").append(option(term.id, `${term.name} (${term.count})`));
      }
      for (const term of taxonomy.stages) {
        this.find("stage").append(option(term.id, `${term.name} (${term.count})`));
      }
      venues.forEach((venue) => this.find("venue").append(option(venue.name, `${venue.name} (${venue.count})`)));
      return {
        modalities: new Set(taxonomy.modalities.map((t) => t.id)),
        stages: new Set(taxonomy.stages.map((t) => t.id)),
        venues: new Set(venues.map((venue) => venue.name)),
      };
    }

    listen() {
      const on = (target, type, handler) => target.addEventListener(type, handler, { signal: this.signal });
      const form = this.find("form");
      on(form, "submit", (event) => event.preventDefault());
      on(form, "reset", (event) => {
        event.preventDefault();
        this.change("reset", { ...defaultState(), sort: this.state.sort, order: this.state.order });
      });
      on(this.find("tag"), "change", (event) => {
        const tag = event.target.value;
        event.target.value = "";
        if (tag) this.addTag(tag);
      });
      form.querySelectorAll("input[name=kb-x-match]").forEach((radio) => on(radio, "change", () => this.change("match", { match: radio.value })));
      for (const name of ["from", "to"]) {
        on(this.find(name), "change", (event) => this.change(name, { [name]: event.target.value ? Number(event.target.value) : null }));
      }
      for (const name of ["modality", "stage", "venue"]) {
        on(this.find(name), "change", (event) => this.change(name, { [name]: event.target.value }));
      }
      on(this.find("text"), "input", (event) => this.change("text", { text: event.target.value }));
      on(this.find("chosen"), "click", (event) => {
        const button = event.target.closest("button[data-tag]");
        if (button) this.change("tags", { tags: this.state.tags.filter((tag) => tag !== button.dataset.tag) });
      });
      on(this.find("head"), "click", (event) => {
        const button = event.target.closest("button[data-sort]");
        if (!button) return;
        const sort = button.dataset.sort;
        const order = this.state.sort === sort ? (this.state.order === "asc" ? "desc" : "asc") : (sort === "year" ? "desc" : "asc");
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
        const typing = kind === "text" && this.lastChange === "text";
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
      this.showRows();
    }

    showRows() {
      const visible = this.matches.slice(0, this.shown);
      const body = this.find("body");
      if (!visible.length) {
        const cell = element("td", { colSpan: 6, className: "kb-empty", textContent: "No paper matches these filters." });
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
          element("td", {}, [link]),
          element("td", { textContent: paper.authors }),
          element("td", { textContent: paper.year === null ? "" : String(paper.year) }),
          element("td", { textContent: paper.venue }),
          element("td", { textContent: paper.modalityText }),
          element("td", { className: "kb-x-tags" }, chips),
        ];
        const row = element("tr", {}, cells);
        row.dataset.paper = paper.id;
        this.rows.set(paper.id, row);
      }
      return this.rows.get(paper.id);
    }

    syncControls() {
      const { state, catalogue } = this;
      for (const name of ["modality", "stage", "venue", "text"]) {
        if (this.find(name).value !== state[name]) this.find(name).value = state[name]; // keeps the caret while typing
      }
      this.find("from").value = state.from === null ? "" : String(state.from);
      this.find("to").value = state.to === null ? "" : String(state.to);
      this.root.querySelectorAll("input[name=kb-x-match]").forEach((radio) => { radio.checked = radio.value === state.match; });
      this.find("tag").querySelectorAll("option[value]").forEach((item) => { item.disabled = state.tags.includes(item.value); });
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
