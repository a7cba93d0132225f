/**
 * What to tell a person when reading a page fails: one plain sentence per
 * error code and the one thing they can do about it.
 */

/** Fixes the reader page offers as buttons. */
export const FIX = Object.freeze({ OPTIONS: "options", RETRY: "retry", ORIGINAL: "original" });

function hostOf(serverUrl) {
  try {
    return new URL(serverUrl).host;
  } catch {
    return "the server";
  }
}

/** Code -> (context) -> {message, fix}. Unknown codes fall back to the server's own message. */
const DESCRIPTIONS = {
  no_server: () => ({ message: "No Readerly server is set yet. Add its address in the options.", fix: FIX.OPTIONS }),
  no_permission: ({ host }) => ({
    message: `Readerly is not allowed to contact ${host} yet. Save the server in the options to grant access.`,
    fix: FIX.OPTIONS,
  }),
  cannot_read: ({ error }) => ({
    message: error.message || "Readerly cannot read this kind of page.",
    fix: null,
  }),
  unreachable: ({ host }) => ({
    message: `Cannot reach the Readerly server at ${host}. Check that it is running and the address is right.`,
    fix: FIX.RETRY,
  }),
  timeout: ({ host, error }) => ({
    message: `The Readerly server at ${host} did not answer in time (${error.message}) Try again in a moment.`,
    fix: FIX.RETRY,
  }),
  unauthorized: () => ({
    message: "The server refused the API token. Check the token in the options.",
    fix: FIX.OPTIONS,
  }),
  payload_too_large: () => ({
    message: "This page is too large for the server to read.",
    fix: FIX.ORIGINAL,
  }),
  no_article: () => ({
    message: "Readerly found no article on this page (too little readable text).",
    fix: FIX.ORIGINAL,
  }),
  rate_limited: ({ error }) => ({
    message: error.retryAfter
      ? `Too many requests. Try again in ${error.retryAfter} s.`
      : "Too many requests. Try again in a moment.",
    fix: FIX.RETRY,
  }),
  extraction_timeout: () => ({
    message: "The server took too long to read this page.",
    fix: FIX.RETRY,
  }),
  not_found: ({ host }) => ({
    message: `The server at ${host} does not look like a Readerly server (no /v1/extract). Check the address.`,
    fix: FIX.OPTIONS,
  }),
  bad_response: ({ host, error }) => ({
    message: `The server at ${host} sent an answer Readerly cannot use: ${error.message}`,
    fix: FIX.OPTIONS,
  }),
  gone: () => ({
    message: "This article is no longer in memory (the browser was restarted). Open the original and read it again.",
    fix: null,
  }),
  stalled: () => ({
    message: "The extension stopped answering while reading this page. Try again.",
    fix: FIX.RETRY,
  }),
};

/** A {message, fix} for any error (ReaderlyError, plain Error or a stored {code, message}). */
export function describeError(error, serverUrl = "") {
  const context = { error: error ?? {}, host: hostOf(serverUrl) };
  const describe = DESCRIPTIONS[context.error.code];
  if (describe) return describe(context);
  const status = context.error.status ? ` (HTTP ${context.error.status})` : "";
  return { message: `${context.error.message || "Something went wrong."}${status}`, fix: FIX.RETRY };
}
