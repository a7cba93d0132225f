"""The extraction pipeline: pure stages run in one fixed order.

1. parse     bytes/str -> lxml tree (charset, size, element-count and depth limits)
2. metadata  title, byline, date, site, lang/dir, lead image, canonical URL, excerpt — whole page
3. strip     boilerplate removed by rules before scoring, so widgets cannot win it
4. extract   main content with readability-lxml on the stripped tree, with fallbacks
5. tidy      lazy images, absolute URLs, leftover injections inside the article, empty wrappers
6. sanitize  allowlist sanitizer: the HTML is safe to insert into any page
7. render    the Article record (text, Markdown, counts); render.render_article() makes outputs

Each stage takes the tree and the run's Context and returns the tree; none does I/O.
"""

from __future__ import annotations

from readerly.article import Article
from readerly.pipeline.context import Context, Options
from readerly.pipeline.extract import extract_article
from readerly.pipeline.metadata import read_metadata
from readerly.pipeline.parse import parse_html
from readerly.pipeline.render import build_article
from readerly.pipeline.sanitize import sanitize_html
from readerly.pipeline.strip import strip_article, strip_boilerplate
from readerly.pipeline.tidy import tidy_article

# Bumped whenever a stage changes its output, so cached results of an older pipeline are not served.
PIPELINE_VERSION = "29"


def run(html: str | bytes, url: str | None = None, options: Options | None = None) -> Article:
    """Turn one page into an Article, stage by stage."""
    ctx = Context(url=url, options=options or Options())
    tree = parse_html(html, ctx)
    ctx.check_time()
    ctx.metadata = read_metadata(tree, ctx)
    ctx.check_time()
    if ctx.options.strip:
        tree = strip_boilerplate(tree, ctx)
        ctx.check_time()
    content = extract_article(tree, ctx)
    del tree  # the page is not needed past extraction; the later stages' peak is lower without it
    ctx.check_time()
    if ctx.options.strip:
        content = strip_article(content, ctx)
    content = tidy_article(content, ctx)
    ctx.check_time()
    safe_html = sanitize_html(content, ctx)
    return build_article(safe_html, ctx)


__all__ = ["PIPELINE_VERSION", "Context", "Options", "run"]
