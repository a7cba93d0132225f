import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { readJob } from "../../extension/lib/jobs.js";
import { readTab, readerPath, retryJob } from "../../extension/lib/reading.js";
import { ARTICLE, errorResponse, fakeStorageArea, jsonResponse, scriptedFetch } from "./fakes.js";

const SERVER = "http://127.0.0.1:8080";
const TAB = { id: 5, index: 2, url: "https://news.example/a", title: "A headline" };
const PAGE = { html: "<html><body><p>x</p></body></html>", url: TAB.url, title: TAB.title, contentType: "text/html" };

/** Everything lib/reading.js touches, recording what it did. */
function fakeApi({ settings = { serverUrl: SERVER }, granted = true, page = PAGE, answers = [], tabs = [TAB] } = {}) {
  const { fetch, calls } = scriptedFetch(...answers);
  const record = { badges: [], opened: [], requests: calls, injected: 0 };
  const api = {
    fetch,
    storage: { local: fakeStorageArea(settings), session: fakeStorageArea() },
    permissions: { contains: async () => granted },
    runtime: { getURL: (path) => `chrome-extension://id/${path}` },
    action: {
      setBadgeBackgroundColor: async () => {},
      setBadgeText: async ({ tabId, text }) => record.badges.push([tabId, text]),
    },
    scripting: {
      executeScript: async () => {
        record.injected += 1;
        if (page instanceof Error) throw page;
        return [{ result: page }];
      },
    },
    tabs: {
      create: async (details) => record.opened.push(details),
      get: async (id) => {
        const tab = tabs.find((candidate) => candidate.id === id);
        if (!tab) throw new Error(`No tab with id: ${id}`);
        return tab;
      },
    },
  };
  return { api, record };
}

describe("readTab", () => {
  it("opens the reader next to the tab and stores the article", async () => {
    const { api, record } = fakeApi({ answers: [jsonResponse(200, ARTICLE, { "X-Readerly-Cache": "hit" })] });
    const jobId = await readTab(api, TAB);
    assert.deepEqual(record.opened, [{ url: `chrome-extension://id/${readerPath(jobId)}`, index: 3, openerTabId: 5 }]);
    const job = await readJob(api.storage.session, jobId);
    assert.equal(job.state, "done");
    assert.deepEqual(job.article, ARTICLE);
    assert.equal(job.cache, "hit");
    assert.equal(job.uploaded, false);
    assert.equal(job.serverUrl, SERVER);
    assert.deepEqual(record.badges, [[5, "…"], [5, ""]]);
  });

  it("uploads on a cache miss", async () => {
    const { api, record } = fakeApi({ answers: [errorResponse(404, "not_cached"), jsonResponse(200, ARTICLE)] });
    const job = await readJob(api.storage.session, await readTab(api, TAB));
    assert.equal(job.uploaded, true);
    assert.equal(record.requests.length, 2);
  });

  const failures = [
    ["no server set", { settings: {} }, "no_server"],
    ["no permission for the server", { granted: false }, "no_permission"],
    ["a browser page", { page: new Error("Cannot access a chrome:// URL") }, "cannot_read"],
    ["the server refusing the token", { answers: [errorResponse(401, "unauthorized")] }, "unauthorized"],
    ["the server being down", { answers: [() => Promise.reject(new TypeError("Failed to fetch"))] }, "unreachable"],
  ];
  for (const [name, options, code] of failures) {
    it(`still opens the reader, with an error, on ${name}`, async () => {
      const { api, record } = fakeApi(options);
      const job = await readJob(api.storage.session, await readTab(api, TAB));
      assert.equal(record.opened.length, 1);
      assert.equal(job.state, "error");
      assert.equal(job.error.code, code);
      assert.deepEqual(record.badges.at(-1), [5, "!"]);
    });
  }

  it("does not contact the server without permission", async () => {
    const { api, record } = fakeApi({ granted: false });
    await readTab(api, TAB);
    assert.equal(record.requests.length, 0);
  });
});

describe("retryJob", () => {
  it("reads the original tab again into the same job, without a new tab", async () => {
    const { api, record } = fakeApi({ answers: [() => Promise.reject(new TypeError("down")), jsonResponse(200, ARTICLE)] });
    const jobId = await readTab(api, TAB);
    assert.equal((await readJob(api.storage.session, jobId)).state, "error");
    await retryJob(api, jobId);
    const job = await readJob(api.storage.session, jobId);
    assert.equal(job.state, "done");
    assert.equal(job.error, null);
    assert.equal(record.opened.length, 1);
    assert.equal(record.injected, 2);
  });

  it("explains when the original tab is gone", async () => {
    const { api } = fakeApi({ answers: [() => Promise.reject(new TypeError("down"))], tabs: [] });
    const jobId = await readTab(api, TAB);
    await retryJob(api, jobId);
    const job = await readJob(api.storage.session, jobId);
    assert.equal(job.state, "error");
    assert.match(job.error.message, /original tab is closed/);
  });
});
