import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { capturePage, unreadableReason } from "../../extension/lib/capture.js";

function fakeScripting(result) {
  const calls = [];
  return {
    calls,
    async executeScript(details) {
      calls.push(details);
      if (result instanceof Error) throw result;
      return [{ result }];
    },
  };
}

const PAGE = { html: "<html><body><p>Hi</p></body></html>", url: "https://news.example/a", title: "A", contentType: "text/html" };

describe("unreadableReason", () => {
  for (const url of ["https://news.example/a", "http://127.0.0.1:8000/page.html", "file:///home/me/page.html"]) {
    it(`reads ${url}`, () => assert.equal(unreadableReason(url), ""));
  }
  const blocked = [
    "chrome://settings",
    "about:addons",
    "edge://flags",
    "chrome-extension://abc/reader/reader.html",
    "moz-extension://abc/options.html",
    "view-source:https://news.example/",
    "https://chromewebstore.google.com/detail/x",
    "https://addons.mozilla.org/en-US/firefox/",
    "",
  ];
  for (const url of blocked) {
    it(`refuses ${JSON.stringify(url)}`, () => assert.match(unreadableReason(url), /cannot read/));
  }
});

describe("capturePage", () => {
  it("returns the rendered DOM, URL and title of the tab", async () => {
    const scripting = fakeScripting(PAGE);
    const page = await capturePage(scripting, { id: 7, url: PAGE.url });
    assert.deepEqual(page, { html: PAGE.html, url: PAGE.url, title: "A" });
    assert.deepEqual(scripting.calls[0].target, { tabId: 7 });
    assert.equal(typeof scripting.calls[0].func, "function");
  });

  it("accepts XHTML documents", async () => {
    const page = await capturePage(fakeScripting({ ...PAGE, contentType: "application/xhtml+xml" }), { id: 1 });
    assert.equal(page.url, PAGE.url);
  });

  it("refuses a browser page before injecting anything", async () => {
    const scripting = fakeScripting(PAGE);
    await assert.rejects(capturePage(scripting, { id: 1, url: "chrome://newtab/" }), { code: "cannot_read" });
    assert.equal(scripting.calls.length, 0);
  });

  it("turns an injection failure into a clear message", async () => {
    const scripting = fakeScripting(new Error("Cannot access contents of the page"));
    await assert.rejects(capturePage(scripting, { id: 1, url: PAGE.url }), (error) => {
      assert.equal(error.code, "cannot_read");
      assert.match(error.message, /PDF viewer/);
      return true;
    });
  });

  it("refuses a PDF shown in the viewer", async () => {
    const scripting = fakeScripting({ ...PAGE, contentType: "application/pdf" });
    await assert.rejects(capturePage(scripting, { id: 1, url: "https://x.example/a.pdf" }), /application\/pdf/);
  });

  it("refuses an empty result", async () => {
    await assert.rejects(capturePage(fakeScripting(undefined), { id: 1, url: PAGE.url }), { code: "cannot_read" });
  });
});
