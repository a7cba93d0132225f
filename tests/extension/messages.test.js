import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ReaderlyError } from "../../extension/lib/client.js";
import { FIX, describeError } from "../../extension/lib/messages.js";

const SERVER = "https://reader.example.org";

describe("describeError", () => {
  const cases = [
    ["no_server", /options/, FIX.OPTIONS],
    ["no_permission", /reader\.example\.org/, FIX.OPTIONS],
    ["unreachable", /Cannot reach .*reader\.example\.org/, FIX.RETRY],
    ["timeout", /did not answer in time/, FIX.RETRY],
    ["unauthorized", /token/, FIX.OPTIONS],
    ["payload_too_large", /too large/, FIX.ORIGINAL],
    ["no_article", /no article/, FIX.ORIGINAL],
    ["extraction_timeout", /too long/, FIX.RETRY],
    ["not_found", /not look like a Readerly server/, FIX.OPTIONS],
    ["gone", /no longer/, null],
    ["stalled", /stopped answering/, FIX.RETRY],
  ];
  for (const [code, pattern, fix] of cases) {
    it(code, () => {
      const described = describeError(new ReaderlyError(code, "detail."), SERVER);
      assert.match(described.message, pattern);
      assert.equal(described.fix, fix);
    });
  }

  it("says how long to wait after a 429", () => {
    const error = new ReaderlyError("rate_limited", "", { status: 429, retryAfter: 30 });
    assert.match(describeError(error, SERVER).message, /30 s/);
  });

  it("keeps a capture message as it is", () => {
    const error = new ReaderlyError("cannot_read", "Readerly reads web pages, not application/pdf documents.");
    assert.equal(describeError(error, SERVER).message, error.message);
  });

  it("falls back to the server's message and status for unknown codes", () => {
    const described = describeError({ code: "brand_new", message: "Something new.", status: 418 }, SERVER);
    assert.equal(described.message, "Something new. (HTTP 418)");
    assert.equal(described.fix, FIX.RETRY);
  });

  it("copes with no error at all", () => {
    assert.match(describeError(undefined).message, /went wrong/);
  });
});
