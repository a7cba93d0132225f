/**
 * The reader page: follows one job in session storage, shows progress, then
 * the article or a clear error, and applies (and remembers) the appearance.
 */
import DOMPurify from "../vendor/purify.es.mjs";
import { applyAppearance } from "../lib/appearance.js";
import { TIMEOUTS } from "../lib/client.js";
import { jobKey, readJob } from "../lib/jobs.js";
import { FIX, describeError } from "../lib/messages.js";
import { RANGES, appearanceOf, cleanSettings, loadSettings, saveSettings } from "../lib/settings.js";
import { articleMarkdown, preparePurify, renderArticle, renderRemoved, webUrl } from "./render.js";

const ext = globalThis.browser ?? globalThis.chrome;
const purify = preparePurify(DOMPurify);
const $ = (id) => document.getElementById(id);
const jobId = new URLSearchParams(location.search).get("job") ?? "";

/** A job still "working" after every client timeout plus slack has lost its worker. */
const STALL_MS = TIMEOUTS.probeMs + TIMEOUTS.extractMs + 15000;
const STEP_TEXT = {
  capture: "Capturing the page…",
  probe: "Asking the server whether it already has this page…",
  upload: "Sending the page; the server is reading it…",
};

let shownState = "";
let article = null;
let latestJob = null;

function showOriginal(link, url) {
  const href = webUrl(url);
  link.hidden = !href;
  if (href) link.href = href;
}

function showProgress(job) {
  $("problem").hidden = true;
  $("article").hidden = true;
  $("progress").hidden = false;
  $("progress-source").textContent = job.source?.title || job.source?.url || "";
  $("progress-step").textContent = STEP_TEXT[job.step] ?? "Working…";
  document.title = "Reading… — Readerly";
}

function showProblem(error, job) {
  const { message, fix } = describeError(error, job?.serverUrl ?? "");
  $("progress").hidden = true;
  $("article").hidden = true;
  $("problem").hidden = false;
  $("problem-message").textContent = message;
  $("retry").hidden = fix !== FIX.RETRY || !job;
  $("open-options").hidden = fix !== FIX.OPTIONS;
  showOriginal($("problem-original"), job?.source?.url);
  document.title = "Could not read the page — Readerly";
}

function showArticle(job) {
  article = job.article;
  $("progress").hidden = true;
  $("problem").hidden = true;
  renderArticle(document, purify, article);
  document.title = `${article.title || "Untitled"} — Readerly`;
  showOriginal($("original"), article.url ?? job.source?.url);
  $("copy-markdown").hidden = false;
  const removed = Array.isArray(article.removed) ? article.removed : [];
  $("removed-box").hidden = removed.length === 0;
  $("removed-summary").textContent = `${removed.length} ${removed.length === 1 ? "item" : "items"} removed`;
  $("removed").open = false;
  $("removed-list").replaceChildren();
  $("article").focus({ preventScroll: true });
}

/** Render a job snapshot; re-renders only when its state or step changed. */
function render(job) {
  latestJob = job;
  if (!job) return showProblem({ code: "gone" }, null);
  const state = `${job.state}:${job.step}:${job.startedAt}`;
  if (state === shownState) return undefined;
  shownState = state;
  if (job.state === "done") return showArticle(job);
  if (job.state === "error") return showProblem(job.error, job);
  return showProgress(job);
}

/** Never leave a page spinning: a job that outlived every timeout is reported as stalled. */
function watchForStall() {
  setInterval(() => {
    const job = latestJob;
    if (job?.state !== "working" || Date.now() - job.startedAt <= STALL_MS) return;
    shownState = "stalled";
    showProblem({ code: "stalled" }, job);
  }, 2000);
}

async function loadAppearanceControls() {
  const settings = await loadSettings(ext.storage.local);
  applyAppearance(document, appearanceOf(settings));
  for (const [key, range] of Object.entries(RANGES)) Object.assign($(key), range);
  for (const key of ["theme", "font", "fontSize", "lineHeight", "width"]) {
    $(key).value = String(settings[key]);
    $(key).addEventListener("input", () => saveAppearance(key));
  }
  showRangeValues(settings);
}

function showRangeValues(settings) {
  document.querySelector('output[for="fontSize"]').textContent = `${settings.fontSize}px`;
  document.querySelector('output[for="lineHeight"]').textContent = Number(settings.lineHeight).toFixed(1);
  document.querySelector('output[for="width"]').textContent = `${settings.width}em`;
}

/** The appearance the controls show right now (applied at once; storage follows). */
function controlAppearance() {
  const values = Object.fromEntries(["theme", "font", "fontSize", "lineHeight", "width"].map((key) => [key, $(key).value]));
  return appearanceOf(cleanSettings(values));
}

async function saveAppearance(key) {
  const shown = controlAppearance();
  applyAppearance(document, shown);
  showRangeValues(shown);
  await saveSettings(ext.storage.local, { [key]: shown[key] });
}

function notify(text) {
  $("notice").textContent = text;
  setTimeout(() => {
    if ($("notice").textContent === text) $("notice").textContent = "";
  }, 4000);
}

function wireButtons() {
  $("print").addEventListener("click", () => window.print());
  $("copy-markdown").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(articleMarkdown(article));
      notify("Copied as Markdown.");
    } catch (error) {
      notify(`Could not copy: ${error.message}`);
    }
  });
  $("open-options").addEventListener("click", () => ext.runtime.openOptionsPage());
  $("retry").addEventListener("click", () => ext.runtime.sendMessage({ type: "retry", jobId }));
  $("removed").addEventListener("toggle", () => {
    if ($("removed").open && !$("removed-list").childElementCount) {
      renderRemoved(document, $("removed-list"), article?.removed ?? []);
    }
  });
}

function followChanges() {
  ext.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes[jobKey(jobId)]) render(changes[jobKey(jobId)].newValue ?? null);
    if (area === "local") loadSettings(ext.storage.local).then((s) => applyAppearance(document, appearanceOf(s)));
  });
}

async function main() {
  wireButtons();
  followChanges();
  await loadAppearanceControls();
  render(await readJob(ext.storage.session, jobId));
  watchForStall();
}

main().catch((error) => showProblem({ code: "unexpected", message: String(error?.message ?? error) }, null));
