// In-memory stand-ins for the browser APIs the extension modules take as arguments.

/** A storage area (storage.local / storage.session) backed by a Map. */
export function fakeStorageArea(initial = {}) {
  const data = new Map(Object.entries(structuredClone(initial)));
  return {
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return Object.fromEntries(data);
      const list = typeof keys === "string" ? [keys] : keys;
      return Object.fromEntries(list.filter((key) => data.has(key)).map((key) => [key, structuredClone(data.get(key))]));
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of typeof keys === "string" ? [keys] : keys) data.delete(key);
    },
  };
}

/** A JSON Response the way the service sends one. */
export function jsonResponse(status, body, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

/** An error Response in the service's one error shape. */
export function errorResponse(status, code, message = code, headers = {}) {
  return jsonResponse(status, { error: { code, message } }, headers);
}

/** A fetch that answers from a list of handlers in order and records every call. */
export function scriptedFetch(...answers) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    calls.push({ url, init });
    const answer = answers[calls.length - 1];
    if (!answer) throw new Error(`unexpected request ${calls.length} to ${url}`);
    return typeof answer === "function" ? answer(url, init) : answer;
  };
  return { fetch, calls };
}

/** A small article as the server returns it. */
export const ARTICLE = Object.freeze({
  url: "https://news.example/a",
  canonical_url: "https://news.example/a",
  title: "A headline",
  byline: "A. Writer",
  site_name: "Example News",
  published_time: "2024-05-05T10:00:00+00:00",
  lead_image_url: null,
  content: "<p>First paragraph.</p>",
  text: "First paragraph.",
  markdown: "First paragraph.",
  word_count: 2,
  reading_time_minutes: 1,
  removed: [{ kind: "share", rule: "share-bar", text: "Share this" }],
});
