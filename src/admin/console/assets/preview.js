// The preview: the item being edited, with its unsaved changes, as the
// kiosk shows it. The server renders it with the kiosk's own UI (the
// emulator); this file only asks for it and shows the picture.
"use strict";

let previewShown = null; // the object URL of the picture shown
let previewAsked = 0;    // numbers the requests: a late answer to an old one is dropped

function previewQuery() {
  const params = new URLSearchParams({
    lang: document.getElementById("preview-lang").value,
    text: document.getElementById("preview-text").value,
  });
  if (document.getElementById("preview-contrast").checked) params.set("contrast", "high");
  if (document.getElementById("preview-landscape").checked) params.set("orientation", "landscape");
  return params;
}

async function refreshPreview() {
  if (!editing) return;
  const asked = ++previewAsked;
  const status = document.getElementById("preview-status");
  status.textContent = "正在生成预览… Rendering the preview…";
  const response = await fetch(`/api/${editing.kind}/${editing.id}/preview?${previewQuery()}`, {
    method: "POST",
    headers: { "X-CSRF-Token": CSRF, "Content-Type": "application/json" },
    body: JSON.stringify(readForm()),
  });
  if (asked !== previewAsked) return;
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error; } catch (_) { /* not JSON */ }
    status.textContent = "无法预览 No preview: " + message;
    return;
  }
  const picture = await response.blob();
  if (asked !== previewAsked) return;
  if (previewShown) URL.revokeObjectURL(previewShown);
  previewShown = URL.createObjectURL(picture);
  const image = document.getElementById("preview-image");
  image.src = previewShown;
  image.hidden = false;
  status.textContent = "已更新 Updated " + new Date().toLocaleTimeString();
}

const schedulePreview = debounce(refreshPreview, 200);

// app.js says when the form was checked; a form with errors has no preview.
document.addEventListener("console:checked", (event) => {
  if (event.detail.errors === 0) schedulePreview();
  else document.getElementById("preview-status").textContent =
    "先改正错误再预览 Fix the errors to see the preview";
});

document.addEventListener("DOMContentLoaded", () => {
  for (const id of ["preview-lang", "preview-text", "preview-contrast", "preview-landscape"]) {
    document.getElementById(id).addEventListener("change", refreshPreview);
  }
});
