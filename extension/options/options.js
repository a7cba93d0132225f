/**
 * Options page: server address (its origin is requested at run time),
 * API token, appearance defaults, and a connection test.
 */
import { applyAppearance } from "../lib/appearance.js";
import { ReaderlyClient, sha256Hex } from "../lib/client.js";
import { describeError } from "../lib/messages.js";
import {
  RANGES,
  SettingsError,
  appearanceOf,
  loadSettings,
  normaliseServerUrl,
  originPattern,
  saveSettings,
} from "../lib/settings.js";

const ext = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);
const FIELDS = ["serverUrl", "token", "theme", "font", "fontSize", "lineHeight", "width"];

function say(text, kind = "info") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

/** The typed server address, normalised; throws SettingsError when unusable. */
function typedServerUrl() {
  const serverUrl = normaliseServerUrl($("serverUrl").value);
  $("serverUrl").value = serverUrl;
  return serverUrl;
}

/** Ask for the server's origin; must be called straight from a click (user gesture). */
function requestAccess(serverUrl) {
  if (!serverUrl) return Promise.resolve(true);
  return ext.permissions.request({ origins: [originPattern(serverUrl)] });
}

function readForm(serverUrl) {
  const values = Object.fromEntries(FIELDS.map((key) => [key, $(key).value]));
  return { ...values, serverUrl, fontSize: Number(values.fontSize), lineHeight: Number(values.lineHeight), width: Number(values.width) };
}

function fillForm(settings) {
  for (const key of FIELDS) $(key).value = String(settings[key]);
  applyAppearance(document, appearanceOf(settings));
}

function onSave(event) {
  event.preventDefault();
  let serverUrl;
  try {
    serverUrl = typedServerUrl();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    say(error.message, "error");
    $("serverUrl").setAttribute("aria-invalid", "true");
    $("serverUrl").focus();
    return;
  }
  $("serverUrl").removeAttribute("aria-invalid");
  requestAccess(serverUrl)
    .then(async (granted) => {
      fillForm(await saveSettings(ext.storage.local, readForm(serverUrl)));
      if (!serverUrl) say("Saved. Set a server address to start reading.");
      else if (granted) say("Saved.");
      else say(`Saved, but Readerly may not contact ${new URL(serverUrl).host} until you allow it.`, "error");
    })
    .catch((error) => say(`Could not save: ${error.message}`, "error"));
}

/** /healthz, then (with a token) a cache probe so a refused token shows up here, not later. */
async function testConnection(serverUrl) {
  const client = new ReaderlyClient({ serverUrl, token: $("token").value.trim() });
  await client.health();
  if (!client.token) return "Connected: the server is up.";
  await client.probe(await sha256Hex(""), `${serverUrl}/`);
  return "Connected: the server is up and accepts the token.";
}

function onTest() {
  let serverUrl;
  try {
    serverUrl = typedServerUrl();
  } catch (error) {
    say(error.message, "error");
    return;
  }
  if (!serverUrl) {
    say("Enter the server address first.", "error");
    return;
  }
  say("Testing…");
  requestAccess(serverUrl)
    .then((granted) => {
      if (!granted) throw Object.assign(new Error("no permission"), { code: "no_permission" });
      return testConnection(serverUrl);
    })
    .then((text) => say(text))
    .catch((error) => say(describeError(error, serverUrl).message, "error"));
}

async function main() {
  for (const [key, range] of Object.entries(RANGES)) Object.assign($(key), range);
  fillForm(await loadSettings(ext.storage.local));
  $("options-form").addEventListener("submit", onSave);
  $("test").addEventListener("click", onTest);
  $("theme").addEventListener("input", () => applyAppearance(document, { ...appearanceOf(readForm("")), theme: $("theme").value }));
}

main().catch((error) => say(`Could not load the settings: ${error.message}`, "error"));
