/**
 * The toolbar badge shows that a page is being read and whether it failed,
 * on the tab the reading started from. The `action` API is passed in.
 */

/** Badge looks: text is one glyph so it fits; colours pass contrast on white text. */
const LOOKS = Object.freeze({
  working: { text: "…", color: "#1d4ed8" },
  error: { text: "!", color: "#b91c1c" },
  done: { text: "", color: "#1d4ed8" },
});

/** Show a state ("working", "error", "done") on a tab's badge; never throws (the tab may be gone). */
export async function showBadge(action, tabId, state) {
  const look = LOOKS[state] ?? LOOKS.done;
  try {
    await action.setBadgeBackgroundColor({ tabId, color: look.color });
    await action.setBadgeText({ tabId, text: look.text });
  } catch {
    // The tab was closed while the page was read: there is no badge left to update.
  }
}
