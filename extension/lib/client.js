/**
 * HTTP client for the Readerly service: cache probe by SHA-256 first, then a
 * gzip upload only on a miss. `fetch` is passed in so tests need no network.
 */

/** Time limits: a probe is a cache lookup; an extraction may parse a large page. */
export const TIMEOUTS = Object.freeze({ healthMs: 5000, probeMs: 10000, extractMs: 45000 });

/** One error type for everything that can go wrong talking to the server. */
export class ReaderlyError extends Error {
  constructor(code, message, { status = 0, retryAfter = null } = {}) {
    super(message);
    this.name = "ReaderlyError";
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** Hex SHA-256 of the UTF-8 bytes, the same digest the server keys its cache on. */
export async function sha256Hex(text) {
  // TextEncoder turns lone surrogates into U+FFFD, as the server does before hashing.
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Gzip a string with the platform's CompressionStream (pages shrink 5-10x). */
export async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Seconds to wait from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(value, now = Date.now()) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

async function errorFromResponse(response) {
  let code = `http_${response.status}`;
  let message = `The server answered HTTP ${response.status}.`;
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.code === "string") {
      code = body.error.code;
      message = String(body.error.message ?? message);
    }
  } catch {
    // Not the JSON error shape (a proxy page, say): keep the status-based code.
  }
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  return new ReaderlyError(code, message, { status: response.status, retryAfter });
}

export class ReaderlyClient {
  /** serverUrl is already normalised (see settings.normaliseServerUrl). */
  constructor({ serverUrl, token = "", fetch = globalThis.fetch.bind(globalThis), timeouts = TIMEOUTS }) {
    if (!serverUrl) throw new ReaderlyError("no_server", "No Readerly server is set.");
    this.serverUrl = serverUrl;
    this.token = token;
    this.fetch = fetch;
    this.timeouts = timeouts;
  }

  /** Send one request; network failures and timeouts become ReaderlyErrors. */
  async request(path, { method = "GET", headers = {}, body, timeoutMs }) {
    const allHeaders = { Accept: "application/json", ...headers };
    if (this.token) allHeaders.Authorization = `Bearer ${this.token}`;
    try {
      return await this.fetch(`${this.serverUrl}${path}`, {
        method,
        headers: allHeaders,
        body,
        credentials: "omit",
        cache: "no-store",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        throw new ReaderlyError("timeout", `No answer within ${Math.round(timeoutMs / 1000)} s.`);
      }
      throw new ReaderlyError("unreachable", String(error && error.message ? error.message : error));
    }
  }

  /** Read a successful JSON answer with its cache header. */
  async articleFrom(response) {
    let article;
    try {
      article = await response.json();
    } catch {
      throw new ReaderlyError("bad_response", "The server's answer is not JSON.", { status: response.status });
    }
    if (!article || typeof article !== "object" || typeof article.content !== "string") {
      throw new ReaderlyError("bad_response", "The server's answer has no article.", { status: response.status });
    }
    return { article, cache: response.headers.get("X-Readerly-Cache") ?? "unknown" };
  }

  /** Liveness check for the options page's "Test connection". */
  async health() {
    const response = await this.request("/healthz", { timeoutMs: this.timeouts.healthMs });
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  /** Ask the cache for a page by digest: the article, or null when not cached. */
  async probe(htmlSha256, url) {
    const response = await this.request("/v1/extract", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ html_sha256: htmlSha256, url }),
      timeoutMs: this.timeouts.probeMs,
    });
    if (response.ok) return this.articleFrom(response);
    const error = await errorFromResponse(response);
    if (error.code === "not_cached") return null;
    throw error;
  }

  /** Upload the page gzip-compressed and get the article. */
  async extract(html, url) {
    const response = await this.request("/v1/extract", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      body: await gzip(JSON.stringify({ html, url })),
      timeoutMs: this.timeouts.extractMs,
    });
    if (!response.ok) throw await errorFromResponse(response);
    return this.articleFrom(response);
  }

  /**
   * The whole exchange: probe, and upload only on a miss.
   * onStep(name) reports "probe" / "upload" so the UI can show progress.
   */
  async read({ html, url }, onStep = () => {}) {
    onStep("probe");
    const cached = await this.probe(await sha256Hex(html), url);
    if (cached) return { ...cached, uploaded: false };
    onStep("upload");
    return { ...(await this.extract(html, url)), uploaded: true };
  }
}
