/**
 * Settings: the server address, the API token and the reader's appearance.
 * The storage area is passed in so the module runs (and is tested) anywhere.
 */

/** Defaults in one place; every stored key has one. */
export const DEFAULTS = Object.freeze({
  serverUrl: "",
  token: "",
  theme: "system",
  font: "serif",
  fontSize: 19,
  lineHeight: 1.6,
  width: 38,
});

/** Allowed appearance values; anything else falls back to the default. */
export const THEMES = Object.freeze(["light", "sepia", "dark", "system"]);
export const FONTS = Object.freeze(["serif", "sans", "mono"]);
/** Ranges for the sliders: readable extremes, not arbitrary CSS. */
export const RANGES = Object.freeze({
  fontSize: { min: 14, max: 30, step: 1 },
  lineHeight: { min: 1.2, max: 2.2, step: 0.1 },
  width: { min: 28, max: 56, step: 2 },
});

const APPEARANCE_KEYS = ["theme", "font", "fontSize", "lineHeight", "width"];

/** A settings problem the user can fix (shown next to the field). */
export class SettingsError extends Error {
  constructor(message) {
    super(message);
    this.name = "SettingsError";
  }
}

/**
 * Turn what a person typed into the base URL requests are built on:
 * http(s) only, no query or fragment, no trailing slash (a path prefix is kept
 * for servers behind a reverse proxy).
 */
export function normaliseServerUrl(input) {
  const text = String(input ?? "").trim();
  if (!text) return "";
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new SettingsError(`"${text}" is not a web address.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SettingsError("The server address must start with http:// or https://.");
  }
  if (url.username || url.password) {
    throw new SettingsError("Put the token in the API token field, not in the address.");
  }
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path}`;
}

/** The host-permission pattern that lets the extension reach this server. */
export function originPattern(serverUrl) {
  return `${new URL(serverUrl).origin}/*`;
}

function clampNumber(value, { min, max }, fallback) {
  const number = Number(value);
  if (!Number.isFinite(number)) return fallback;
  return Math.min(max, Math.max(min, number));
}

/** Keep only known keys with valid values, so a bad stored value cannot break a page. */
export function cleanSettings(stored) {
  const raw = { ...DEFAULTS, ...(stored ?? {}) };
  return {
    serverUrl: typeof raw.serverUrl === "string" ? raw.serverUrl : DEFAULTS.serverUrl,
    token: typeof raw.token === "string" ? raw.token.trim() : DEFAULTS.token,
    theme: THEMES.includes(raw.theme) ? raw.theme : DEFAULTS.theme,
    font: FONTS.includes(raw.font) ? raw.font : DEFAULTS.font,
    fontSize: clampNumber(raw.fontSize, RANGES.fontSize, DEFAULTS.fontSize),
    lineHeight: clampNumber(raw.lineHeight, RANGES.lineHeight, DEFAULTS.lineHeight),
    width: clampNumber(raw.width, RANGES.width, DEFAULTS.width),
  };
}

/** Read every setting, defaults filled in. */
export async function loadSettings(storageArea) {
  const stored = await storageArea.get(Object.keys(DEFAULTS));
  return cleanSettings(stored);
}

/** Store the given keys after cleaning them; returns the full cleaned settings. */
export async function saveSettings(storageArea, changes) {
  const unknown = Object.keys(changes).filter((key) => !(key in DEFAULTS));
  if (unknown.length) throw new SettingsError(`Unknown setting: ${unknown.join(", ")}`);
  const current = await loadSettings(storageArea);
  const next = cleanSettings({ ...current, ...changes });
  const toStore = Object.fromEntries(Object.keys(changes).map((key) => [key, next[key]]));
  await storageArea.set(toStore);
  return next;
}

/** The appearance part of the settings (what the reader page applies). */
export function appearanceOf(settings) {
  return Object.fromEntries(APPEARANCE_KEYS.map((key) => [key, settings[key]]));
}
