"""Stage 5: lazy images, absolute URLs, embeds as links, empty wrappers gone, structure kept."""

from __future__ import annotations

import lxml.html
import pytest

from readerly.pipeline.context import Context
from readerly.pipeline.tidy import tidy_article

PAGE_URL = "https://example.com/news/2024/story.html"


def _tidy(fragment: str, url: str | None = PAGE_URL) -> lxml.html.HtmlElement:
    return tidy_article(lxml.html.fragment_fromstring(fragment, create_parent="div"), Context(url=url))


@pytest.mark.parametrize(
    ("img", "expected"),
    [
        ('<img src="data:image/gif;base64,R0lGOD" data-src="/a.jpg">', "https://example.com/a.jpg"),
        ('<img data-lazy-src="b.jpg">', "https://example.com/news/2024/b.jpg"),
        ('<img src="/img/blank.gif" data-original="//cdn.example.net/c.jpg">', "https://cdn.example.net/c.jpg"),
        ('<img srcset="s.jpg 320w, l.jpg 1024w, m.jpg 640w">', "https://example.com/news/2024/l.jpg"),
        ('<img data-srcset="x1.jpg 1x, x2.jpg 2x">', "https://example.com/news/2024/x2.jpg"),
        ('<img src="real.jpg" data-src="other.jpg">', "https://example.com/news/2024/real.jpg"),
    ],
    ids=["data-src", "data-lazy-src", "data-original", "srcset-widest", "data-srcset-density", "real-src-wins"],
)
def test_lazy_images_get_their_real_source(img: str, expected: str) -> None:
    root = _tidy(f"<figure>{img}<figcaption>Caption</figcaption></figure>")
    image = root.find(".//img")
    assert image is not None
    assert image.get("src") == expected
    assert not any(a.startswith("data-") or a == "srcset" for a in image.attrib)


def test_picture_source_fills_a_missing_img_src() -> None:
    root = _tidy('<picture><source srcset="/p-800.webp 800w, /p-1600.webp 1600w"><img alt="p"></picture>')
    assert root.find(".//img").get("src") == "https://example.com/p-1600.webp"
    assert root.find(".//picture") is None and root.find(".//source") is None


def test_urls_are_made_absolute_against_the_page_and_base() -> None:
    root = _tidy('<p><a href="../other.html">other</a> <a href="#note">note</a></p>')
    links = [a.get("href") for a in root.iter("a")]
    assert links == ["https://example.com/news/other.html", "#r-note"]


def test_the_documents_base_wins_over_the_page_url() -> None:
    ctx = Context(url=PAGE_URL)
    ctx.base_url = "https://static.example.org/root/"
    root = tidy_article(lxml.html.fragment_fromstring('<p><img src="i.png"> text</p>', create_parent="div"), ctx)
    assert root.find(".//img").get("src") == "https://static.example.org/root/i.png"


def test_media_embeds_become_links_to_what_they_played() -> None:
    root = _tidy('<p>Intro</p><iframe src="https://www.youtube.com/embed/abc" title="Launch video"></iframe>'
                 '<iframe src="https://player.vimeo.com/video/1"></iframe><p>Outro</p>')
    assert root.find(".//iframe") is None
    links = [(a.get("href"), a.text) for a in root.iter("a")]
    assert links == [("https://www.youtube.com/embed/abc", "Launch video"),
                     ("https://player.vimeo.com/video/1", "Embedded media from player.vimeo.com")]
    assert root.find("p").text_content() == "Intro"


@pytest.mark.parametrize("embed", [
    '<iframe src="about:blank"></iframe>',
    '<iframe src="https://ads.example-network.com/slot?id=3"></iframe>',
    '<object data="foo.swf" type="application/x-shockwave-flash"><embed src="foo.swf"></object>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://youtube.com.evil.example/embed"></iframe>',
])
def test_other_frames_are_dropped(embed: str) -> None:
    root = _tidy(f"<p>Intro</p>{embed}<p>Outro</p>")
    assert [e.tag for e in root.iter()] == ["div", "p", "p"]


def test_empty_wrappers_are_dropped_but_images_and_rules_stay() -> None:
    root = _tidy('<div><span> </span><div><p></p></div></div><p>Text</p><div><img src="a.png"></div><hr>')
    assert [e.tag for e in root.iter()] == ["div", "p", "div", "img", "hr"]


def test_structure_is_kept_intact() -> None:
    fragment = ('<h2>Head</h2><blockquote><p>Quote</p></blockquote><ul><li>One</li></ul>'
                '<table><tr><td>1</td><td></td></tr></table><pre><code>  x = 1\n    y</code></pre>')
    root = _tidy(fragment)
    assert [e.tag for e in root] == ["h2", "blockquote", "ul", "table", "pre"]
    assert root.find(".//pre/code").text == "  x = 1\n    y"
    assert len(root.findall(".//td")) == 2


def test_whitespace_only_inline_wrappers_keep_the_space_between_words() -> None:
    root = _tidy("<p><span>03-584-7231</span><span> </span><span>mobile</span></p>")
    assert root.text_content() == "03-584-7231 mobile"


