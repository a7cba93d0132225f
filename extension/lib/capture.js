/**
 * Capture the rendered page (after its scripts ran, with the reader's login)
 * from a tab. The `scripting` API is passed in.
 */
import { ReaderlyError } from "./client.js";

/** Only web and file pages can be read; browser pages, stores and viewers cannot. */
const READABLE_SCHEMES = new Set(["http:", "https:", "file:"]);
/** Hosts where browsers forbid extensions to run scripts. */
const STORE_HOSTS = new Set(["chrome.google.com", "chromewebstore.google.com", "addons.mozilla.org", "microsoftedge.microsoft.com"]);
/** Documents that are markup; anything else (a PDF in the viewer, an image) is not a page to read. */
const MARKUP_TYPES = new Set(["text/html", "application/xhtml+xml"]);

const CANNOT_READ = "Readerly cannot read this kind of page: browser pages, extension stores and the PDF viewer are off limits.";

/** Why a tab URL cannot be read, or "" when it can. */
export function unreadableReason(url) {
  let parsed;
  try {
    parsed = new URL(url ?? "");
  } catch {
    return CANNOT_READ;
  }
  if (!READABLE_SCHEMES.has(parsed.protocol) || STORE_HOSTS.has(parsed.hostname)) return CANNOT_READ;
  return "";
}

/** Runs inside the page: the rendered DOM and what it says about itself. */
function snapshotDocument() {
  return {
    html: document.documentElement.outerHTML,
    url: location.href,
    title: document.title,
    contentType: document.contentType,
  };
}

/** {html, url, title} of the tab's page, or a ReaderlyError("cannot_read"). */
export async function capturePage(scripting, tab) {
  const reason = tab.url ? unreadableReason(tab.url) : "";
  if (reason) throw new ReaderlyError("cannot_read", reason);
  let results;
  try {
    results = await scripting.executeScript({ target: { tabId: tab.id }, func: snapshotDocument });
  } catch (error) {
    throw new ReaderlyError("cannot_read", `${CANNOT_READ} (${error.message ?? error})`);
  }
  const snapshot = results && results[0] && results[0].result;
  if (!snapshot || typeof snapshot.html !== "string") throw new ReaderlyError("cannot_read", CANNOT_READ);
  if (!MARKUP_TYPES.has(snapshot.contentType)) {
    throw new ReaderlyError("cannot_read", `Readerly reads web pages, not ${snapshot.contentType} documents.`);
  }
  return { html: snapshot.html, url: snapshot.url, title: snapshot.title };
}
