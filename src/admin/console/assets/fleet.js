// The fleet table: every kiosk from its retained status on the broker,
// kept live by long polling (/api/fleet?after=<revision> answers when the
// table changes), offline and stale kiosks highlighted, "sync now" per
// kiosk and for all.
"use strict";

let fleetShown = false;   // the fleet view is on screen
let fleetRevision = null; // the revision shown
let fleetPolling = false; // a long poll is running

function ago(iso) {
  if (!iso) return "—";
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso)) / 1000));
  if (seconds < 120) return `${seconds} 秒前 s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} 分钟前 min ago`;
  return new Date(iso).toLocaleString();
}

function uptime(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days ? `${days} 天 d ${hours} 时 h` : `${hours} 时 h ${minutes} 分 min`;
}

function kioskRow(kiosk) {
  const state = !kiosk.online ? ["offline", "离线 offline"]
    : kiosk.stale ? ["stale", "无近况 no recent status"]
    : kiosk.syncing_since ? ["online", "同步中 syncing"] : ["online", "在线 online"];
  const sync = el("button", { type: "button", class: "sync-one", dataset: { kiosk: kiosk.kiosk_id } },
    "立即同步 ", el("span", { class: "en" }, "Sync now"));
  return el("tr", { class: state[0], dataset: { kiosk: kiosk.kiosk_id } },
    el("td", { class: "id" }, kiosk.kiosk_id),
    el("td", {}, state[1]),
    el("td", {}, kiosk.version || "—"),
    el("td", {}, ago(kiosk.last_sync)),
    el("td", { class: kiosk.problems ? "error" : "" }, kiosk.problems || "—"),
    el("td", {}, uptime(kiosk.uptime_seconds)),
    el("td", {}, ago(kiosk.reported_at)),
    el("td", {}, sync));
}

function showFleetTable(snapshot) {
  fleetRevision = snapshot.revision;
  const status = document.getElementById("fleet-status");
  const connection = snapshot.connection.state === "connected" ? "已连接 connected"
    : snapshot.connection.state === "connecting" ? "正在连接 connecting" : "连接中断 connection lost: " + snapshot.connection.error;
  const offline = snapshot.kiosks.filter((kiosk) => !kiosk.online).length;
  const stale = snapshot.kiosks.filter((kiosk) => kiosk.online && kiosk.stale).length;
  status.textContent = `${snapshot.kiosks.length} 台终端 kiosks · 离线 offline ${offline} · 无近况 stale ${stale} · 消息服务器 broker: ${connection}`;
  // The kiosks that need someone first: offline, then stale, then with problems.
  const rank = (kiosk) => (!kiosk.online ? 0 : kiosk.stale ? 1 : kiosk.problems ? 2 : 3);
  const sorted = [...snapshot.kiosks].sort((a, b) => rank(a) - rank(b) || a.kiosk_id.localeCompare(b.kiosk_id));
  document.querySelector("#fleet tbody").replaceChildren(...sorted.map(kioskRow));
  const skipped = document.getElementById("fleet-skipped");
  skipped.replaceChildren(...snapshot.skipped.map((line) => el("li", { class: "warning" }, line)));
}

async function pollFleet() {
  if (fleetPolling) return;
  fleetPolling = true;
  while (fleetShown) {
    const after = fleetRevision === null ? "" : `?after=${fleetRevision}`;
    const { ok, data } = await api("GET", "/api/fleet" + after);
    if (!fleetShown) break;
    if (!ok) {
      document.getElementById("fleet-status").textContent = data.error;
      await new Promise((resolve) => setTimeout(resolve, 5000));
      continue;
    }
    showFleetTable(data);
  }
  fleetPolling = false;
}

function showFleet() {
  for (const id of ["list-view", "edit-view", "publish-view"]) document.getElementById(id).hidden = true;
  document.getElementById("fleet-view").hidden = false;
  fleetShown = true;
  fleetRevision = null;
  pollFleet();
}

function hideFleet() {
  fleetShown = false;
  document.getElementById("fleet-view").hidden = true;
}

async function syncKiosks(kiosks) {
  const status = document.getElementById("fleet-sync-status");
  const { ok, data } = await api("POST", "/api/fleet/sync", { kiosks });
  status.textContent = !ok ? data.error
    : kiosks.length ? `已请求同步 Sync asked of ${kiosks.join(", ")}` : "已请求全部终端同步 Sync asked of every kiosk";
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("fleet-sync-all").addEventListener("click", () => syncKiosks([]));
  document.querySelector("#fleet tbody").addEventListener("click", (event) => {
    const button = event.target.closest("button.sync-one");
    if (button) syncKiosks([button.dataset.kiosk]);
  });
});
