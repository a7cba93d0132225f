import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";

import { ReaderlyClient, ReaderlyError, gzip, parseRetryAfter, sha256Hex } from "../../extension/lib/client.js";
import { ARTICLE, errorResponse, jsonResponse, scriptedFetch } from "./fakes.js";

const SERVER = "http://127.0.0.1:8080";

function client(fetch, extra = {}) {
  return new ReaderlyClient({ serverUrl: SERVER, fetch, ...extra });
}

function bodyOf(call) {
  const raw = call.init.body;
  return JSON.parse(typeof raw === "string" ? raw : gunzipSync(raw).toString("utf8"));
}

describe("sha256Hex", () => {
  const cases = ["", "<html><body>Hello</body></html>", "Grüße, 世界 🌍"];
  for (const text of cases) {
    it(`matches the UTF-8 digest of ${JSON.stringify(text)}`, async () => {
      assert.equal(await sha256Hex(text), createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex"));
    });
  }
  it("hashes a lone surrogate as U+FFFD, like the server", async () => {
    assert.equal(await sha256Hex("a\ud800b"), await sha256Hex("a\ufffdb"));
  });
});

describe("gzip", () => {
  it("round-trips and shrinks repetitive markup", async () => {
    const html = "<p>Reader view</p>".repeat(500);
    const packed = await gzip(html);
    assert.equal(gunzipSync(packed).toString("utf8"), html);
    assert.ok(packed.length < html.length / 10);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and dates", () => {
    assert.equal(parseRetryAfter("30"), 30);
    assert.equal(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000), 5);
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter("soon"), null);
  });
});

describe("ReaderlyClient.read", () => {
  it("returns a cache hit without uploading", async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(200, ARTICLE, { "X-Readerly-Cache": "hit" }));
    const steps = [];
    const result = await client(fetch).read({ html: "<p>x</p>", url: ARTICLE.url }, (step) => steps.push(step));
    assert.equal(calls.length, 1);
    assert.deepEqual(bodyOf(calls[0]), { html_sha256: await sha256Hex("<p>x</p>"), url: ARTICLE.url });
    assert.equal(calls[0].url, `${SERVER}/v1/extract`);
    assert.deepEqual(result, { article: ARTICLE, cache: "hit", uploaded: false });
    assert.deepEqual(steps, ["probe"]);
  });

  it("uploads gzip-compressed JSON after a miss", async () => {
    const { fetch, calls } = scriptedFetch(
      errorResponse(404, "not_cached"),
      jsonResponse(200, ARTICLE, { "X-Readerly-Cache": "miss" }),
    );
    const steps = [];
    const result = await client(fetch).read({ html: "<p>é</p>", url: ARTICLE.url }, (step) => steps.push(step));
    assert.equal(calls.length, 2);
    assert.equal(calls[1].init.headers["Content-Encoding"], "gzip");
    assert.equal(calls[1].init.headers["Content-Type"], "application/json");
    assert.deepEqual(bodyOf(calls[1]), { html: "<p>é</p>", url: ARTICLE.url });
    assert.equal(result.uploaded, true);
    assert.equal(result.cache, "miss");
    assert.deepEqual(steps, ["probe", "upload"]);
  });

  it("sends the token as a bearer token and no cookies", async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(200, ARTICLE));
    await client(fetch, { token: "s3cret" }).read({ html: "x", url: ARTICLE.url });
    assert.equal(calls[0].init.headers.Authorization, "Bearer s3cret");
    assert.equal(calls[0].init.credentials, "omit");
  });

  it("sends no Authorization header without a token", async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(200, ARTICLE));
    await client(fetch).read({ html: "x", url: ARTICLE.url });
    assert.equal("Authorization" in calls[0].init.headers, false);
  });

  const failures = [
    ["401 on the probe", [errorResponse(401, "unauthorized")], { code: "unauthorized", status: 401 }],
    ["413 on upload", [errorResponse(404, "not_cached"), errorResponse(413, "payload_too_large")], { code: "payload_too_large", status: 413 }],
    ["422 no article", [errorResponse(404, "not_cached"), errorResponse(422, "no_article")], { code: "no_article", status: 422 }],
    ["429 with Retry-After", [errorResponse(429, "rate_limited", "slow down", { "Retry-After": "12" })], { code: "rate_limited", retryAfter: 12 }],
    ["404 from something that is not Readerly", [errorResponse(404, "not_found")], { code: "not_found", status: 404 }],
    ["a proxy's HTML error page", [new Response("<h1>Bad gateway</h1>", { status: 502 })], { code: "http_502", status: 502 }],
    ["a 200 that is not JSON", [new Response("<html>login</html>", { status: 200 })], { code: "bad_response" }],
    ["a 200 JSON without content", [jsonResponse(200, { hello: "world" })], { code: "bad_response" }],
  ];
  for (const [name, answers, expected] of failures) {
    it(`reports ${name}`, async () => {
      const { fetch } = scriptedFetch(...answers);
      await assert.rejects(client(fetch).read({ html: "x", url: ARTICLE.url }), (error) => {
        assert.ok(error instanceof ReaderlyError);
        for (const [key, value] of Object.entries(expected)) assert.equal(error[key], value);
        return true;
      });
    });
  }

  it("reports an unreachable server", async () => {
    const fetch = async () => {
      throw new TypeError("Failed to fetch");
    };
    await assert.rejects(client(fetch).read({ html: "x", url: ARTICLE.url }), { code: "unreachable" });
  });

  it("gives up after its timeout", async () => {
    const fetch = (url, init) =>
      new Promise((resolve, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    const timeouts = { healthMs: 20, probeMs: 20, extractMs: 20 };
    // AbortSignal.timeout's timer does not keep Node alive; this one does until the test ends.
    const keepAlive = setTimeout(() => {}, 5000);
    try {
      await assert.rejects(client(fetch, { timeouts }).read({ html: "x", url: ARTICLE.url }), { code: "timeout" });
    } finally {
      clearTimeout(keepAlive);
    }
  });

  it("needs a server address", () => {
    assert.throws(() => new ReaderlyClient({ serverUrl: "", fetch: async () => null }), { code: "no_server" });
  });
});

describe("ReaderlyClient.health", () => {
  it("calls /healthz", async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(200, { status: "ok" }));
    await client(fetch).health();
    assert.equal(calls[0].url, `${SERVER}/healthz`);
  });
  it("fails on a non-2xx answer", async () => {
    const { fetch } = scriptedFetch(new Response("down", { status: 503 }));
    await assert.rejects(client(fetch).health(), { code: "http_503" });
  });
});
