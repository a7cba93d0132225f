import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  DEFAULTS,
  SettingsError,
  appearanceOf,
  cleanSettings,
  loadSettings,
  normaliseServerUrl,
  originPattern,
  saveSettings,
} from "../../extension/lib/settings.js";
import { fakeStorageArea } from "./fakes.js";

describe("normaliseServerUrl", () => {
  const cases = [
    ["https://reader.example.org/", "https://reader.example.org"],
    ["  http://127.0.0.1:8080  ", "http://127.0.0.1:8080"],
    ["reader.example.org", "https://reader.example.org"],
    ["https://example.org/readerly///", "https://example.org/readerly"],
    ["https://example.org/readerly?x=1#top", "https://example.org/readerly"],
    ["HTTPS://Example.ORG:443", "https://example.org"],
    ["", ""],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(normaliseServerUrl(input), expected);
    });
  }
  for (const input of ["ftp://example.org", "javascript:alert(1)", "https://user:pw@example.org", "http://exa mple.org"]) {
    it(`rejects ${input}`, () => assert.throws(() => normaliseServerUrl(input), SettingsError));
  }
});

describe("originPattern", () => {
  it("covers the whole origin, path prefix or not", () => {
    assert.equal(originPattern("https://example.org/readerly"), "https://example.org/*");
    assert.equal(originPattern("http://127.0.0.1:8080"), "http://127.0.0.1:8080/*");
  });
});

describe("cleanSettings", () => {
  it("fills defaults", () => assert.deepEqual(cleanSettings({}), { ...DEFAULTS }));
  it("drops unknown values and clamps numbers", () => {
    const cleaned = cleanSettings({ theme: "neon", font: "comic", fontSize: 99, lineHeight: "x", width: 1, other: 1 });
    assert.equal(cleaned.theme, DEFAULTS.theme);
    assert.equal(cleaned.font, DEFAULTS.font);
    assert.equal(cleaned.fontSize, 30);
    assert.equal(cleaned.lineHeight, DEFAULTS.lineHeight);
    assert.equal(cleaned.width, 28);
    assert.equal("other" in cleaned, false);
  });
});

describe("loadSettings / saveSettings", () => {
  it("round-trips and stores only the changed keys", async () => {
    const area = fakeStorageArea({ token: "abc" });
    const saved = await saveSettings(area, { theme: "dark", fontSize: "22" });
    assert.equal(saved.theme, "dark");
    assert.equal(saved.fontSize, 22);
    assert.deepEqual([...area.data.keys()].sort(), ["fontSize", "theme", "token"]);
    const loaded = await loadSettings(area);
    assert.deepEqual(loaded, { ...DEFAULTS, token: "abc", theme: "dark", fontSize: 22 });
    assert.deepEqual(appearanceOf(loaded), { theme: "dark", font: "serif", fontSize: 22, lineHeight: 1.6, width: 38 });
  });
  it("refuses unknown keys", async () => {
    await assert.rejects(saveSettings(fakeStorageArea(), { colour: "red" }), SettingsError);
  });
});
