/**
 * Apply reading appearance (theme, font, size, line height, width) to a
 * document as data attributes and CSS custom properties the stylesheet reads.
 */

/** Font stacks: system fonts only, nothing downloaded. */
export const FONT_STACKS = Object.freeze({
  serif: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
  sans: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  mono: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
});

/** Set the appearance on the root element of `doc`. */
export function applyAppearance(doc, appearance) {
  const root = doc.documentElement;
  root.dataset.theme = appearance.theme;
  root.dataset.font = appearance.font;
  root.style.setProperty("--reader-font", FONT_STACKS[appearance.font] ?? FONT_STACKS.serif);
  root.style.setProperty("--reader-size", `${appearance.fontSize}px`);
  root.style.setProperty("--reader-line-height", String(appearance.lineHeight));
  root.style.setProperty("--reader-width", `${appearance.width}em`);
}