@pytest.mark.parametrize(
    ("fragment", "kept"),
    [
        ("<p>By Nathan Willis March 25, 2015</p><p>The Arduino has been a success story.</p>", False),
        ("<div class='x'>Written by Rob Ewaschuk, edited by Betsy Beyer</div><p>Google's teams.</p>", False),
        ("<p>The Arduino has been a success story, Nathan Willis writes, and it keeps growing today in many "
         "places around the world.</p>", True),
        ("<p>Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13 | Par Nathan Willis (avec Damien "
         "Leloup et Morgane Tual)</p><p>Les députés ont adopté le projet de loi.</p>", False),
        ("<p>On 25 March 2015 the Arduino team, Nathan Willis among them, met in Turin to settle the quarrel over "
         "the name.</p><p>More.</p>", True),
    ],
    ids=["by-line", "written-by", "name-inside-running-text", "dateline", "dated-sentence"],
)
def test_a_byline_repeated_above_the_text_is_dropped(fragment: str, kept: bool) -> None:
    from readerly.article import Metadata

    ctx = Context(url=PAGE_URL)
    ctx.metadata = Metadata(byline="Nathan Willis, Rob Ewaschuk")
    root = tidy_article(lxml.html.fragment_fromstring(fragment, create_parent="div"), ctx)
    names_left = "Nathan Willis" in root.text_content() or "Rob Ewaschuk" in root.text_content()
    assert names_left is kept


def test_footnote_ids_and_links_are_namespaced_together() -> None:
    root = _tidy('<p>Claim<sup id="fnref1"><a href="#fn1">1</a></sup> <a name="top"></a></p>'
                 '<ol><li id="fn1">Source. <a href="#fnref1">↩</a></li></ol><p><a href="#">top</a></p>')
    assert root.find(".//sup").get("id") == "r-fnref1"
    assert [a.get("href") for a in root.iter("a") if a.get("href")] == ["#r-fn1", "#r-fnref1", "#"]
    assert root.find(".//li").get("id") == "r-fn1"


@pytest.mark.parametrize(
    ("fragment", "left"),
    [
        ("<h1>Rail yard plan splits the town</h1><p>Body text.</p>", "Body text."),
        ("<p class='kicker'>Local politics</p><h1>Rail yard plan splits the town</h1><p>Body text.</p>", "Body text."),
        ("<p>An intro paragraph long enough to be the article's own text.</p>"
         "<h2>Rail yard plan splits the town</h2><p>Body text.</p>",
         "An intro paragraph long enough to be the article's own text.Rail yard plan splits the townBody text."),
        ("<h2>A different section title</h2><p>Body text.</p>", "A different section titleBody text."),
    ],
    ids=["title", "kicker-and-title", "heading-after-text", "other-heading"],
)
def test_the_title_repeated_at_the_top_is_dropped(fragment: str, left: str) -> None:
    from readerly.article import Metadata

    ctx = Context(url=PAGE_URL)
    ctx.metadata = Metadata(title="Rail yard plan splits the town")
    root = tidy_article(lxml.html.fragment_fromstring(fragment, create_parent="div"), ctx)
    assert root.text_content() == left


@pytest.mark.parametrize(
    ("fragment", "left"),
    [
        ("<h1>Rail yard plan splits the town</h1><p>Body text.</p>", "Body text."),
        ("<h1>Harbour Gazette notebook</h1><p>Body text.</p>", "Harbour Gazette notebookBody text."),
        # only the headline before the first separator counts, not the site's part
        ("<h2>The Harbour Gazette (Notes, Letters, Archive)</h2><p>Body text.</p>",
         "The Harbour Gazette (Notes, Letters, Archive)Body text."),
    ],
    ids=["headline-part", "other-heading", "site-part"],
)
def test_the_headline_is_found_in_a_title_with_a_long_site_name(fragment: str, left: str) -> None:
    from readerly.article import Metadata

    ctx = Context(url=PAGE_URL)
    ctx.metadata = Metadata(title="Rail yard plan splits the town - The Harbour Gazette (Notes, Letters, Archive)")
    root = tidy_article(lxml.html.fragment_fromstring(fragment, create_parent="div"), ctx)
    assert root.text_content() == left


SENTENCE = "the very quality that made neon a poor choice indoors made it perfect for signs"


@pytest.mark.parametrize(
    ("fragment", "quotes_left"),
    [
        (f"<p>Of course, {SENTENCE}, she notes.</p><aside class='pq'>The very quality that made neon a poor "
         "choice indoors made it perfect for signs.</aside><p>More text follows here.</p>", 0),
        (f"<p>Of course, she notes, signs were another matter.</p><blockquote>{SENTENCE}</blockquote>", 1),
        (f"<p>She wrote:</p><blockquote><p>{SENTENCE}?</p></blockquote><p>People answered:</p>"
         f"<blockquote><p>{SENTENCE}?</p><p>Maybe because you said so.</p></blockquote>", 2),
    ],
    ids=["pull-quote", "quotation", "quoted-twice"],
)
def test_a_pull_quote_repeating_the_text_goes(fragment: str, quotes_left: int) -> None:
    root = _tidy(fragment)
    assert len(root.findall(".//aside") + root.findall(".//blockquote")) == quotes_left
    assert root.text_content().count("perfect for signs") == (1 if quotes_left == 0 else quotes_left)


