/**
 * What the toolbar button, the shortcut and the context menu do: capture the
 * tab, open the reader page at once (so it can show progress), then ask the
 * server for the article. Browser APIs come in as `api` so this is testable.
 */
import { showBadge } from "./badge.js";
import { capturePage } from "./capture.js";
import { ReaderlyClient, ReaderlyError } from "./client.js";
import { readJob, startJob, storedError, updateJob } from "./jobs.js";
import { loadSettings, originPattern } from "./settings.js";

/** The reader page for a job (the extension's own page, not the server's). */
export function readerPath(jobId) {
  return `reader/reader.html?job=${encodeURIComponent(jobId)}`;
}

/** A client for the configured server, or a ReaderlyError the user can act on. */
async function connect(api) {
  const settings = await loadSettings(api.storage.local);
  if (!settings.serverUrl) throw new ReaderlyError("no_server", "No Readerly server is set.");
  const allowed = await api.permissions.contains({ origins: [originPattern(settings.serverUrl)] });
  if (!allowed) throw new ReaderlyError("no_permission", "No permission for the server's origin.");
  return new ReaderlyClient({ serverUrl: settings.serverUrl, token: settings.token, fetch: api.fetch });
}

/** Send a captured page and record the outcome in the job. */
async function fetchArticle(api, jobId, page) {
  const session = api.storage.session;
  const client = await connect(api);
  await updateJob(session, jobId, { serverUrl: client.serverUrl });
  const result = await client.read(page, (step) => updateJob(session, jobId, { step }));
  await updateJob(session, jobId, {
    state: "done",
    step: "done",
    article: result.article,
    cache: result.cache,
    uploaded: result.uploaded,
    finishedAt: Date.now(),
  });
}

/** Capture and read; every failure ends as an error job, never as a silent one. */
async function runJob(api, jobId, tab, openReader) {
  const session = api.storage.session;
  await showBadge(api.action, tab.id, "working");
  let page = null;
  let failure = null;
  try {
    page = await capturePage(api.scripting, tab);
    await updateJob(session, jobId, { source: { url: page.url, title: page.title, tabId: tab.id } });
  } catch (error) {
    failure = error;
  }
  if (openReader) {
    await api.tabs.create({ url: api.runtime.getURL(readerPath(jobId)), index: tab.index + 1, openerTabId: tab.id });
  }
  try {
    if (failure) throw failure;
    await fetchArticle(api, jobId, page);
    await showBadge(api.action, tab.id, "done");
  } catch (error) {
    const settings = await loadSettings(api.storage.local);
    await updateJob(session, jobId, { state: "error", error: storedError(error), serverUrl: settings.serverUrl });
    await showBadge(api.action, tab.id, "error");
  }
}

/** The toolbar action: read `tab` into a new reader tab. Resolves when the article (or error) is stored. */
export async function readTab(api, tab) {
  const jobId = crypto.randomUUID();
  await startJob(api.storage.session, jobId, { url: tab.url ?? "", title: tab.title ?? "", tabId: tab.id });
  await runJob(api, jobId, tab, true);
  return jobId;
}

/** "Try again" on a reader page: read the original tab again into the same job. */
export async function retryJob(api, jobId) {
  const session = api.storage.session;
  const job = await readJob(session, jobId);
  const tab = job && job.source ? await api.tabs.get(job.source.tabId).catch(() => null) : null;
  if (!tab) {
    const error = new ReaderlyError("cannot_read", "The original tab is closed. Open the original and read it again.");
    await updateJob(session, jobId, { state: "error", error: storedError(error) });
    return jobId;
  }
  await updateJob(session, jobId, { state: "working", step: "capture", error: null, startedAt: Date.now() });
  await runJob(api, jobId, tab, false);
  return jobId;
}
