"""Stage 3: boilerplate goes (injections, comments, ads, widgets, chrome), the article stays whole."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import lxml.html
import pytest

import readerly
from readerly.article import Metadata
from readerly.pipeline.context import Context
from readerly.pipeline.parse import parse_html
from readerly.pipeline.strip import strip_article, strip_boilerplate
from readerly.rules import RULES

URL = "https://news.example.org/2024/05/harbour-ferry-timetable/"
PARAGRAPHS = (
    "The harbour ferry will run every twenty minutes from June, the port authority said on Tuesday, "
    "ending a decade in which the crossing left only once an hour outside the morning rush.",
    "Officials said two refurbished boats would join the fleet in late May, and that crews had already "
    "completed the sea trials required before the vessels can carry passengers again.",
    "Commuters on the north shore have campaigned for a more frequent service since the bridge tolls "
    "were raised, arguing that the ferry is now the only affordable way into the city centre.",
    "The new timetable also adds a late sailing on Friday and Saturday nights, which business owners "
    "near the terminal say could bring visitors back to the waterfront after the theatres close.",
    "Fares will not change this year, although the authority warned that fuel costs remain high and "
    "that prices would be reviewed again before the winter timetable is published in October.",
    "A public meeting on the changes is planned for next month at the community hall on Quay Street.",
)


def _article(between: str = "", after: str = "") -> str:
    first, second, *rest = (f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"{first}{second}{between}{''.join(rest)}{after}"


def _page(between: str = "", after: str = "", outside: str = "", body_attrs: str = "") -> str:
    return (
        f"<html><head><title>Ferry</title></head><body {body_attrs}><div id='page'>"
        "<header class='site-header'><a href='/'>The Harbour Gazette</a></header>"
        "<main id='main-content'><article class='post'><h1>Harbour ferry to run every twenty minutes</h1>"
        f"<div class='entry-content'>{_article(between, after)}</div></article></main>{outside}"
        "</div></body></html>"
    )


def _whole_page(html: str) -> tuple[str, Context]:
    ctx = Context(url=URL)
    tree = strip_boilerplate(parse_html(html, ctx), ctx)
    return " ".join(tree.text_content().split()), ctx


def _inside_article(fragment: str) -> tuple[str, Context]:
    ctx = Context(url=URL)
    content = strip_article(lxml.html.fragment_fromstring(fragment, create_parent="div"), ctx)
    return " ".join(content.text_content().split()), ctx


def _assert_article_whole(text: str) -> None:
    for paragraph in PARAGRAPHS:
        assert paragraph in text


def _assert_gone(text: str, ctx: Context, junk: str, kind: str) -> None:
    assert junk not in text
    assert any(removal.kind == kind for removal in ctx.removed), ctx.removed


# --- inline "see also" injections, in many languages ---------------------------------------------------

SEE_ALSO = [
    ("en", "See also"), ("en", "READ MORE"), ("en", "Related"), ("en", "You might also like"),
    ("es", "Ver también"), ("es", "Lee también"), ("pt", "Leia também"), ("pt", "Veja também"),
    ("fr", "À lire aussi"), ("fr", "Lire aussi"), ("de", "Lesen Sie auch"), ("de", "Mehr zum Thema"),
    ("it", "Leggi anche"), ("nl", "Lees ook"), ("pl", "Czytaj też"), ("ru", "Читайте также"),
    ("tr", "Ayrıca okuyun"), ("ar", "اقرأ أيضا"), ("ja", "あわせて読みたい"), ("zh", "相关阅读"),
    ("ko", "관련 기사"), ("id", "Baca juga"), ("vi", "Xem thêm"), ("cs", "Čtěte také"), ("sv", "Läs också"),
    ("uk", "Читайте також"), ("hi", "यह भी पढ़ें"), ("el", "Διαβάστε επίσης"),
]
HEADLINE = "Night buses return to the island after a two-year pause"
INJECTIONS = {
    "strong-colon": '<p><strong>{label}:</strong> <a href="/night-buses/">{headline}</a></p>',
    "plain-upper": '<p>{upper}: <a href="/night-buses/">{headline}</a></p>',
    "em-wrapped": '<p><em>{label}: <a href="/night-buses/">{headline}</a></em></p>',
    "span-box": '<div class="x7f2"><span>{label}</span> <a href="/night-buses/">{headline}</a></div>',
    "label-in-link": ('<div style="clear:both"><a href="/night-buses/" class="u81f0"><style>.u81f0{{}}</style>'
                      '<div><span class="ctaText">{label}</span>&nbsp; <span class="postTitle">{headline}'
                      "</span></div></a></div>"),
    "titled-list": ('<aside><h4>{label}</h4><ul><li><a href="/night-buses/">{headline}</a></li>'
                    '<li><a href="/bridge-tolls/">Bridge tolls rise again</a></li></ul></aside>'),
    "blockquote": '<blockquote><b>{label}</b> — <a href="/night-buses/">{headline}</a></blockquote>',
    "whole-link": '<p><a href="/night-buses/">{label}: {headline}</a></p>',
    "arrow-in-link": '<div><a href="/night-buses/">→ <strong>{label}</strong>: {headline}</a></div>',
}


@pytest.mark.parametrize("shape", sorted(INJECTIONS))
@pytest.mark.parametrize(("lang", "label"), SEE_ALSO, ids=[f"{lang}-{label}" for lang, label in SEE_ALSO])
def test_inline_injections_go_inside_the_article(lang: str, label: str, shape: str) -> None:
    snippet = INJECTIONS[shape].format(label=label, upper=label.upper(), headline=HEADLINE)
    text, ctx = _inside_article(_article(between=snippet))
    _assert_gone(text, ctx, HEADLINE, "inline-related")
    _assert_article_whole(text)


@pytest.mark.parametrize(("lang", "label"), SEE_ALSO, ids=[f"{lang}-{label}" for lang, label in SEE_ALSO])
def test_inline_injections_go_from_the_whole_page_and_the_service_output(lang: str, label: str) -> None:
    snippet = INJECTIONS["strong-colon"].format(label=label, headline=HEADLINE)
    text, ctx = _whole_page(_page(between=snippet))
    _assert_gone(text, ctx, HEADLINE, "inline-related")
    _assert_article_whole(text)
    article = readerly.extract(_page(between=snippet), url=URL)
    assert HEADLINE not in article.text
    assert all(paragraph in article.text for paragraph in PARAGRAPHS)
    assert any(removal.kind == "inline-related" for removal in article.removed)


def test_a_removal_is_recorded_once_for_the_outermost_element_with_its_rule() -> None:
    snippet = INJECTIONS["titled-list"].format(label="Related", headline=HEADLINE)
    _text, ctx = _inside_article(_article(between=snippet))
    assert [(r.kind, r.rule) for r in ctx.removed] == [("inline-related", "label:see-also")]
    assert ctx.removed[0].text == f"Related {HEADLINE} Bridge tolls rise again"[:80]


def test_the_tail_text_of_a_removed_element_stays() -> None:
    snippet = '<div>Before <aside class="ad-slot">Advertisement</aside> after.</div>'
    text, _ctx = _inside_article(snippet + _article())
    assert "Before after." in text and "Advertisement" not in text


# --- what must survive ---------------------------------------------------------------------------------

SURVIVORS = {
    "linked-line-with-a-colon": "<p><a href='/timetable.pdf'>Summer timetable: every twenty minutes from June</a></p>",
    "ctrl-enter-in-a-tutorial": "<p>To run the cell, press Ctrl+Enter; Shift+Enter runs it and moves on.</p>",
    "see-also-in-a-sentence": ("<p>For the legal background, see also <a href='/ruling/'>the 2019 ruling</a> on "
                               "coastal access, which the council cited twice in its decision.</p>"),
    "sentence-starting-with-see-also": ("<p>See also the chapter on tidal planning in any harbour manual, which "
                                        "derives the same timetable from a slightly different angle.</p>"),
    "read-more-about": ("<p>Read more about the ruling in <a href='/explainer/'>our explainer</a>, which walks "
                        "through each of the objections raised by residents and by the port itself.</p>"),
    "blockquote": ("<blockquote><p>We have waited ten years for a ferry that runs when people need it.</p>"
                   "<cite>North Shore Residents Association</cite></blockquote>"),
    "figure": ("<figure><img src='/ferry.jpg' alt='The ferry'><figcaption>The refurbished ferry during sea "
               "trials off the north shore.</figcaption></figure>"),
    "table": ("<table><tr><th>Sailing</th><th>Departs</th></tr><tr><td>First</td><td>06:10</td></tr>"
              "<tr><td>Last</td><td>23:40</td></tr></table>"),
    "code": "<pre><code>curl https://ferry.example.org/api/timetable?route=north</code></pre>",
    "highlighted-code": ("<pre><code class='language-c'><span class='token comment'>// fares.c</span> int fare(int "
                         "zones) { return 180 + 60 * zones; }</code></pre>"),
    "table-with-classes": ("<table class='data'><tr><td class='share'>Share of trips by ferry</td><td class='ad'>"
                           "42 percent</td></tr><tr><td class='related'>Bridge</td><td>58 percent</td></tr></table>"),
    "list": ("<ul><li>Weekday sailings every twenty minutes</li><li>Late sailings on Friday and Saturday</li>"
             "<li>No change to fares this year</li></ul>"),
    "footnotes": ("<section class='footnotes'><ol><li id='fn1'>See also <a href='/port-report/'>the port "
                  "report</a>, p. 12.</li><li id='fn2'>Figures from the 2023 passenger survey.</li></ol></section>"),
    "heading-with-anchor-id": ("<h2 id='related-reading'>Related reading</h2><p>The tidal atlas remains the best "
                               "introduction to the crossing and its history.</p><h3 id='comments'>Comments from "
                               "the skippers</h3><p>Several skippers said the new schedule is realistic.</p>"),
    "headings-that-are-words-of-chrome": (
        "<h2>Advertising</h2><p>The port spends little on advertising and relies on word of mouth.</p>"
        "<h2>Print</h2><p>The printed timetable will be posted at every pier.</p><h2>Shares</h2><p>The ferry "
        "company's shares rose after the announcement.</p>"),
    "encyclopaedia-see-also": ("<section><h2>See also</h2><ul>"
                               + "".join(f"<li><a href='/wiki/Route_{i}'>Ferry route {i}</a></li>" for i in range(6))
                               + "</ul></section>"),
    "further-reading": ("<h2>Further reading</h2><ul><li><a href='https://example.net/a'>The tidal atlas</a>"
                        "</li><li><a href='https://example.net/b'>Ferries of the north</a></li></ul>"),
    "references": ("<h2>References</h2><ol><li><a href='https://example.net/c'>Port authority annual "
                   "report 2023</a></li><li><a href='https://example.net/d'>Harbour survey</a></li></ol>"),
    "related-reading-with-commentary": (
        "<h2>Related reading</h2><ul><li><a href='https://example.net/e'>The tidal atlas</a>, the best "
        "introduction to why the crossing takes longer at spring tides, with charts that any commuter can "
        "follow and a chapter on the old chain ferry.</li><li><a href='https://example.net/f'>Ferries of the "
        "north</a>, a history of the service with photographs from every decade, written by a former "
        "skipper who worked the route for thirty years.</li></ul>"),
}


@pytest.mark.parametrize("name", sorted(SURVIVORS))
def test_article_content_survives_both_passes(name: str) -> None:
    snippet = SURVIVORS[name]
    expected = " ".join(lxml.html.fragment_fromstring(snippet, create_parent="div").text_content().split())
    inside, inside_ctx = _inside_article(_article(between=snippet))
    whole, whole_ctx = _whole_page(_page(between=snippet))
    assert expected in inside, inside_ctx.removed
    assert expected in whole, whole_ctx.removed
    _assert_article_whole(inside)
    _assert_article_whole(whole)


def test_an_author_section_stays_while_the_plugin_list_after_it_goes() -> None:
    own = SURVIVORS["related-reading-with-commentary"]
    plugin = ("<div id='jp-relatedposts' class='jp-relatedposts'><h3 class='jp-relatedposts-headline'><em>"
              "Related</em></h3><div class='jp-relatedposts-items'><p><a href='/x/'>Bridge tolls rise</a></p>"
              "</div></div>")
    text = readerly.extract(_page(after=own + plugin), url=URL).text
    assert "a history of the service with photographs from every decade" in " ".join(text.split())
    assert "Bridge tolls rise" not in text


# --- the guard: the article itself is never removed ----------------------------------------------------

@pytest.mark.parametrize(
    ("wrapper", "body_attrs"),
    [
        ("<div class='comments-open has-sidebar'>{}</div>", "class='single-post has-comments'"),
        ("<div id='main-content' class='site-content with-sidebar'>{}</div>", ""),
        ("<div class='td-ss-main-content widget-area'>{}</div>", "class='sidebar-right'"),
        ("<div class='article-body related-content'>{}</div>", ""),
        ("<div class='post-share-area'>{}</div>", ""),
    ],
    ids=["comment-classes", "main-content-id", "widget-area-wrapper", "related-wrapper", "share-wrapper"],
)
def test_a_broad_class_on_the_article_wrapper_removes_nothing_of_the_article(wrapper: str,
                                                                             body_attrs: str) -> None:
    html = _page(body_attrs=body_attrs).replace(_article(), wrapper.format(_article()))
    text, _ctx = _whole_page(html)
    _assert_article_whole(text)
    assert all(paragraph in readerly.extract(html, url=URL).text for paragraph in PARAGRAPHS)


def test_class_tokens_match_whole_words_only() -> None:
    html = _page(between="<p class='commentary header-note'>An analysis note that belongs to the story.</p>"
                         "<div class='loader'><p>Loaded text that also belongs to the story.</p></div>")
    text, ctx = _whole_page(html)
    assert "An analysis note" in text and "Loaded text" in text
    assert not any("commentary" in r.rule or "loader" in r.rule for r in ctx.removed)


def test_a_class_saying_what_an_element_has_or_lacks_does_not_name_it() -> None:
    html = _page(between="<figure class='fig fig--has-shares'><img src='/ferry.jpg' alt='The new ferry'>"
                         "<figcaption>The refurbished ferry on its sea trials.</figcaption></figure>"
                         "<div class='layout no-sidebar without-post-comments fig--has-social-shares'>"
                         "<p>Timetables are posted at "
                         "every pier.</p></div><div class='share-buttons'><a href='/s'>Share</a></div>")
    text, ctx = _whole_page(html)
    assert "sea trials" in text and "posted at every pier" in text
    assert [r.rule for r in ctx.removed if r.kind == "share"] == ["class:share-buttons"]


def test_a_picture_that_opens_in_a_lightbox_is_not_a_dialog() -> None:
    html = _page(between="<div class='td-post-featured-image'><a href='/ferry-large.jpg'>"
                         "<img class='entry-thumb td-modal-image' src='/ferry.jpg' alt='The new ferry'></a></div>"
                         "<div class='conModal'><img src='/pier.jpg' alt='The pier'></div>"
                         "<div class='popup ad-banner'><img src='/banner.gif' alt='Advert'></div>",
                 outside="<div class='modal'><p>Sign in to keep reading</p><img src='/logo.png' alt=''></div>")
    tree = strip_boilerplate(parse_html(html, ctx := Context(url=URL)), ctx)
    assert [image.get("src") for image in tree.iter("img")] == ["/ferry.jpg", "/pier.jpg"]
    assert sorted(r.rule for r in ctx.removed if r.kind in ("ads", "login-modal")) == ["class:ad", "class:modal"]


def test_post_taxonomy_classes_do_not_name_a_role() -> None:
    html = _page(between="<div class='post-77 type-post status-publish category-sponsored tag-comments hentry'>"
                         "<p>The sponsored category is only a taxonomy term here.</p></div>")
    text, _ctx = _whole_page(html)
    assert "only a taxonomy term" in text


def test_the_gated_paragraphs_of_a_metered_article_stay_and_the_prompt_goes() -> None:
    gated = "".join(f"<p class='paywall'>{text}</p>" for text in PARAGRAPHS[2:])
    html = _page().replace("".join(f"<p>{text}</p>" for text in PARAGRAPHS[2:]), gated).replace(
        "</article>", "</article><div class='c-paywall'><p>Subscribe to keep reading</p>"
                      "<a class='c-paywall__button' href='/plans'>See plans</a></div>"
                      "<div class='paywall'><p>You have read all of your free articles this month.</p></div>")
    text, ctx = _whole_page(html)
    _assert_article_whole(text)
    assert "Subscribe to keep reading" not in text and "free articles this month" not in text
    assert [r.rule for r in ctx.removed if r.kind == "newsletter"] == ["class:paywall"] * 2
    assert all(paragraph in readerly.extract(html, url=URL).text for paragraph in PARAGRAPHS)


def test_a_class_on_most_of_the_articles_paragraphs_names_the_article_not_junk() -> None:
    # A newsletter archive styles every paragraph of an issue; one by one each is a small share of
    # the text, together they are the article. A sign-up box of its own still goes.
    styled = "".join(f"<div><p class='newsletter-text'>{text}</p></div>" for text in PARAGRAPHS[1:])
    html = _page().replace("".join(f"<p>{text}</p>" for text in PARAGRAPHS[1:]), styled).replace(
        "</article>", "</article><div class='newsletter-box'><p>Get the next issue by e-mail</p></div>")
    text, _ctx = _whole_page(html)
    _assert_article_whole(text)
    assert "Get the next issue" not in text
    # The same class on one paragraph among plain ones is still a sign-up line.
    html = _page(between="<p class='newsletter-text'>Sign up for the harbour newsletter today.</p>")
    text, ctx = _whole_page(html)
    _assert_gone(text, ctx, "Sign up for the harbour", "newsletter")


def test_a_block_holding_the_pages_headline_is_not_a_labelled_block() -> None:
    html = ("<html><body><div><div class='head'><span>Categories:</span> <a href='/c/'>News</a>"
            f"<h1>Harbour ferry</h1></div>{_article()}</div></body></html>")
    text, _ctx = _whole_page(html)
    _assert_article_whole(text)


# --- comments, ads, widgets, share bars, newsletter, breadcrumbs, consent, author bio, tags ------------

COMMENT = ("I take this ferry every morning and the hourly gap has cost me more than one job interview, so "
           "this is welcome news for everyone on the north shore.")
BOILERPLATE = [
    # (id, where, snippet, junk that must go, kind)
    ("wp-comments", "outside",
     "<div id='comments' class='comments-area'><h2 class='comments-title'>2 thoughts on “Harbour ferry”</h2>"
     "<ol class='comment-list'><li id='comment-4' class='comment even thread-even depth-1'><article "
     f"class='comment-body'><footer class='comment-meta'>Ana says:</footer><div class='comment-content'><p>{COMMENT}"
     "</p></div></article></li></ol></div>", COMMENT, "comments"),
    ("wp-respond", "outside",
     "<div id='respond' class='comment-respond'><h3 id='reply-title' class='comment-reply-title'>Leave a Reply</h3>"
     "<form action='/wp-comments-post.php' method='post' id='commentform' class='comment-form'><p "
     "class='comment-notes'>Your email address will not be published.</p><textarea name='comment'></textarea>"
     "</form></div>", "Your email address will not be published", "comment-form"),
    ("tagdiv-form", "outside",
     "<div class='comment-form-input-wrap td-form-comment'><textarea></textarea><div class='td-warning-comment'>"
     "Please enter your comment!</div></div>", "Please enter your comment!", "comment-form"),
    ("disqus", "outside",
     f"<div id='disqus_thread'><div class='post-message'><p>{COMMENT}</p></div></div>", COMMENT, "comments"),
    ("wpdiscuz", "outside",
     f"<div id='wpdcom' class='wpdiscuz_unauth wpd-default'><div class='wpd-thread-list'><div class='wpd-comment'>"
     f"<div class='wpd-comment-text'><p>{COMMENT}</p></div></div></div></div>", COMMENT, "comments"),
    ("facebook", "outside",
     "<div class='fb-comments-wrap'><h3 class='fb-comments-title'>Comment with Facebook</h3><div "
     "class='fb-comments' data-href='https://news.example.org/x'></div></div>", "Comment with Facebook", "comments"),
    ("giscus", "outside", f"<div class='giscus'><p>{COMMENT}</p></div>", COMMENT, "comments"),
    ("utterances", "outside", f"<div class='utterances'><p>{COMMENT}</p></div>", COMMENT, "comments"),
    ("commento", "outside", f"<div id='commento'><p>{COMMENT}</p></div>", COMMENT, "comments"),
    ("hyvor", "outside", f"<div id='hyvor-talk-view'><p>{COMMENT}</p></div>", COMMENT, "comments"),
    ("remark42", "outside", f"<div id='remark42'><p>{COMMENT}</p></div>", COMMENT, "comments"),
    ("hyvor-element", "outside", f"<hyvor-talk-comments website-id='1'><p>{COMMENT}</p></hyvor-talk-comments>",
     COMMENT, "comments"),
    ("talkyard", "outside", f"<div class='talkyard-comments'><p>{COMMENT}</p></div>", COMMENT, "comments"),
    ("comment-count-heading", "after", "<h3>12 Comments</h3>", "12 Comments", "comments"),
    ("recent-comments-widget", "outside",
     "<section id='recent-comments-2' class='widget widget_recent_comments'><h2>Recent Comments</h2><ul "
     "id='recentcomments'><li class='recentcomments'>Ana on <a href='/x/'>Harbour ferry</a></li></ul></section>",
     "Recent Comments", "widgets"),
    ("ad-label-dashes", "between", "<div class='td-a-rec'><span>- Advertisement -</span></div>",
     "Advertisement", "ads"),
    ("ad-label-plain", "between", "<div><p>ADVERTISEMENT</p><div id='div-gpt-ad-1'></div></div>",
     "ADVERTISEMENT", "ads"),
    ("ad-anzeige", "between", "<div><span>Anzeige</span></div>", "Anzeige", "ads"),
    ("ad-publicite", "between", "<p>Publicité</p>", "Publicité", "ads"),
    ("ad-publicidad", "between", "<div><small>- Publicidad -</small></div>", "Publicidad", "ads"),
    ("ad-reklama", "between", "<div>Реклама</div>", "Реклама", "ads"),
    ("ad-sponsored", "between", "<span>Sponsored</span>", "Sponsored", "ads"),
    ("ad-continue-reading", "between", "<div><p>Advertisement - Continue Reading Below</p></div>",
     "Continue Reading Below", "ads"),
    ("around-the-web", "outside",
     "<div><h3>Around the Web</h3><ul><li><a href='https://partner.example/x'>Doctors stunned by this trick</a>"
     "</li></ul></div>", "Doctors stunned by this trick", "ads"),
    ("ad-slot-class", "between", "<div class='ad-slot ad-slot--inarticle'><img src='/b.gif' alt=''></div>",
     "", "ads"),
    ("most-popular", "outside",
     "<section><h2>Most Popular</h2><ol><li><a href='/a/'>Council approves new marina</a></li><li><a "
     "href='/b/'>Storm closes coast road</a></li></ol></section>", "Council approves new marina", "widgets"),
    ("trending", "outside",
     "<div><h3>Trending</h3><a href='/c/'>Lighthouse keeper retires after forty years</a></div>",
     "Lighthouse keeper retires", "inline-related"),
    ("recent-posts", "outside",
     "<aside id='recent-posts-2' class='widget widget_recent_entries'><h2 class='widget-title'>Recent Posts</h2>"
     "<ul><li><a href='/d/'>Fishing quotas cut again</a></li></ul></aside>", "Fishing quotas cut again",
     "widgets"),
    ("tag-cloud", "outside",
     "<div class='tagcloud'><a href='/t/ferry'>ferry</a> <a href='/t/harbour'>harbour</a></div>", "",
     "tags-meta"),
    ("addtoany", "after",
     "<div class='addtoany_share_save_container addtoany_content'><div class='a2a_kit addtoany_list'><a "
     "class='a2a_button_facebook' href='#'>Facebook</a><a class='a2a_button_x' href='#'>X</a></div></div>",
     "Facebook", "share"),
    ("sassy", "between",
     "<div class='heateor_sss_sharing_container'><div class='heateor_sss_sharing_title'>Spread the love</div>"
     "<a class='heateor_sss_button_facebook'>Facebook</a></div>", "Spread the love", "share"),
    ("addthis", "after", "<div class='addthis_toolbox'><a href='/x'>Tweet</a><a href='/y'>Pin it</a></div>",
     "Pin it", "share"),
    ("mashshare", "after", "<aside class='mashsb-container'><span class='mashsb-count'>1.2k</span>"
     "<a href='/x'>Share on Facebook</a></aside>", "Share on Facebook", "share"),
    ("convertkit", "after", "<div class='formkit-form'><h3>Ferry alerts in your inbox</h3><p>One e-mail a week."
     "</p></div>", "Ferry alerts in your inbox", "newsletter"),
    ("rp4wp", "after", "<div class='rp4wp-related-posts'><h3>Keep exploring</h3><ul><li><a href='/e/'>Bridge "
     "tolls rise again</a></li></ul></div>", "Bridge tolls rise again", "related-block"),
    ("sharethis", "after", "<div class='sharethis-inline-share-buttons'><span>Share</span></div>", "Share",
     "share"),
    ("jetpack-sharedaddy", "after",
     "<div class='sharedaddy sd-sharing-enabled'><h3 class='sd-title'>Share this:</h3><ul><li><a "
     "href='#'>Twitter</a></li></ul></div>", "Share this", "share"),
    ("classless-share", "after",
     "<div><b>Share this article:</b> <a href='#'>Facebook</a> <a href='#'>WhatsApp</a> <a href='#'>Email</a>"
     "</div>", "Share this article", "share"),
    ("mailchimp", "after",
     "<div id='mc_embed_signup'><form action='https://example.us1.list-manage.com/subscribe/post' method='post'>"
     "<h2>Get the Gazette weekly</h2><input type='email' name='EMAIL'></form></div>", "Get the Gazette weekly",
     "newsletter"),
    ("classless-newsletter", "outside",
     "<div><h3>Subscribe to our newsletter</h3><p>The week's harbour news every Friday morning.</p></div>",
     "every Friday morning", "newsletter"),
    ("yoast-breadcrumbs", "outside",
     "<p id='breadcrumbs'><span><a href='/'>Home</a> » <a href='/local/'>Local</a></span></p>", "Local",
     "breadcrumbs"),
    ("classless-breadcrumbs", "between",
     "<div><a href='/'>Home</a> &gt; <a href='/top/'>Top Stories</a></div>", "Top Stories", "breadcrumbs"),
    ("complianz", "outside",
     "<div class='cmplz-cookiebanner'><div class='cmplz-message'>We use cookies to optimise the site.</div>"
     "<button>Accept</button></div>", "We use cookies", "consent"),
    ("classless-consent", "outside",
     "<div><p>This website uses cookies to improve your experience.</p><a href='/privacy/'>Privacy policy</a>"
     "</div>", "uses cookies", "consent"),
    ("author-box", "after",
     "<div class='author-box'><h4>Mara Quinn</h4><p>Mara covers transport and the waterfront.</p></div>",
     "Mara covers transport", "author-bio"),
    ("classless-author-bio", "after",
     "<section><h3>About the author</h3><p>Mara Quinn has covered the harbour for twelve years.</p></section>",
     "covered the harbour for twelve years", "author-bio"),
    ("tags-line", "after", "<p>Tags: <a href='/t/quay'>quayside</a>, <a href='/t/tides'>tidal crossings</a></p>",
     "tidal crossings", "tags-meta"),
    ("tags-list", "after",
     "<ul class='td-tags'><li><span>ETIQUETAS</span></li><li><a href='/t/a'>puerto</a></li></ul>", "ETIQUETAS",
     "tags-meta"),
    ("filed-under", "after", "<div>Filed under: <a href='/c/local'>Local news</a></div>", "Local news",
     "tags-meta"),
    ("affiliate-disclosure", "between",
     "<p>This post contains affiliate links, and we may earn a small commission.</p>", "affiliate links",
     "disclosure"),
    ("report-typo-lv", "after",
     "<div><b>Kļūda rakstā?</b> Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu labojamo teksta "
     "fragmentu redaktoram!</div>", "Ctrl+Enter", "widgets"),
    ("report-typo-ru", "after", "<p>Нашли ошибку? Выделите её и нажмите Ctrl + Enter</p>", "Нашли ошибку",
     "widgets"),
    ("related-th", "between",
     "<p><strong>เรื่องที่เกี่ยวข้อง:</strong> <a href='/n/1'>ตำรวจเร่งหาเบาะแสคดีฆาตกรรมริมแม่น้ำโขง</a></p>",
     "ตำรวจเร่งหาเบาะแส", "inline-related"),
    ("paywall-prompt-ja", "after",
     "<div><p><span>［有料会員限定］</span> この記事は会員限定です。"
     "電子版に登録すると続きをお読みいただけます。</p></div>",
     "会員限定", "newsletter"),
    ("screen-reader-label", "between",
     "<figure><img src='/pier.jpg' alt='The pier'><figcaption><span class='off-screen'>Image caption</span>"
     "<span class='media-caption__text'>The pier at low tide.</span></figcaption></figure>", "Image caption",
     "nav-footer"),
    ("wiki-hatnote", "between",
     "<div role='note' class='hatnote navigation-not-searchable'>Main article: <a href='/wiki/Ferry'>Ferry</a>"
     "</div>", "Main article", "inline-related"),
    ("jump-to-recipe", "between", "<div><a href='#recipe'>Jump to Recipe</a></div>", "Jump to Recipe",
     "recipe-chrome"),
    ("table-of-contents", "between",
     "<div class='ez-toc-container'><p>Table of Contents</p><ul><li><a href='#a'>Timetable</a></li></ul></div>",
     "Table of Contents", "toc"),
    ("related-posts-list", "after",
     "<h3>Related Posts:</h3><ul><li><a href='/e/'>Bridge tolls rise again</a></li><li><a href='/f/'>New "
     "pier opens</a></li></ul>", "Bridge tolls rise again", "related-block"),
    ("related-cards", "after",
     "<h2>You may also like</h2><div><a href='/h/'><img src='/h.jpg' alt=''></a><h3><a href='/h/'>Pier lights "
     "restored</a></h3><p>Volunteers repainted the old lamps before the summer season began.</p></div>"
     "<div><h3><a href='/i/'>Ferry crews win award</a></h3><p>The crews were honoured for a winter rescue.</p></div>",
     "Volunteers repainted the old lamps", "related-block"),
    ("about-the-author-line", "after",
     "<h3>About the author</h3><p>Mara Quinn has reported on the harbour since 2012 and writes the weekly "
     "tides column.</p>", "writes the weekly tides column", "author-bio"),
    ("yarpp", "after",
     "<div class='yarpp yarpp-related'><h3>Related posts:</h3><ol><li><a href='/g/'>Tide tables explained</a>"
     "</li></ol></div>", "Tide tables explained", "related-block"),
    ("comments-closed", "after", "<p class='nocomments'>Comments are closed.</p>", "Comments are closed",
     "comments"),
    ("reading-time", "between", "<div><span>7 min read</span></div>", "7 min read", "tags-meta"),
    ("comment-count-colon", "after", "<div><span>Comments: 4</span></div>", "Comments: 4", "comments"),
    ("follow-us", "outside",
     "<div><h4>Follow us on Instagram</h4><a href='https://instagram.example/gazette'>@harbourgazette</a></div>",
     "@harbourgazette", "widgets"),
    ("newsletter-pitch", "after",
     "<p>Sign up for our free newsletter and get the week's harbour news every Friday.</p>",
     "Sign up for our free newsletter", "newsletter"),
    ("paywall", "after", "<div><p>Subscribe to continue reading. Already a subscriber? Log in.</p></div>",
     "Subscribe to continue reading", "newsletter"),
    ("classless-login", "outside",
     "<div><div>Sign in</div><div>Welcome! Log into your account</div><div>Forgot your password? Get help</div>"
     "</div>", "Log into your account", "login-modal"),
    ("login-modal", "outside",
     "<div id='login-form' class='white-popup-block mfp-hide'><div>Welcome! Log into your account</div></div>",
     "Log into your account", "login-modal"),
]


def _place(where: str, snippet: str) -> str:
    return {"between": _page(between=snippet), "after": _page(after=snippet), "outside": _page(outside=snippet)}[where]


@pytest.mark.parametrize(("where", "snippet", "junk", "kind"), [case[1:] for case in BOILERPLATE],
                         ids=[case[0] for case in BOILERPLATE])
def test_boilerplate_goes_from_the_whole_page(where: str, snippet: str, junk: str, kind: str) -> None:
    text, ctx = _whole_page(_place(where, snippet))
    _assert_gone(text, ctx, junk or "\0", kind)
    _assert_article_whole(text)


@pytest.mark.parametrize(("where", "snippet", "junk", "kind"), [case[1:] for case in BOILERPLATE],
                         ids=[case[0] for case in BOILERPLATE])
def test_boilerplate_is_absent_from_the_service_output(where: str, snippet: str, junk: str, kind: str) -> None:
    article = readerly.extract(_place(where, snippet), url=URL)
    if junk:
        assert junk not in article.text and junk not in article.content
    assert all(paragraph in article.text for paragraph in PARAGRAPHS)


@pytest.mark.parametrize(("where", "snippet", "junk", "kind"),
                         [case[1:] for case in BOILERPLATE if case[1] != "outside"],
                         ids=[case[0] for case in BOILERPLATE if case[1] != "outside"])
def test_boilerplate_left_inside_the_article_goes(where: str, snippet: str, junk: str, kind: str) -> None:
    fragment = _article(between=snippet) if where == "between" else _article(after=snippet)
    text, ctx = _inside_article(fragment)
    _assert_gone(text, ctx, junk or "\0", kind)
    _assert_article_whole(text)


# --- unlabelled injections inside the article -----------------------------------------------------------

@pytest.mark.parametrize(
    ("snippet", "goes"),
    [
        ("<p><a href='/2024/04/night-buses-return-to-the-island/'>Night buses return to the island</a></p>", True),
        ("<p><strong><a href='https://www.news.example.org/local/98765'>Island council votes on new pier "
         "plans</a></strong></p>", True),
        ("<p>» <a href='/night-buses-return-to-the-island/'>Night buses return to the island</a></p>", True),
        ("<p><a href='https://other.example.com/night-buses-return/'>Night buses return to the island</a></p>",
         False),
        ("<p><a href='/night-buses-return-to-the-island/'>Click here for the rest of the timetable story.</a></p>",
         False),
        ("<p><a href='/download/'>Download the full timetable now</a></p>", False),
        ("<p><a href='/night-buses-return-to-the-island/'>Timetable</a></p>", False),
        ("<blockquote class='wp-embedded-content'><a href='/2024/04/night-buses-return-to-the-island/'>Night buses "
         "return to the island</a></blockquote>", True),
        ("<p><a href='/night-buses-return-to-the-island/'><img src='/bus.jpg' alt='A night bus on the quay'>"
         "A night bus waiting on the quay</a></p>", False),
    ],
    ids=["relative-slug", "same-host-id", "bullet", "other-site", "sentence", "no-post-path", "one-word", "post-embed",
         "image"],
)
def test_a_bare_linked_headline_inside_the_article(snippet: str, goes: bool) -> None:
    link_text = " ".join(lxml.html.fragment_fromstring(snippet, create_parent="div").text_content().split())
    text, ctx = _inside_article(_article(between=snippet))
    assert (link_text not in text) is goes
    assert any(r.rule == "structure:linked-headline" for r in ctx.removed) is goes
    _assert_article_whole(text)


CARD_LINK = "https://news.example.org/2024/04/night-buses-return-to-the-island/"


@pytest.mark.parametrize(
    ("snippet", "goes"),
    [
        (f"<div><a href='{CARD_LINK}'><img src='/bus.jpg'></a><h6><a href='{CARD_LINK}'>Night buses return</a></h6>"
         f"<p>When the last ferry leaves, the island is cut off until dawn, or it was until…"
         f"<a href='{CARD_LINK}'>Read more</a></p></div>", True),
        (f"<p>Le dernier bateau parti, l'île était coupée du monde jusqu'à l'aube... <a href='{CARD_LINK}'>Lire la "
         "suite</a></p>", True),
        (f"<p>When the last ferry leaves, the island is cut off until dawn, the mayor said. <a href='{CARD_LINK}'>"
         "Read more</a></p>", False),
        (f"<p>The mayor paused… then said the buses would run <a href='{CARD_LINK}'>from May</a>, and the <a "
         "href='/timetable/'>timetable</a> is out.</p>", False),
        (f"<p>“We waited and waited…” <a href='{CARD_LINK}'>one commuter told us about the old service and its "
         "many delays</a></p>", False),
        (f"<div><a href='{CARD_LINK}'><img src='/bus.jpg'></a><a href='{CARD_LINK}'><h6>Night buses return</h6></a>"
         "<p>When the last ferry leaves, the island is cut off until dawn, or it was until…</p></div>", True),
        (f"<p>The mayor <a href='{CARD_LINK}'>promised buses</a> and then, after a long pause, added nothing…</p>",
         False),
    ],
    ids=["card", "french-excerpt", "no-ellipsis", "two-targets", "long-last-link", "read-more-gone",
         "prose-trailing-off"],
)
def test_a_teaser_card_for_another_post_inside_the_article(snippet: str, goes: bool) -> None:
    text, ctx = _inside_article(_article(between=snippet))
    assert any(r.rule == "structure:teaser-card" for r in ctx.removed) is goes
    words = " ".join(lxml.html.fragment_fromstring(snippet, create_parent="div").text_content().split())[:30]
    assert (words not in text) is goes
    _assert_article_whole(text)


def test_a_bare_linked_headline_on_the_whole_page_is_left_to_the_article_pass() -> None:
    snippet = "<p><a href='/2024/04/night-buses-return-to-the-island/'>Night buses return to the island</a></p>"
    whole, _ctx = _whole_page(_page(between=snippet))
    assert "Night buses return to the island" in whole
    assert "Night buses return to the island" not in readerly.extract(_page(between=snippet), url=URL).text


def test_a_labelled_teaser_box_with_an_excerpt_goes() -> None:
    snippet = ("<div class='k9'><span>Read also</span><a href='/night-buses/'><img src='/n.jpg' alt=''></a>"
               f"<h4><a href='/night-buses/'>{HEADLINE}</a></h4><p>The council restored the service after "
               "a two-year pause that left late workers without a way home.</p></div>")
    text, ctx = _inside_article(_article(between=snippet))
    _assert_gone(text, ctx, "late workers without a way home", "inline-related")


def test_a_paragraph_starting_with_a_label_keeps_its_sentence() -> None:
    snippet = ("<p>Related: <a href='/night-buses/'>night buses</a> will also run more often, the authority "
               "said, although the exact timetable has not been agreed with the drivers' union.</p>")
    text, _ctx = _inside_article(_article(between=snippet))
    assert "although the exact timetable has not been agreed" in text


@pytest.mark.parametrize("trail", ["Home » Recipes » Chili & Stews", "Home › City Hall", "Inicio > Ciudad",
                                   "Startseite / Umwelt"])
def test_a_breadcrumb_trail_in_plain_text_goes(trail: str) -> None:
    text, ctx = _whole_page(_page(outside=f"<div class='trail'>{trail}</div>"))
    _assert_gone(text, ctx, trail, "breadcrumbs")


# --- whole pages: this project's own test pages and the shared boilerplate corpus -----------------------

PAGES = Path(__file__).resolve().parents[1] / "pages" / "boilerplate"
OWN_PAGES = sorted(PAGES.glob("*.html"))
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
BOILERPLATE_DEV = CORPUS / "boilerplate-dev"
# Strings are compared the way the shared scorer compares them: NFKC, typographic quotes, dashes and
# spaces folded, whitespace collapsed, case folded, matched at word boundaries.
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"',
                       "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
                       "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                       "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "", "\u2026": "...", "|": " "})


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split()).casefold()


def _contains(haystack: str, needle: str) -> bool:
    wanted = _norm(needle)
    before = r"(?<!\w)" if wanted[:1].isalnum() or wanted[:1] == "_" else ""
    after = r"(?!\w)" if wanted[-1:].isalnum() or wanted[-1:] == "_" else ""
    return re.search(before + re.escape(wanted) + after, haystack) is not None


def _check_page(html: str, truth: dict[str, Any]) -> None:
    text = _norm(readerly.extract(html, url=truth["url"]).text)
    missing = [s for s in truth["must_contain"] if not _contains(text, s)]
    leaked = [s for s in truth["must_not_contain"] if _contains(text, s)]
    assert not missing and not leaked, f"missing: {missing}\nleaked: {leaked}"


@pytest.mark.parametrize("page", OWN_PAGES, ids=[p.stem for p in OWN_PAGES])
def test_own_pages_keep_the_article_and_lose_the_boilerplate(page: Path) -> None:
    truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    _check_page(page.read_text(encoding="utf-8"), truth)


_RULE_PREFIXES = ("class:", "id:", "tag:", "role:", "label:", "structure:")


@pytest.mark.parametrize("page", OWN_PAGES, ids=[p.stem for p in OWN_PAGES])
def test_every_removal_names_a_known_kind_and_its_rule(page: Path) -> None:
    truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    removed = readerly.extract(page.read_text(encoding="utf-8"), url=truth["url"]).removed
    assert removed
    for removal in removed:
        assert removal.kind in RULES.kinds
        assert removal.rule.startswith(_RULE_PREFIXES) and len(removal.rule) > len("tag:")
        assert len(removal.text) <= 80 and removal.text.rstrip() == " ".join(removal.text.split())


# Failures caused by another stage, named so they are fixed there (the mark is strict: a pass fails).
_OTHER_STAGE: dict[str, str] = {}


def _dev_pages() -> list[Any]:
    if not BOILERPLATE_DEV.is_dir():
        return [pytest.param(None, id="missing")]
    return [
        pytest.param(page, id=page.name, marks=[pytest.mark.xfail(strict=True, reason=_OTHER_STAGE[page.name])]
                     if page.name in _OTHER_STAGE else [])
        for page in sorted(p for p in BOILERPLATE_DEV.iterdir() if (p / "truth.json").is_file())
    ]


@pytest.mark.slow
@pytest.mark.parametrize("page", _dev_pages())
def test_boilerplate_dev_corpus(page: Path | None) -> None:
    if page is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"required in CI: boilerplate corpus not found at {BOILERPLATE_DEV}")
        pytest.skip(f"boilerplate corpus not found at {BOILERPLATE_DEV}")
    truth = json.loads((page / "truth.json").read_text(encoding="utf-8"))
    _check_page((page / "page.html").read_text(encoding="utf-8"), truth)


# --- an author box known only by the author's name ------------------------------------------------------

AUTHOR = "Mara Quinn"
AUTHOR_BOX = (f"<div><div><img src='/mara.jpg' alt=''></div><h4>{AUTHOR}</h4><p>Mara covers transport and the "
              "waterfront for the Gazette and has lived on the north shore all her life.</p></div>")


def test_a_classless_author_box_after_the_story_goes() -> None:
    ctx = Context(url=URL, metadata=Metadata(byline=AUTHOR))
    content = strip_article(lxml.html.fragment_fromstring(_article(after=AUTHOR_BOX), create_parent="div"), ctx)
    text = " ".join(content.text_content().split())
    _assert_gone(text, ctx, "has lived on the north shore", "author-bio")
    _assert_article_whole(text)
    html = _page(after=AUTHOR_BOX).replace("<head>", f"<head><meta name='author' content='{AUTHOR}'>")
    assert "has lived on the north shore" not in readerly.extract(html, url=URL).text


def test_a_passage_opening_with_the_authors_name_inside_the_story_stays() -> None:
    passage = (f"<div><p><strong>{AUTHOR}</strong> took the first sailing of the new timetable at ten past six "
               "to see how the crew coped.</p></div>")
    ctx = Context(url=URL, metadata=Metadata(byline=AUTHOR))
    content = strip_article(lxml.html.fragment_fromstring(_article(between=passage), create_parent="div"), ctx)
    assert "took the first sailing of the new timetable" in content.text_content()


def _without_class_or_id(html: str) -> str:
    """The same page with every class, id and role removed: what the label and structure rules alone do."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter():
        if isinstance(element.tag, str):
            for attribute in ("class", "id", "role"):
                element.attrib.pop(attribute, None)
    return lxml.html.tostring(tree, encoding="unicode")


@pytest.mark.slow
@pytest.mark.parametrize("page", [pytest.param(*p.values, id=p.id) for p in _dev_pages()])
def test_boilerplate_dev_corpus_by_labels_alone(page: Path | None) -> None:
    if page is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"required in CI: boilerplate corpus not found at {BOILERPLATE_DEV}")
        pytest.skip(f"boilerplate corpus not found at {BOILERPLATE_DEV}")
    truth = json.loads((page / "truth.json").read_text(encoding="utf-8"))
    _check_page(_without_class_or_id((page / "page.html").read_text(encoding="utf-8")), truth)
