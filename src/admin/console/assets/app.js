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
  department: ["实施机构", "Department"],
  window: ["办理窗口", "Service window"],
  statutory_days: ["法定时限（工作日）", "Statutory time limit (working days)"],
  promised_days: ["承诺时限（工作日）", "Promised time limit (working days)"],
  visits: ["到现场次数", "Visits in person"],
  fees: ["收费标准", "Fees"],
  location: ["办理地点", "Where"],
  hours: ["办理时间", "Opening hours"],
  phone: ["咨询电话", "Enquiry phone"],
  complaint: ["监督投诉", "Complaints"],
  online_url: ["网上办理地址", "Online application"],
  legal_basis: ["办理依据", "Legal basis"],
  eligibility: ["受理条件", "Eligibility"],
  materials: ["申请材料", "Materials"],
  steps: ["办理流程", "Steps"],
  name: ["名称", "Name"],
  copies: ["份数", "Copies"],
  form: ["原件/复印件", "Original or copy"],
  format: ["纸质/电子", "Paper or electronic"],
  source: ["来源", "Where to get it"],
  sample_form: ["样表地址", "Sample form (address)"],
  notes: ["备注", "Notes"],
  detail: ["说明", "What happens"],
  kind: ["类别", "Kind"],
  date: ["日期", "Date"],
  question: ["问题", "Question"],
  answer: ["回答 (Markdown)", "Answer (Markdown)"],
  address: ["地址", "Address"],
  booking_phone: ["预约电话", "Booking phone"],
  map: ["地图图片", "Map picture (assets/…)"],
  url: ["网址", "Web address"],
  free_periods: ["免费或低收费时段", "Free or low-cost times"],
  facilities: ["设施", "Facilities"],
  description: ["说明", "Description"],
};
/// The forms edited as Markdown files; the others are TOML entries.
const MARKDOWN_FORMS = ["notices", "documents"];
/// Choices of text fields, by form and key.
const FORM_CHOICES = {
  faq: { kind: [["faq", "常见问题 FAQ"], ["hot-topic", "热点回应 Hot topic"]] },
  channels: { kind: [["mailbox", "信箱 Mailbox"], ["survey", "征集调查 Survey"], ["interview", "在线访谈 Interview"],
    ["disclosure-application", "依申请公开 Disclosure application"], ["hotline", "热线 Hotline"]] },
};
const TALL_TEXTS = ["answer", "description"];
const ROW_CHOICES = {
  form: [["original", "原件 Original"], ["copy", "复印件 Copy"], ["original-and-copy", "原件及复印件 Original and copy"]],
  format: [["paper", "纸质 Paper"], ["electronic", "电子 Electronic"], ["paper-or-electronic", "纸质或电子 Paper or electronic"]],
};
const MACHINE_PLACEHOLDER = "空：发布时由简体机器转换 Empty: machine-converted from simplified when published";
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

/// The keys of `object` in the order of FIELD_LABELS (the order of the
/// authoring files), unknown keys last.
function ordered(object) {
  const order = Object.keys(FIELD_LABELS);
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.keys(object).sort((a, b) => rank(a) - rank(b));
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
  document.getElementById("publish-view").hidden = true;
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
  const titleCell = item.form
    ? el("a", { href: `#/edit/${item.form}` }, title)
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
  document.getElementById("publish-view").hidden = true;
  setBanner("");
  document.getElementById("save-status").textContent = "";
  const { ok, data } = await api("GET", `/api/${kind}/${id}`);
  if (!ok) {
    document.getElementById("edit-title").textContent = id;
    setBanner(data.error);
    return;
  }
  editing = { kind, id, editor: data, model: structuredClone(data.form) };
  document.querySelector("#edit-form .rows").replaceChildren();
  if (MARKDOWN_FORMS.includes(kind)) buildForm(data);
  else buildEntryForm(data);
  showFindings(data.diagnostics);
  announceChecked(data.diagnostics);
}

