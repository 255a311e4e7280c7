// ProcessKit inbox: the signed-in user's tasks, a task's form, where its instance stands and its history.
// Plain script, no build step; every value from the server is written with textContent.
(() => {
  "use strict";
  const api = document.querySelector('meta[name="processkit-api"]').content;
  const $ = (id) => document.getElementById(id);
  // skew: the engine's clock minus the browser's, so due times read as the server judges them.
  const state = { tasks: [], selected: null, loading: false, skew: 0 };

  async function call(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(api + path, init);
    const type = response.headers.get("Content-Type") || "";
    const payload = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const problem = typeof payload === "object" ? payload : { detail: payload };
      problem.status = response.status;
      throw problem;
    }
    return payload;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function showError(problem) {
    const box = $("error");
    if (!problem) { box.hidden = true; return; }
    box.textContent = problem.status === 401 ? "Sign in first." : (problem.detail || problem.title || "Something went wrong.");
    box.hidden = false;
  }

  function minutes(ms) {
    const m = Math.round(Math.abs(ms) / 60000);
    if (m < 60) return m + " min";
    const h = Math.floor(m / 60);
    if (h < 48) return h + " h " + (m % 60) + " min";
    return Math.floor(h / 24) + " days";
  }

  function dueText(task) {
    if (!task.dueAt) return "no deadline";
    const left = new Date(task.dueAt).getTime() - (Date.now() + state.skew);
    return task.overdue ? "overdue by " + minutes(left) : "due in " + minutes(left);
  }

  async function loadTasks(keepSelection) {
    if (state.loading) return;
    state.loading = true;
    try {
      const filter = $("filter").value;
      const page = await call("GET", "/tasks?pageSize=200" + (filter ? "&" + filter : ""));
      state.tasks = page.items;
      state.skew = new Date(page.asOf).getTime() - Date.now();
      const overdue = page.items.filter((t) => t.overdue).length;
      $("summary").textContent = page.total + (page.total === 1 ? " task" : " tasks") + (overdue ? ", " + overdue + " overdue" : "") + (page.hasMore ? " (first " + page.items.length + " shown)" : "");
      showError(null);
      renderTasks();
      const keep = keepSelection && state.selected && state.tasks.find((t) => t.id === state.selected.id);
      if (keep) await openTask(keep.id, false);
      else if (state.tasks.length) await openTask(state.tasks[0].id, false);
      else { state.selected = null; $("detail").hidden = true; }
    } catch (problem) {
      showError(problem);
    } finally {
      state.loading = false;
    }
  }

  function renderTasks() {
    const list = $("tasks");
    list.replaceChildren();
    $("empty").hidden = state.tasks.length > 0;
    for (const task of state.tasks) {
      const item = el("li", null, task.overdue ? "overdue" : "");
      const button = el("button");
      button.type = "button";
      button.dataset.id = task.id;
      button.setAttribute("aria-current", String(state.selected !== null && state.selected.id === task.id));
      const name = el("span", task.stepName, "name");
      if (task.overdue) name.append(el("span", "Overdue", "badge"));
      if (task.state === "Claimed") name.append(el("span", "Claimed", "badge"));
      button.append(name, el("span", dueText(task) + " · #" + task.instance + " · " + task.processId, "due"));
      button.addEventListener("click", () => openTask(task.id, true));
      item.append(button);
      list.append(item);
    }
  }

  async function openTask(id, focus) {
    try {
      const task = await call("GET", "/tasks/" + id);
      state.selected = task;
      for (const b of $("tasks").querySelectorAll("button")) b.setAttribute("aria-current", String(Number(b.dataset.id) === id));
      renderTask(task);
      if (focus) $("task-title").focus();
      const [instance, history, process, diagram] = await Promise.all([
        call("GET", "/instances/" + task.instance),
        call("GET", "/instances/" + task.instance + "/history"),
        call("GET", "/processes/" + encodeURIComponent(task.processId) + "?version=" + task.processVersion),
        call("GET", "/instances/" + task.instance + "/diagram?format=svg"),
      ]);
      if (!state.selected || state.selected.id !== id) return;
      renderReads(task, instance);
      renderSteps(process, instance);
      renderDiagram(diagram);
      $("diagram").textContent = "";
      if ($("diagram-text").open) await loadDiagramText();
      renderHistory(history);
    } catch (problem) {
      showError(problem);
    }
  }

  function renderTask(task) {
    $("detail").hidden = false;
    $("task-title").textContent = task.stepName;
    $("task-meta").textContent = task.processId + " v" + task.processVersion + " · instance #" + task.instance + " · role " + task.role + " · " + dueText(task) + (task.claimedBy ? " · claimed by " + task.claimedBy : "") + (task.assignedTo ? " · assigned to " + task.assignedTo : "");
    $("claim").disabled = task.state === "Claimed";
    $("release").disabled = task.state !== "Claimed";
    $("form-error").hidden = true;
    const fields = $("fields");
    fields.replaceChildren();
    for (const field of task.fields) fields.append(input(field));
    const outcomes = $("outcomes");
    outcomes.replaceChildren();
    const names = task.outcomes.length ? task.outcomes : [null];
    for (const outcome of names) {
      const button = el("button", outcome === null ? "Complete" : outcome);
      button.type = "submit";
      button.value = outcome === null ? "" : outcome;
      outcomes.append(button);
    }
  }

  function input(field) {
    const wrap = el("div", null, "field");
    const id = "field-" + field.name;
    const label = el("label", field.name + (field.required ? " (required)" : ""));
    label.htmlFor = id;
    let control;
    switch (field.type) {
      case "Number":
        control = el("input"); control.type = "number"; control.step = "any";
        if (field.minimum !== null) control.min = field.minimum;
        if (field.maximum !== null) control.max = field.maximum;
        break;
      case "Boolean":
        control = el("input"); control.type = "checkbox";
        break;
      case "DateTime":
        control = el("input"); control.type = "datetime-local";
        break;
      case "Object":
      case "List":
        control = el("textarea"); control.rows = 3; control.placeholder = field.type === "List" ? "[ ... ] (JSON)" : "{ ... } (JSON)";
        break;
      default:
        control = el("input"); control.type = "text";
        if (field.type === "Duration") control.placeholder = "PT15M";
    }
    control.id = id;
    control.name = field.name;
    control.dataset.type = field.type;
    if (field.required) control.required = true;
    const problem = el("span", null, "problem");
    problem.id = id + "-problem";
    control.setAttribute("aria-describedby", problem.id);
    wrap.append(label, control, problem);
    if (field.description) wrap.append(el("span", field.description, "muted"));
    return wrap;
  }

  function readForm() {
    const data = {};
    for (const control of $("fields").querySelectorAll("input, textarea")) {
      const type = control.dataset.type;
      if (type === "Boolean") { data[control.name] = control.checked; continue; }
      if (control.value === "") continue;
      if (type === "Number") data[control.name] = Number(control.value);
      else if (type === "DateTime") data[control.name] = new Date(control.value).toISOString();
      else if (type === "Object" || type === "List") {
        try { data[control.name] = JSON.parse(control.value); } catch { data[control.name] = control.value; }
      } else data[control.name] = control.value;
    }
    return data;
  }

  function renderReads(task, instance) {
    const list = $("reads");
    list.replaceChildren();
    for (const name of task.reads) {
      const value = instance.data[name];
      list.append(el("dt", name), el("dd", value === undefined || value === null ? "—" : (typeof value === "object" ? JSON.stringify(value) : value)));
    }
  }

  function renderSteps(process, instance) {
    const list = $("steps");
    list.replaceChildren();
    for (const step of process.steps) {
      const current = instance.activeSteps.includes(step.id);
      const item = el("li", step.name + (current ? " ← here" : ""), current ? "current" : "");
      if (current) item.setAttribute("aria-current", "step");
      list.append(item);
    }
  }

  // The SVG comes from the engine with every text escaped; it is parsed as XML (never as HTML) and adopted.
  // Its ids (arrowheads) start with the exporter's per-diagram prefix (process id and version), so they
  // clash with nothing else on the page; they are kept as they are.
  function renderDiagram(text) {
    const box = $("diagram-image");
    box.replaceChildren();
    const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = parsed.documentElement;
    if (svg.namespaceURI !== "http://www.w3.org/2000/svg" || parsed.getElementsByTagName("parsererror").length) {
      box.append(el("p", "The diagram could not be shown; see it as text below.", "muted"));
      return;
    }
    const width = Number(svg.getAttribute("width")) || 0;
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    for (const node of svg.querySelectorAll("script, foreignObject")) node.remove();
    const image = document.importNode(svg, true);
    // Scaled to the width of the page, but never below 70% so names stay readable; wider diagrams scroll.
    if (width) image.style.minWidth = Math.round(width * 0.7) + "px";
    box.append(image);
    const current = image.querySelector(".pk-current");
    if (current && box.scrollWidth > box.clientWidth) {
      const at = current.getBoundingClientRect().left - box.getBoundingClientRect().left + box.scrollLeft;
      box.scrollLeft = Math.max(0, at - box.clientWidth / 3);
    }
  }

  async function loadDiagramText() {
    const task = state.selected;
    if (!task) return;
    const text = await call("GET", "/instances/" + task.instance + "/diagram?format=mermaid");
    if (state.selected && state.selected.id === task.id) $("diagram").textContent = text;
  }

  function renderHistory(events) {
    const body = $("history");
    body.replaceChildren();
    for (const e of events) {
      const row = el("tr");
      row.append(el("td", new Date(e.time).toLocaleString()), el("td", e.type), el("td", e.stepId || ""), el("td", e.userId || ""));
      body.append(row);
    }
  }

  function showFieldProblems(problem) {
    for (const node of $("fields").querySelectorAll(".problem")) node.textContent = "";
    for (const control of $("fields").querySelectorAll("input, textarea")) control.removeAttribute("aria-invalid");
    const box = $("form-error");
    box.textContent = problem.detail || problem.title || "Refused.";
    box.hidden = false;
    let first = null;
    for (const [key, messages] of Object.entries(problem.errors || {})) {
      const name = key.startsWith("data.") ? key.slice(5) : key;
      const control = $("field-" + name);
      if (!control) continue;
      control.setAttribute("aria-invalid", "true");
      $("field-" + name + "-problem").textContent = messages.join(" ");
      first = first || control;
    }
    (first || box).focus?.();
  }

  async function act(path, body) {
    if (!state.selected) return;
    try {
      await call("POST", "/tasks/" + state.selected.id + path, body);
      await loadTasks(path !== "/complete");
    } catch (problem) {
      if (problem.status === 400) showFieldProblems(problem);
      else { showError(problem); await loadTasks(true); }
    }
  }

  $("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const outcome = event.submitter && event.submitter.value ? event.submitter.value : null;
    act("/complete", { outcome, data: readForm() });
  });
  $("diagram-text").addEventListener("toggle", () => {
    if ($("diagram-text").open && !$("diagram").textContent) loadDiagramText().catch(showError);
  });
  // Back to the list: focus the open task's entry (the link's #tasks target works without script too).
  $("back").addEventListener("click", (event) => {
    const entry = $("tasks").querySelector('button[aria-current="true"]') || $("tasks").querySelector("button");
    if (!entry) return;
    event.preventDefault();
    entry.focus();
    entry.scrollIntoView({ block: "nearest" });
  });
  $("claim").addEventListener("click", () => act("/claim"));
  $("release").addEventListener("click", () => act("/release"));
  $("refresh").addEventListener("click", () => loadTasks(true));
  $("filter").addEventListener("change", () => loadTasks(false));

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    const buttons = [...$("tasks").querySelectorAll("button")];
    const at = buttons.findIndex((b) => b.getAttribute("aria-current") === "true");
    const move = (delta) => {
      const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + delta))];
      if (next) { next.focus(); openTask(Number(next.dataset.id), false); }
    };
    switch (event.key) {
      case "j": case "ArrowDown": move(1); event.preventDefault(); break;
      case "k": case "ArrowUp": move(-1); event.preventDefault(); break;
      case "Enter": if (target instanceof HTMLButtonElement && target.dataset.id) { openTask(Number(target.dataset.id), true); event.preventDefault(); } break;
      case "c": act("/claim"); break;
      case "r": act("/release"); break;
      case "g": loadTasks(true); break;
    }
  });

  document.addEventListener("visibilitychange", () => { if (!document.hidden) loadTasks(true); });
  // Due times age while the page is open: rewrite them in place (focus stays where it is).
  setInterval(() => {
    if (document.hidden) return;
    for (const button of $("tasks").querySelectorAll("button")) {
      const task = state.tasks.find((t) => t.id === Number(button.dataset.id));
      if (task) button.querySelector(".due").textContent = dueText(task) + " · #" + task.instance + " · " + task.processId;
    }
  }, 30000);
  loadTasks(false);
})();
