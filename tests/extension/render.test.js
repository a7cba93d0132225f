import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { PURIFY_CONFIG, articleMarkdown, formatDate, webUrl } from "../../extension/reader/render.js";
import { ARTICLE } from "./fakes.js";

describe("webUrl", () => {
  const cases = [
    ["https://news.example/a?b=1", "https://news.example/a?b=1"],
    ["http://127.0.0.1:8000/x", "http://127.0.0.1:8000/x"],
    ["javascript:alert(1)", null],
    ["data:text/html,<script>alert(1)</script>", null],
    ["file:///etc/passwd", null],
    ["not a url", null],
    [null, null],
  ];
  for (const [input, expected] of cases) it(`${input} -> ${expected}`, () => assert.equal(webUrl(input), expected));
});

describe("PURIFY_CONFIG", () => {
  const uri = PURIFY_CONFIG.ALLOWED_URI_REGEXP;
  for (const ok of ["https://x.example/", "http://x.example/", "mailto:a@b.example", "#fn1", "/relative", "page.html"]) {
    it(`allows ${ok}`, () => assert.ok(uri.test(ok)));
  }
  for (const bad of ["javascript:alert(1)", "vbscript:x", "data:text/html,x", "blob:https://x/1"]) {
    it(`refuses ${bad}`, () => assert.equal(uri.test(bad), false));
  }
  it("forbids styles, forms and frames", () => {
    for (const tag of ["style", "form", "iframe", "object"]) assert.ok(PURIFY_CONFIG.FORBID_TAGS.includes(tag));
    assert.ok(PURIFY_CONFIG.FORBID_ATTR.includes("style"));
  });
});

describe("formatDate", () => {
  it("formats ISO dates in the given locale", () => assert.equal(formatDate("2024-05-05T10:00:00+00:00", "en-GB"), "5 May 2024"));
  it("leaves a non-date alone", () => assert.equal(formatDate("last Tuesday", "en"), "last Tuesday"));
});

describe("articleMarkdown", () => {
  it("adds title, byline and source around the body", () => {
    assert.equal(
      articleMarkdown(ARTICLE),
      "# A headline\n\n*A. Writer, Example News*\n\nFirst paragraph.\n\nSource: <https://news.example/a>\n",
    );
  });
  it("skips what is missing and never links to a non-web URL", () => {
    const markdown = articleMarkdown({ title: "", markdown: "Body.", canonical_url: "javascript:x", url: null });
    assert.equal(markdown, "# Untitled\n\nBody.\n");
  });
});