/// Tells the rest of the page (the preview) that the form was checked.
function announceChecked(findings) {
  const errors = findings.filter((finding) => finding.severity === "error").length;
  document.dispatchEvent(new CustomEvent("console:checked", { detail: { errors } }));
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
  for (const key of ordered(form.fields)) {
    const value = form.fields[key];
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
      if (lang === "zh-Hant" && form.original === "zh-Hans") input.placeholder = MACHINE_PLACEHOLDER;
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
  if (!MARKDOWN_FORMS.includes(editing.kind)) return;
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
  if (!MARKDOWN_FORMS.includes(editing.kind)) return editing.model;
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
  if (!ok) { setBanner(data.error); return; }
  showFindings(data.diagnostics);
  announceChecked(data.diagnostics);
  setBanner(data.stale
    ? "此文件在打开表单后已被修改（手工编辑或另一个标签页）：保存会被拒绝。请复制您的修改，然后重新载入。 " +
      "The file changed since this form was opened (a hand edit or another tab): saving will be refused. Copy your changes, then reload."
    : "");
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
    if (code === 409) {
      const reload = el("button", { type: "button" }, "重新载入（放弃我的修改） Reload (drops my changes)");
      reload.onclick = () => showEditor(editing.kind, editing.id);
      document.getElementById("banner").append(" ", reload);
    }
    return;
  }
  setBanner("");
  editing.editor = data;
  editing.model = structuredClone(data.form);
  if (!MARKDOWN_FORMS.includes(editing.kind)) buildEntryForm(data);
  showFindings(data.diagnostics);
  status.textContent = data.saved.length
    ? "已保存 Saved: " + data.saved.join(", ")
    : "没有修改 Nothing to save";
}

// ---- The TOML forms (guides, FAQ, venues, channels): fields, lists and
// rows bound to editing.model ----

/// An input bound to `object[key]`: typing changes the model.
function bound(object, key, attributes = {}, tag = "input") {
  const input = el(tag, tag === "input" ? { type: "text", ...attributes } : attributes);
  if (tag === "select") {
    const known = (attributes.choices || []).some(([value]) => value === object[key]);
    if (!known) input.append(el("option", { value: object[key] }, object[key] || "—"));
    for (const [value, name] of attributes.choices || []) input.append(el("option", { value }, name));
    input.removeAttribute("choices");
  }
  input.value = object[key];
  input.addEventListener("input", () => { object[key] = input.value; });
  input.addEventListener("change", () => { object[key] = input.value; });
  return input;
}

/// A field with its label and the list its findings go to.
function fieldBox(field, key, input, extraClass = "") {
  return el("div", { class: "field " + extraClass, dataset: { field } },
    el("label", {}, ...label(key)), input, el("ul", { class: "field-problems" }));
}

/// Three inputs side by side for one localized value.
function languageRow(texts, fieldPrefix, key, rows) {
  return LANGS.map((lang) => {
    const attributes = { lang, rows };
    if (lang === "zh-Hant") attributes.placeholder = MACHINE_PLACEHOLDER;
    return el("div", { class: "lang-cell field", dataset: { field: `${fieldPrefix}${key}.${lang}` } },
      bound(texts, lang, attributes, "textarea"), el("ul", { class: "field-problems" }));
  });
}

function textFields(entry, prefix, categories) {
  return ordered(entry.fields).map((key) => {
    const choices = key === "category"
      ? categories.map(([id, name]) => [id, `${name} (${id})`])
      : (FORM_CHOICES[editing.kind] || {})[key] || ROW_CHOICES[key];
    const input = choices ? bound(entry.fields, key, { choices }, "select") : bound(entry.fields, key);
    return fieldBox(prefix + key, key, input);
  });
}

function emptyTexts() { return { "zh-Hans": "", "zh-Hant": "", en: "" }; }

function emptyRow(like) {
  const row = { fields: {}, texts: {} };
  for (const key of Object.keys(like.fields)) row.fields[key] = "";
  for (const key of Object.keys(like.texts)) row.texts[key] = emptyTexts();
  return row;
}

const ROW_TEMPLATES = {
  materials: { fields: { copies: "1", form: "original", format: "paper", sample_form: "" },
    texts: { name: emptyTexts(), source: emptyTexts(), notes: emptyTexts() } },
  steps: { fields: {}, texts: { title: emptyTexts(), detail: emptyTexts() } },
};

function rowButtons(list, index, rerender) {
  const remove = el("button", { type: "button" }, "删除 Remove");
  remove.onclick = () => { list.splice(index, 1); rerender(); changed(); };
  const up = el("button", { type: "button", disabled: index === 0 }, "上移 Move up");
  up.onclick = () => { [list[index - 1], list[index]] = [list[index], list[index - 1]]; rerender(); changed(); };
  return el("div", { class: "row-buttons" }, up, remove);
}

