import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { jobKey, pruneJobs, readJob, startJob, storedError, updateJob } from "../../extension/lib/jobs.js";
import { ReaderlyError } from "../../extension/lib/client.js";
import { fakeStorageArea } from "./fakes.js";

describe("jobs", () => {
  it("start, update and read a job", async () => {
    const area = fakeStorageArea();
    await startJob(area, "a", { url: "https://x.example/", title: "X", tabId: 3 }, 1000);
    await updateJob(area, "a", { step: "probe" });
    assert.deepEqual(await readJob(area, "a"), {
      id: "a", state: "working", step: "probe", source: { url: "https://x.example/", title: "X", tabId: 3 }, startedAt: 1000,
    });
    assert.equal(await readJob(area, "missing"), null);
  });

  it("keeps only the newest jobs and leaves other keys alone", async () => {
    const area = fakeStorageArea({ unrelated: 1 });
    for (let index = 0; index < 5; index += 1) await startJob(area, `j${index}`, {}, 1000 + index);
    await pruneJobs(area, 2);
    assert.deepEqual([...area.data.keys()].sort(), ["j3", "j4"].map(jobKey).concat(["unrelated"]).sort());
  });

  it("stores errors as plain data", () => {
    const error = new ReaderlyError("rate_limited", "slow", { status: 429, retryAfter: 5 });
    assert.deepEqual(storedError(error), { code: "rate_limited", message: "slow", status: 429, retryAfter: 5 });
    assert.deepEqual(storedError(new Error("boom")), { code: "unexpected", message: "boom", status: 0, retryAfter: null });
  });
});
