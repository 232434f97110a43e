// The admin console's page: the content list and the edit form.
// Plain JavaScript, no build step; every text from the server is set with
// textContent, never as HTML.
"use strict";

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const LANGS = ["zh-Hans", "zh-Hant", "en"];
const KIND_NAMES = {
  notice: "公告 Notice", guide: "办事指南 Guide", document: "文件 Document",
  faq: "问答 FAQ", venue: "场馆 Venue", channel: "渠道 Channel",
};
const FIELD_LABELS = {
  category: ["分类", "Category"],
  published: ["发布时间", "Published"],
  valid_from: ["开始显示", "Shown from"],
  valid_until: ["停止显示", "Shown until"],
  source_url: ["网站原文地址", "Page on the website"],
  revision: ["修订号", "Revision"],
  pinned: ["置顶", "Pinned"],
  urgent: ["紧急（首页横幅）", "Urgent (banner on Home)"],
  title: ["标题", "Title"],
  summary: ["摘要", "Summary"],
  body: ["正文 (Markdown)", "Body (Markdown)"],
};
const DATE_FIELDS = ["published", "valid_from", "valid_until"];

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) node.append(child);
  return node;
}

function label(key) {
  const [zh, en] = FIELD_LABELS[key] || [key, ""];
  return [zh + " ", el("span", { class: "en" }, en)];
}