function buildEntryForm(editor) {
  const model = editing.model;
  const texts = model.entry.texts;
  const heading = texts.title || texts.name || texts.question;
  document.getElementById("edit-title").textContent = (heading && heading["zh-Hans"]) || model.id;
  const meta = document.querySelector("#edit-form .meta");
  meta.replaceChildren(el("legend", {}, "基本信息 ", el("span", { class: "en" }, "Details")),
    ...textFields(model.entry, "", editor.site.guide_categories));
  const grid = document.querySelector("#edit-form .lang-grid");
  grid.querySelectorAll(".lang-cell, .row-label").forEach((node) => node.remove());
  for (const key of ordered(texts)) {
    const rows = TALL_TEXTS.includes(key) ? 14 : key === "title" ? 2 : 3;
    grid.append(el("div", { class: "row-label" }, ...label(key)), ...languageRow(texts[key], "", key, rows));
  }
  for (const head of document.querySelectorAll(".lang-head")) {
    head.querySelector(".mark")?.setAttribute("hidden", "");
    const button = head.querySelector(".convert");
    if (!button) continue;
    button.hidden = head.dataset.lang !== "zh-Hant";
    button.textContent = "空白处从简体转换 Convert empty fields from simplified";
    button.onclick = convertGuide;
  }
  const rows = document.querySelector("#edit-form .rows");
  rows.replaceChildren();
  for (const key of ordered(model.lists)) rows.append(listSection(key));
  for (const key of ordered(model.rows || {})) rows.append(rowSection(key));
}

function listSection(key) {
  const section = el("fieldset", { class: "field", dataset: { field: key } });
  const render = () => {
    const lines = editing.model.lists[key];
    const add = el("button", { type: "button" }, "添加一行 Add a line");
    add.onclick = () => { lines.push(emptyTexts()); render(); changed(); };
    section.replaceChildren(el("legend", {}, ...label(key)), el("ul", { class: "field-problems" }),
      ...lines.map((line, index) => el("div", { class: "row" },
        el("div", { class: "lang-grid" }, ...languageRow(line, `${key}.${index}.`, "line", 2)),
        rowButtons(lines, index, render))),
      add);
  };
  render();
  return section;
}

function rowSection(key) {
  const section = el("fieldset", { class: "field", dataset: { field: key } });
  const render = () => {
    const rows = editing.model.rows[key];
    const add = el("button", { type: "button" }, "添加一行 Add a row");
    add.onclick = () => { rows.push(structuredClone(ROW_TEMPLATES[key] || emptyRow(rows[0]))); render(); changed(); };
    section.replaceChildren(el("legend", {}, ...label(key)), el("ul", { class: "field-problems" }),
      ...rows.map((row, index) => {
        const prefix = `${key}.${index}.`;
        const texts = ordered(row.texts).flatMap((name) =>
          [el("div", { class: "row-label" }, ...label(name)), ...languageRow(row.texts[name], prefix, name, 2)]);
        return el("div", { class: "row field", dataset: { field: `${key}.${index}` } },
          el("h3", {}, `${index + 1}.`),
          el("div", { class: "meta" }, ...textFields(row, prefix, [])),
          el("div", { class: "lang-grid" }, ...texts),
          el("ul", { class: "field-problems" }),
          rowButtons(rows, index, render));
      }),
      add);
  };
  render();
  return section;
}

async function convertGuide() {
  const model = editing.model;
  const all = [...Object.values(model.entry.texts), ...Object.values(model.lists).flat(),
    ...Object.values(model.rows || {}).flat().flatMap((row) => Object.values(row.texts))];
  for (const texts of all) {
    if (texts["zh-Hant"] || !texts["zh-Hans"]) continue;
    const { ok, data } = await api("POST", "/api/convert", { text: texts["zh-Hans"], to: "zh-Hant" });
    if (!ok) { setBanner(data.error); return; }
    texts["zh-Hant"] = data.text;
  }
  buildEntryForm(editing.editor);
  changed();
}

/// Creates a notice with the id typed, then opens its form.
async function newNotice(event) {
  event.preventDefault();
  const id = document.getElementById("new-id").value.trim();
  const status = document.getElementById("new-status");
  const { ok, data } = await api("POST", "/api/new/notices", { id });
  if (!ok) { status.textContent = data.error; return; }
  status.textContent = "";
  location.hash = data.href;
}

// ---- Wiring ----

function route() {
  if (location.hash === "#/fleet") { editing = null; showFleet(); return; }
  hideFleet();
  if (location.hash === "#/publish") { editing = null; showPublish(); return; }
  const match = location.hash.match(/^#\/edit\/(notices|documents|guides|faq|venues|channels)\/([a-z0-9-]+)$/);
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
  document.getElementById("new-notice").addEventListener("submit", newNotice);
  window.addEventListener("hashchange", route);
  route();
});
