/**
 * Service worker (Chrome) / event page (Firefox): wires browser events to
 * lib/reading.js and nothing else.
 */
import { readTab, retryJob } from "./lib/reading.js";

const ext = globalThis.browser ?? globalThis.chrome;
const MENU_ID = "readerly-read-page";

/** The browser APIs the reading code uses, passed in explicitly. */
const api = {
  action: ext.action,
  permissions: ext.permissions,
  runtime: ext.runtime,
  scripting: ext.scripting,
  storage: ext.storage,
  tabs: ext.tabs,
  fetch: (...args) => globalThis.fetch(...args),
};

ext.runtime.onInstalled.addListener(async () => {
  await ext.contextMenus.removeAll();
  ext.contextMenus.create({ id: MENU_ID, title: "Read in Readerly", contexts: ["page", "selection"] });
});

// The toolbar button; the Alt+Shift+R shortcut (_execute_action) arrives here too.
ext.action.onClicked.addListener((tab) => readTab(api, tab));

ext.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID && tab) readTab(api, tab);
});

// "Try again" from a reader page; only the extension's own pages may ask.
ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== ext.runtime.id || message?.type !== "retry" || typeof message.jobId !== "string") return false;
  retryJob(api, message.jobId).then(() => sendResponse({ ok: true }), (error) => sendResponse({ ok: false, error: String(error) }));
  return true;
});

/** The toolbar's code path, for the end-to-end tests (headless browsers have no toolbar to click). */
globalThis.readerly = Object.freeze({ readTab: (tab) => readTab(api, tab) });
