/**
 * Turn the server's article JSON into the reader page's article element.
 * The content is sanitized again here (defence in depth) before insertion.
 */

/** Only web and mail links survive; scripts, data documents and app schemes do not. */
const SAFE_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/** Second sanitizing pass: article markup only, no forms, frames, styles or classes. */
export const PURIFY_CONFIG = Object.freeze({
  USE_PROFILES: { html: true },
  FORBID_TAGS: ["style", "form", "input", "button", "select", "textarea", "iframe", "frame", "object", "embed", "link", "meta", "base"],
  FORBID_ATTR: ["style", "class"],
  ALLOWED_URI_REGEXP: SAFE_URI,
  RETURN_DOM_FRAGMENT: true,
});

/** Links leave the reader in a new tab without telling the target where they came from. */
function hardenNode(node) {
  if (node.nodeName === "A" && node.hasAttribute("href") && !node.getAttribute("href").startsWith("#")) {
    node.setAttribute("rel", "noopener noreferrer");
    node.setAttribute("target", "_blank");
  }
  if (node.nodeName === "IMG") {
    node.setAttribute("loading", "lazy");
    node.setAttribute("referrerpolicy", "no-referrer");
  }
}

/** Install the link/image hook once on the DOMPurify instance. */
export function preparePurify(purify) {
  purify.addHook("afterSanitizeAttributes", hardenNode);
  return purify;
}

/** An http(s) URL or null: the only kind the page links to or loads. */
export function webUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** "5 May 2024" in the reader's locale, or the raw value when it is not a date. */
export function formatDate(value, locale) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(date);
}

/** The byline · site · date · reading-time line, as DOM nodes. */
function renderMeta(doc, meta, article) {
  const parts = [];
  if (article.byline) parts.push(Object.assign(doc.createElement("span"), { className: "byline", textContent: article.byline }));
  if (article.site_name) parts.push(Object.assign(doc.createElement("span"), { className: "site", textContent: article.site_name }));
  if (article.published_time) {
    const time = doc.createElement("time");
    time.dateTime = article.published_time;
    time.textContent = formatDate(article.published_time, doc.documentElement.lang || undefined);
    parts.push(time);
  }
  if (article.reading_time_minutes) {
    const minutes = Math.max(1, Math.round(article.reading_time_minutes));
    parts.push(Object.assign(doc.createElement("span"), { className: "reading-time", textContent: `${minutes} min read` }));
  }
  meta.replaceChildren();
  parts.forEach((part, index) => {
    if (index) meta.append(doc.createTextNode(" · "));
    meta.append(part);
  });
  meta.hidden = parts.length === 0;
}

/** Show the lead image unless the content already starts with it. */
function renderLeadImage(figure, article) {
  const src = webUrl(article.lead_image_url);
  const shown = Boolean(src) && !String(article.content).includes(article.lead_image_url);
  figure.hidden = !shown;
  const img = figure.querySelector("img");
  if (shown) {
    // A lead image that fails to load would leave an empty gap above the text.
    img.addEventListener("error", () => { figure.hidden = true; }, { once: true });
    img.referrerPolicy = "no-referrer";
    img.src = src;
  } else {
    img.removeAttribute("src");
  }
}

/** Fill the article element (title, meta, lead image, sanitized content). */
export function renderArticle(doc, purify, article) {
  const element = doc.getElementById("article");
  if (article.lang) element.lang = article.lang;
  if (article.dir === "rtl" || article.dir === "ltr") element.dir = article.dir;
  doc.getElementById("title").textContent = article.title || "Untitled";
  renderMeta(doc, doc.getElementById("meta"), article);
  renderLeadImage(doc.getElementById("lead-image"), article);
  doc.getElementById("content").replaceChildren(purify.sanitize(article.content ?? "", PURIFY_CONFIG));
  element.hidden = false;
}

/** Build the removed-items list; called when the disclosure is first opened. */
export function renderRemoved(doc, list, removed) {
  list.replaceChildren(
    ...removed.map((item) => {
      const li = doc.createElement("li");
      const kind = Object.assign(doc.createElement("span"), { className: "removed-kind", textContent: item.kind ?? "removed" });
      li.append(kind, doc.createTextNode(` ${item.text ?? ""}`));
      return li;
    }),
  );
}

/** The article as Markdown with its title and source, for "Copy as Markdown". */
export function articleMarkdown(article) {
  const lines = [`# ${article.title || "Untitled"}`, ""];
  const by = [article.byline, article.site_name].filter(Boolean).join(", ");
  if (by) lines.push(`*${by}*`, "");
  lines.push((article.markdown ?? article.text ?? "").trim(), "");
  const source = webUrl(article.canonical_url) ?? webUrl(article.url);
  if (source) lines.push(`Source: <${source}>`, "");
  return lines.join("\n");
}
