import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const css = readFileSync(new URL("../../extension/reader/reader.css", import.meta.url), "utf8");

/** The custom properties set by one rule, e.g. `:root[data-theme="dark"]`. */
function themeVariables(selector) {
  const start = css.indexOf(`${selector} {`);
  assert.notEqual(start, -1, `no rule for ${selector}`);
  const body = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...body.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((match) => [match[1], match[2]]));
}

function luminance(hex) {
  const channels = [1, 3, 5].map((index) => parseInt(hex.slice(index, index + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours. */
function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const light = themeVariables(":root");
const THEMES = {
  light,
  sepia: { ...light, ...themeVariables(':root[data-theme="sepia"]') },
  dark: { ...light, ...themeVariables(':root[data-theme="dark"]') },
};
/** WCAG AA for body-size text. */
const AA = 4.5;

describe("reader themes meet WCAG AA contrast", () => {
  for (const [theme, colours] of Object.entries(THEMES)) {
    for (const text of ["fg", "muted", "link"]) {
      for (const background of ["bg", "panel"]) {
        it(`${theme}: --${text} on --${background}`, () => {
          const ratio = contrast(colours[text], colours[background]);
          assert.ok(ratio >= AA, `${colours[text]} on ${colours[background]} is ${ratio.toFixed(2)}:1`);
        });
      }
    }
  }

  it("the system theme's dark colours are the dark theme's", () => {
    const start = css.indexOf('@media (prefers-color-scheme: dark)');
    const block = css.slice(start, css.indexOf("}", css.indexOf("{", css.indexOf("{", start) + 1)));
    const system = Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
    assert.deepEqual(system, themeVariables(':root[data-theme="dark"]'));
  });
});
