// Publishing: what the content folder would publish now (the change report
// and what kiosks will download), the confirmation, and the history of
// published versions with "publish again". Signing happens on the server
// with the keys there; nothing about the keys comes to this page.
"use strict";

let shownPlan = null; // the report the admin is asked to confirm

function readableBytes(count) {
  if (count < 1000) return `${count} B`;
  if (count < 1000000) return `${(count / 1000).toFixed(1)} kB`;
  return `${(count / 1000000).toFixed(1)} MB`;
}

function reportItems(report) {
  const marks = [["+", "新增 added", report.added], ["~", "修改 changed", report.changed], ["−", "删除 removed", report.removed]];
  const items = [];
  for (const [mark, name, list] of marks) {
    for (const item of list) items.push(el("li", { class: "change" }, `${mark} ${item}`, el("span", { class: "en" }, ` (${name})`)));
  }
  return items;
}

function itemsOf(report) {
  return [...report.added, ...report.changed, ...report.removed];
}

async function showPublish() {
  for (const id of ["list-view", "edit-view"]) document.getElementById(id).hidden = true;
  document.getElementById("publish-view").hidden = false;
  const summary = document.getElementById("plan-summary");
  const button = document.getElementById("publish-button");
  const confirmed = document.getElementById("publish-confirm");
  confirmed.checked = false;
  button.disabled = true;
  summary.textContent = "正在检查… Checking…";
  document.getElementById("plan-items").replaceChildren();
  const { ok, data } = await api("GET", "/api/publish");
  shownPlan = ok ? data : null;
  if (!ok) {
    summary.textContent = data.error;
  } else {
    const changes = itemsOf(data).length;
    summary.textContent = changes === 0
      ? "没有变更：内容与已发布的版本相同。 Nothing to publish: the content is as published."
      : `将发布第 ${data.version} 版：新增 ${data.added.length}，修改 ${data.changed.length}，删除 ${data.removed.length}；` +
        `每台终端下载约 ${readableBytes(data.download_bytes)}（${data.new_targets} / ${data.total_targets} 个文件为新）。 ` +
        `Version ${data.version}: ${data.added.length} added, ${data.changed.length} changed, ${data.removed.length} removed; ` +
        `each kiosk downloads about ${readableBytes(data.download_bytes)}.`;
    document.getElementById("plan-items").replaceChildren(...reportItems(data));
    document.getElementById("publish-version").textContent = data.version;
    confirmed.disabled = changes === 0;
  }
  await showHistory();
}

async function publishNow() {
  if (!shownPlan) return;
  const status = document.getElementById("publish-status");
  status.textContent = "正在签名并发布… Signing and publishing…";
  const { ok, data } = await api("POST", "/api/publish", { version: shownPlan.version, items: itemsOf(shownPlan) });
  if (!ok) { status.textContent = data.error; await showPublish(); return; }
  await showPublish();
  status.textContent = `已发布第 ${data.version} 版 Published version ${data.version}`;
}

async function showHistory() {
  const body = document.querySelector("#history tbody");
  const { ok, data } = await api("GET", "/api/history");
  if (!ok) { body.replaceChildren(el("tr", {}, el("td", { colspan: 5 }, data.error))); return; }
  body.replaceChildren(...data.map((version, index) => {
    const when = version.published_at ? new Date(version.published_at).toLocaleString() : "—";
    const note = version.republished_from ? `第 ${version.republished_from} 版的内容 content of version ${version.republished_from}` : "";
    const again = index === 0 ? "" : el("button", { type: "button", class: "republish", dataset: { version: version.version } },
      "再次发布 ", el("span", { class: "en" }, "Publish again"));
    return el("tr", { dataset: { version: version.version } },
      el("td", {}, String(version.version)), el("td", {}, when),
      el("td", {}, `+${version.added} ~${version.changed} −${version.removed}`),
      el("td", {}, readableBytes(version.download_bytes)), el("td", {}, note, again));
  }));
}

async function republishVersion(version) {
  const question = `把第 ${version} 版的内容作为新版本再次发布？ Publish the content of version ${version} again, as a new version?`;
  if (!window.confirm(question)) return;
  const status = document.getElementById("publish-status");
  const { ok, data } = await api("POST", `/api/history/${version}/republish`);
  await showPublish();
  status.textContent = ok
    ? `已发布第 ${data.version} 版（第 ${version} 版的内容） Published version ${data.version} (the content of version ${version})`
    : data.error;
}

document.addEventListener("DOMContentLoaded", () => {
  const confirmed = document.getElementById("publish-confirm");
  confirmed.addEventListener("change", () => { document.getElementById("publish-button").disabled = !confirmed.checked; });
  document.getElementById("publish-button").addEventListener("click", publishNow);
  document.querySelector("#history tbody").addEventListener("click", (event) => {
    const button = event.target.closest("button.republish");
    if (button) republishVersion(Number(button.dataset.version));
  });
});