async function api(method, url, body) {
  const options = { method, headers: { "X-CSRF-Token": CSRF } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = null;
  try { data = await response.json(); } catch (_) { data = { error: response.statusText }; }
  return { ok: response.ok, status: response.status, data };
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function problemItem(finding) {
  return el("li", { class: finding.severity }, finding.text);
}

// ---- The list ----

async function showList() {
  document.getElementById("list-view").hidden = false;
  document.getElementById("edit-view").hidden = true;
  const params = new URLSearchParams();
  const kind = document.getElementById("kind").value;
  if (kind) params.set("kind", kind);
  const q = document.getElementById("search").value.trim();
  if (q) params.set("q", q);
  for (const filter of ["expired", "pinned", "urgent", "untranslated"]) {
    if (document.getElementById(filter).checked) params.set(filter, "true");
  }
  const status = document.getElementById("list-status");
  const { ok, data } = await api("GET", "/api/items?" + params);
  if (!ok) { status.textContent = data.error; return; }
  status.textContent = `${data.items.length} 项 items · 时区 Time zone: ${data.time_zone}`;
  const body = document.querySelector("#items tbody");
  body.replaceChildren(...data.items.map(listRow));
  const problems = document.getElementById("all-problems");
  problems.replaceChildren(...data.diagnostics.map(problemItem));
  if (data.diagnostics.length === 0) problems.append(el("li", { class: "ok" }, "没有问题 No problems"));
}

function listRow(item) {
  const title = item.title || "（无法读取 cannot be read）";
  const titleCell = item.editable
    ? el("a", { href: `#/edit/${item.kind}s/${item.id}` }, title)
    : el("span", {}, title);
  const marks = [];
  if (item.pinned) marks.push(el("span", { class: "tag" }, "置顶 pinned"));
  if (item.urgent) marks.push(el("span", { class: "tag urgent" }, "紧急 urgent"));
  if (item.expired) marks.push(el("span", { class: "tag muted" }, "已过期 expired"));
  if (item.missing_translation) marks.push(el("span", { class: "tag muted" }, "缺英文 no English"));
  const problems = [];
  if (item.errors) problems.push(el("span", { class: "count error" }, `${item.errors} 错误 errors`));
  if (item.warnings) problems.push(el("span", { class: "count warning" }, `${item.warnings} 提示 warnings`));
  return el("tr", { class: item.unreadable ? "unreadable" : "" },
    el("td", {}, titleCell, el("div", { class: "id" }, item.id)),
    el("td", {}, KIND_NAMES[item.kind] || item.kind),
    el("td", {}, ...marks),
    el("td", {}, ...problems),
    el("td", { class: "file" }, item.file));
}

// ---- The edit form ----

let editing = null; // { kind, id, editor }

async function showEditor(kind, id) {
  document.getElementById("list-view").hidden = true;
  document.getElementById("edit-view").hidden = false;
  setBanner("");
  document.getElementById("save-status").textContent = "";
  const { ok, data } = await api("GET", `/api/${kind}/${id}`);
  if (!ok) {
    document.getElementById("edit-title").textContent = id;
    setBanner(data.error);
    return;
  }
  editing = { kind, id, editor: data };
  buildForm(data);
  showFindings(data.diagnostics);
}

function setBanner(text) {
  const banner = document.getElementById("banner");
  banner.textContent = text;
  banner.hidden = !text;
}

function buildForm(editor) {
  const { form, site } = editor;
  document.getElementById("edit-title").textContent = form.title["zh-Hans"] || form.title["zh-Hant"] || form.id;
  const meta = document.querySelector("#edit-form .meta");
  meta.replaceChildren(el("legend", {}, "基本信息 ", el("span", { class: "en" }, "Details")));
  const categories = editor.kind === "notice" ? site.notice_categories : site.document_categories;
  for (const [key, value] of Object.entries(form.fields)) {
    const id = "field-" + key;
    let input;
    if (key === "category") {
      input = el("select", { id, name: key });
      const known = categories.some(([category]) => category === value);
      if (!known) input.append(el("option", { value }, value || "—"));
      for (const [category, name] of categories) input.append(el("option", { value: category }, `${name} (${category})`));
      input.value = value;
    } else {
      input = el("input", { id, name: key, type: "text", value });
      if (DATE_FIELDS.includes(key)) input.placeholder = "YYYY-MM-DD HH:MM";
    }
    const hint = DATE_FIELDS.includes(key) ? el("small", {}, ` ${site.time_zone} 当地时间 local time`) : "";
    meta.append(el("div", { class: "field", dataset: { field: key } },
      el("label", { for: id }, ...label(key), hint), input, el("ul", { class: "field-problems" })));
  }
  for (const [key, value] of Object.entries(form.flags)) {
    const id = "flag-" + key;
    meta.append(el("div", { class: "field check", dataset: { field: key } },
      el("label", { for: id }, el("input", { id, name: key, type: "checkbox", checked: value }), " ", ...label(key)),
      el("ul", { class: "field-problems" })));
  }
  const grid = document.querySelector("#edit-form .lang-grid");
  grid.querySelectorAll(".lang-cell, .row-label").forEach((node) => node.remove());
  for (const key of ["title", "summary", "body"]) {
    grid.append(el("div", { class: "row-label" }, ...label(key)));
    for (const lang of LANGS) {
      const id = `text-${key}-${lang}`;
      const attributes = { id, name: `${key}.${lang}`, lang, dataset: { key, lang } };
      const input = key === "body"
        ? el("textarea", { ...attributes, rows: 18 })
        : el("textarea", { ...attributes, rows: key === "title" ? 2 : 3 });
      input.value = form[key][lang];
      if (key === "body" && lang === "zh-Hans" && form.original === "zh-Hant") {
        input.disabled = true;
        input.placeholder = "原文为繁体：简体由机器转换 The original is traditional: simplified is machine-converted";
      }
      grid.append(el("div", { class: "lang-cell field", dataset: { field: `${key}.${lang}` } },
        el("label", { for: id, class: "sr" }, `${key} ${lang}`), input, el("ul", { class: "field-problems" })));
    }
  }
  updateMachineMarks();
}

/// The Chinese variant left empty is machine-converted from the other one
/// when the content is published (docs/authoring.md §3).
function updateMachineMarks() {
  const form = readForm();
  for (const [lang, other, text] of [
    ["zh-Hant", "zh-Hans", "从简体转换 Convert from simplified"],
    ["zh-Hans", "zh-Hant", "从繁体转换 Convert from traditional"],
  ]) {
    const head = document.querySelector(`.lang-head[data-lang="${lang}"]`);
    const machine = ["title", "summary", "body"].every((key) => !form[key][lang]) &&
      ["title", "summary", "body"].some((key) => form[key][other]);
    head.querySelector(".mark").hidden = !machine;
    const button = head.querySelector(".convert");
    button.hidden = !(lang === "zh-Hant" ? form.original === "zh-Hans" : form.original === "zh-Hant");
    button.textContent = text;
    button.onclick = () => convertInto(lang, other);
  }
}

async function convertInto(lang, from) {
  for (const key of ["title", "summary", "body"]) {
    const source = document.getElementById(`text-${key}-${from}`);
    const target = document.getElementById(`text-${key}-${lang}`);
    if (!source.value || target.disabled) continue;
    const { ok, data } = await api("POST", "/api/convert", { text: source.value, to: lang });
    if (ok) target.value = data.text;
    else setBanner(data.error);
  }
  changed();
}

function readForm() {
  const base = editing.editor.form;
  const form = { id: base.id, hash: base.hash, original: base.original, fields: {}, flags: {},
    title: {}, summary: {}, body: {} };
  for (const key of Object.keys(base.fields)) form.fields[key] = document.getElementById("field-" + key).value;
  for (const key of Object.keys(base.flags)) form.flags[key] = document.getElementById("flag-" + key).checked;
  for (const key of ["title", "summary", "body"]) {
    for (const lang of LANGS) {
      const input = document.getElementById(`text-${key}-${lang}`);
      form[key][lang] = input ? input.value : base[key][lang];
    }
  }
  return form;
}

function showFindings(findings) {
  document.querySelectorAll(".field-problems").forEach((list) => list.replaceChildren());
  document.querySelectorAll(".field.has-error").forEach((field) => field.classList.remove("has-error"));
  const top = [];
  for (const finding of findings) {
    const field = finding.field && document.querySelector(`.field[data-field="${finding.field}"]`);
    if (field) {
      field.querySelector(".field-problems").append(el("li", { class: finding.severity }, finding.message));
      if (finding.severity === "error") field.classList.add("has-error");
    }
    top.push(problemItem(finding));
  }
  document.getElementById("item-problems").replaceChildren(...top);
}

const check = debounce(async () => {
  if (!editing) return;
  const { ok, data } = await api("POST", `/api/${editing.kind}/${editing.id}/check`, readForm());
  if (ok) showFindings(data.diagnostics);
  else setBanner(data.error);
}, 400);

function changed() {
  updateMachineMarks();
  document.getElementById("save-status").textContent = "未保存的修改 Unsaved changes";
  check();
}

async function save(event) {
  event.preventDefault();
  const status = document.getElementById("save-status");
  status.textContent = "正在保存… Saving…";
  const { ok, status: code, data } = await api("PUT", `/api/${editing.kind}/${editing.id}`, readForm());
  if (!ok) {
    status.textContent = code === 409 ? "未保存 Not saved" : "保存失败 Save failed";
    setBanner(data.error);
    return;
  }
  setBanner("");
  editing.editor = data;
  showFindings(data.diagnostics);
  status.textContent = data.saved.length
    ? "已保存 Saved: " + data.saved.join(", ")
    : "没有修改 Nothing to save";
}

// ---- Wiring ----

function route() {
  const match = location.hash.match(/^#\/edit\/(notices|documents)\/([a-z0-9-]+)$/);
  if (match) showEditor(match[1], match[2]);
  else { editing = null; showList(); }
}

document.addEventListener("DOMContentLoaded", () => {
  const refresh = debounce(showList, 250);
  document.getElementById("kind").addEventListener("change", showList);
  document.getElementById("search").addEventListener("input", refresh);
  for (const filter of ["expired", "pinned", "urgent", "untranslated"]) {
    document.getElementById(filter).addEventListener("change", showList);
  }
  const form = document.getElementById("edit-form");
  form.addEventListener("input", changed);
  form.addEventListener("submit", save);
  document.getElementById("logout").addEventListener("submit", async (event) => {
    event.preventDefault();
    await api("POST", "/logout");
    location.href = "/login";
  });
  window.addEventListener("hashchange", route);
  route();
});