@pytest.mark.parametrize(
    ("fragment", "headings_left"),
    [
        ("<h2>Story</h2><p>Text.</p><h2>See also</h2>", ["Story"]),
        ("<h2>Story</h2><p>Text.</p><h2>Comments</h2><div><h3>Latest</h3></div><h2>Notes</h2><p>A note.</p>",
         ["Story", "Notes"]),
        ("<h2>Part one</h2><h3>The start</h3><p>Text.</p><h3>Pictures</h3><figure><img src='a.jpg'></figure>",
         ["Part one", "The start", "Pictures"]),
        ("<p>Text.</p><h3><a href='/report'>The full report</a></h3><h3>Contributors</h3><p>Jo, Sam.</p>",
         ["The full report", "Contributors"]),
        ("<h2>Story</h2><div><p>Text.</p></div>Closing words<h2>End</h2>", ["Story"]),
        # a long run of emptied sections, each passed over by the heading before it
        ("<h2>Story</h2><p>Text.</p>" + "".join(f"<div><h3>Teaser {i}</h3></div>" for i in range(300))
         + "<h3>Tail</h3>after", ["Story", "Tail"]),
        ("<h2>Story</h2><p>Text.</p>" + "".join(f"<div><h3>Teaser {i}</h3></div>" for i in range(300))
         + "<h2>Notes</h2><p>A note.</p>", ["Story", "Notes"]),
    ],
    ids=["trailing", "nested-empty", "subsections-and-figures", "linked-heading-stays", "tail-text",
         "run-then-text", "run-then-section"],
)
def test_headings_with_nothing_under_them_go(fragment: str, headings_left: list[str]) -> None:
    root = _tidy(fragment)
    assert [h.text_content() for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")] == headings_left
    assert "Text." in root.text_content()


def test_a_file_named_like_a_placeholder_is_kept_when_nothing_replaces_it() -> None:
    root = _tidy("<p><img src='/img/blanket-coverage.png' alt='screenshot'>"
                 "<img src='/img/blank.gif' data-src='/img/real.jpg'>"
                 "<img src='/img/spacer.gif' srcset='/w.jpg 2x'></p>")
    assert [img.get("src") for img in root.iter("img")] == [
        "https://example.com/img/blanket-coverage.png", "https://example.com/img/real.jpg", "https://example.com/w.jpg"]


def test_a_placeholder_in_a_picture_gives_way_to_the_pictures_sources() -> None:
    root = _tidy("<figure><picture><source srcset='https://e.com/big.jpg 1000w'>"
                 "<img src='https://e.com/placeholder.gif'></picture></figure>")
    assert [img.get("src") for img in root.iter("img")] == ["https://e.com/big.jpg"]


def test_image_urls_lazy_loaders_leave_in_attributes_of_their_own_naming_are_used() -> None:
    root = _tidy("<figure itemid='https://cdn.example.com/a-large.jpg?quality=90'><figcaption>Ferry</figcaption>"
                 "</figure><p><img data-full-src='/img/b.webp' data-caption='A photo.jpg of the quay'>"
                 "<img data-sizes='/img/c-320.jpg 320w, /img/c-960.jpg 960w'><img data-caption='no picture'></p>")
    assert [img.get("src") for img in root.iter("img")] == [
        "https://cdn.example.com/a-large.jpg?quality=90", "https://example.com/img/b.webp",
        "https://example.com/img/c-960.jpg", None]


def test_of_a_graphic_drawn_per_screen_width_only_the_widest_copy_stays() -> None:
    root = _tidy(
        "<p>Interest costs are rising.</p><div class='ai2html'>"
        "<div class='g-artboard' data-min-width='300' data-max-width='599'><img src='/chart-small.png'>"
        "<p>Interest payments on the national debt</p></div>"
        "<div class='g-artboard' data-min-width='600'><img src='/chart-large.png'>"
        "<p>Interest payments on the national debt</p></div></div>"
        "<div data-min-width='300'><p>A lone block is no variant.</p></div>"
        "<table><tr><th data-min-width='80'>Member</th><th data-min-width='200'>Role</th></tr></table>"
        "<div class='split'><div data-min-width='240'><p>Left column.</p></div>"
        "<div data-min-width='480'><p>Right column.</p></div></div>"
    )
    assert [img.get("src") for img in root.iter("img")] == ["https://example.com/chart-large.png"]
    assert root.text_content().count("Interest payments on the national debt") == 1
    # columns with minimum widths are no copies: no maximum below the widest's minimum
    for kept in ("A lone block is no variant.", "Member", "Role", "Left column.", "Right column."):
        assert kept in root.text_content()
