"""Stage 4: readability-lxml's choice, and the fallbacks when it finds almost nothing."""

from __future__ import annotations

import lxml.html
import pytest

from readerly.article import Metadata
from readerly.pipeline.context import Context
from readerly.pipeline.extract import extract_article

PARAGRAPH = ("The council voted on Tuesday to extend the library's opening hours, after a year of "
             "petitions from students and shift workers who said the old schedule shut them out. ")


def _page(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")


def test_readability_finds_the_article_among_navigation() -> None:
    page = _page(
        "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(20)) + "</ul></nav>"
        f"<div class='post'><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p><p>{PARAGRAPH}</p></div>"
        "<footer><p>Copyright footer text</p></footer>"
    )
    ctx = Context(url="https://example.com/a")
    article = extract_article(page, ctx)
    text = article.text_content()
    assert "The council voted" in text
    assert "Section 7" not in text
    assert ctx.confidence > 0.5


def test_semantic_article_is_the_fallback_for_short_pages() -> None:
    short = "A short note of thirty odd words about the new opening hours that readability alone drops. " * 1
    page = _page(f"<div class='sidebar'><a href='/x'>Home</a></div><article><p>{short}</p><p>{short}</p></article>")
    article = extract_article(page, Context(url=None))
    assert "short note" in article.text_content()


CHINESE_PARAGRAPHS = (
    "市议会周二投票决定延长市立图书馆的开放时间，此前学生和轮班工人花了一年时间递交请愿书，表示旧的时间表把他们拒之门外。",
    "根据新的安排，图书馆在工作日将开放到晚上十点，周末则从上午九点开放到下午六点，自下个月第一个星期一起实施。",
    "议员们表示，延长开放时间所需的额外费用将由今年的文化预算支付，不会增加居民的税负，也不会减少其他服务。",
    "图书馆馆长说，她希望更长的开放时间能吸引更多年轻读者，并计划在晚间增加学习空间和免费的编程课程。",
)


def test_a_chinese_article_is_read_by_its_characters_not_its_spaces() -> None:
    # Chinese puts no spaces between words: the story is four "words" to str.split(), the list of
    # other stories beside it (dates and titles split by spaces) dozens.
    teasers = "".join(f"<li><a href='/n{i}'>新闻 标题 {i}</a> <span>2024年 5月 {i}日</span> <span>本地</span></li>"
                      for i in range(1, 13))
    page = _page(f"<div class='story-body'>{''.join(f'<p>{text}</p>' for text in CHINESE_PARAGRAPHS)}</div>"
                 f"<article class='more-news'><h2>相关新闻</h2><ul>{teasers}</ul></article>")
    ctx = Context(url="https://example.com/a")
    text = extract_article(page, ctx).text_content()
    assert all(paragraph in text for paragraph in CHINESE_PARAGRAPHS)
    assert "新闻 标题 7" not in text
    assert ctx.cjk and ctx.confidence > 0.5


def test_a_chinese_page_captured_with_a_dialog_open_keeps_its_article() -> None:
    # The dialog marks the page's wrapper aria-hidden; the wrapper holds most of the page's words only
    # when Chinese is counted by its characters, not by the spaces of the tag links below it.
    tags = "".join(f"<a href='/t/{i}'>tag {i} news</a> " for i in range(12))
    page = _page(f"<div aria-hidden='true'><article>{''.join(f'<p>{text}</p>' for text in CHINESE_PARAGRAPHS)}"
                 f"</article></div><footer>{tags}</footer><div role='dialog'>登录</div>")
    text = extract_article(page, Context(url="https://example.com/a")).text_content()
    assert all(paragraph in text for paragraph in CHINESE_PARAGRAPHS)


def _teaser_div(i: int, summary: str = "") -> str:
    return (f"<div class='card-{i}'><h2><a href='/s/{i}'>Ferry timetable story number {i} as seen from the harbour</a>"
            f"</h2>{summary}</div>")


def test_a_fallback_container_loses_the_link_blocks_readability_would_drop() -> None:
    from readerly.pipeline.extract import _drop_link_blocks

    container = lxml.html.fragment_fromstring(
        "<main>" + "".join(_teaser_div(i) for i in range(4))
        + _teaser_div(9, "<p>A summary long enough that the headline link is a small part of this card, which "
                         "a reader would read as a paragraph about the new ferry timetable and the pier. It goes on "
                         "to say when the first boat leaves and what the fares will be.</p>")
        + f"<div class='entry-content'><p>{PARAGRAPH}</p><ul>"
        + "".join(f"<li><a href='/b/{i}'>Bug {i} fixed</a></li>" for i in range(8)) + "</ul></div></main>")
    _drop_link_blocks(container, least_chars=10)
    text = container.text_content()
    assert "story number 0" not in text and "story number 3" not in text
    assert "story number 9" in text and "A summary long enough" in text
    # A block whose class says content may be up to half links (readability's weight of 25).
    assert "Bug 7 fixed" in text and "The council voted" in text


def test_a_fallback_container_is_cleaned_when_what_stays_is_readabilitys_own_short_choice() -> None:
    from readerly.pipeline.extract import _drop_link_blocks
    from readerly.pipeline.strip_stats import visible_chars

    brief = "<h1>Opening hours</h1><p>The library opens at nine from Monday.</p>"
    container = lxml.html.fragment_fromstring(f"<main><article>{brief}</article>"
                                              + "".join(_teaser_div(i) for i in range(10)) + "</main>")
    _drop_link_blocks(container, least_chars=visible_chars(lxml.html.fragment_fromstring(
        f"<div>{brief}</div>").text_content()))
    assert "opens at nine" in container.text_content() and "story number 7" not in container.text_content()


def test_a_linked_block_of_ten_commas_is_prose_as_readability_judges_it() -> None:
    from readerly.pipeline.extract import _drop_link_blocks

    stops = ", ".join(f"<a href='/stop/{i}'>Stop {i}</a>" for i in range(12))
    container = lxml.html.fragment_fromstring(f"<main><p>{PARAGRAPH}</p><div>The ferry calls at {stops}.</div>"
                                              + "".join(_teaser_div(i) for i in range(3)) + "</main>")
    _drop_link_blocks(container, least_chars=10)
    assert "Stop 11" in container.text_content() and "story number 2" not in container.text_content()


def test_a_fallback_container_that_is_all_links_is_kept_whole() -> None:
    from readerly.pipeline.extract import _drop_link_blocks

    container = lxml.html.fragment_fromstring("<main>" + "".join(_teaser_div(i) for i in range(4)) + "</main>")
    _drop_link_blocks(container, least_chars=10)
    assert "story number 3" in container.text_content()


def test_json_ld_article_body_is_the_last_resort() -> None:
    page = _page("<div id='app'></div>")
    ctx = Context(url=None)
    ctx.metadata = Metadata(article_body=(PARAGRAPH * 2) + "\n\nSecond block of the body text.")
    article = extract_article(page, ctx)
    assert [p.text for p in article.iter("p")][1] == "Second block of the body text."


@pytest.mark.parametrize(
    "placeholder",
    ["<img src='data:image/gif;base64,R0lG' class='lazy'>",
     "<div class='frame'><div><img src='https://example.com/blur.jpg'></div></div>"
     "<img class='slot'><img class='slot'>"],
    ids=["placeholder", "wrapped-placeholder-and-empty-slots"],
)
def test_noscript_images_replace_their_placeholders(placeholder: str) -> None:
    page = _page(
        f"<article><p>{PARAGRAPH * 3}</p>{placeholder}"
        "<noscript><img src='https://example.com/real.jpg' alt='real'></noscript>"
        f"<p>{PARAGRAPH * 3}</p></article>"
    )
    article = extract_article(page, Context(url="https://example.com/"))
    assert [img.get("src") for img in article.iter("img")] == ["https://example.com/real.jpg"]


def test_pictures_in_text_less_frames_stay_with_the_article() -> None:
    page = _page(
        f"<article><p>{PARAGRAPH * 3}</p><div class='image'><img src='https://example.com/a.jpg'></div>"
        f"<p>{PARAGRAPH * 3}</p><div class='image'><a href='https://example.com/a-large.jpg'>"
        "<img src='https://example.com/b.jpg'></a></div>"
        f"<p>{PARAGRAPH * 2}</p><div class='box'><a href='https://shop.example.net/offer'>"
        f"<img src='https://ads.example.net/c.jpg'></a></div><p>{PARAGRAPH}</p></article>"
    )
    article = extract_article(page, Context(url="https://example.com/"))
    sources = [img.get("src") for img in article.iter("img")]
    assert sources == ["https://example.com/a.jpg", "https://example.com/b.jpg"]


def test_invisible_elements_are_not_content() -> None:
    page = _page(
        f"<article><p>{PARAGRAPH * 3}</p><p aria-hidden='true'>Hidden duplicate label</p>"
        f"<div style='visibility: hidden'>Invisible teaser</div><p>{PARAGRAPH * 2}</p></article>"
    )
    text = extract_article(page, Context(url=None)).text_content()
    assert "Hidden duplicate" not in text and "Invisible teaser" not in text and "The council voted" in text


def test_an_aria_hidden_wrapper_holding_the_article_is_kept() -> None:
    """Captured while a dialog was open: the page's main wrapper is aria-hidden, the article inside."""
    page = _page(f"<div id='app' aria-hidden='true'><article><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p>"
                 "</article></div><div role='dialog'>Accept cookies?</div>")
    assert "The council voted" in extract_article(page, Context(url=None)).text_content()


def test_base_href_is_found_before_the_page_is_cut_down() -> None:
    page = lxml.html.document_fromstring(
        "<html><head><base href='/static/'></head><body>"
        f"<article><p>{PARAGRAPH * 3}</p><p><a href='more.html'>more</a> {PARAGRAPH * 2}</p></article></body></html>")
    ctx = Context(url="https://example.com/news/story")
    extract_article(page, ctx)
    assert ctx.base_url == "https://example.com/static/"


def test_script_text_is_not_counted_as_page_words() -> None:
    page = _page("<p>A short note of eight words, nothing more.</p><script>" + "var a = 1; " * 400 + "</script>")
    ctx = Context(url=None)
    extract_article(page, ctx)
    assert ctx.page_words == 8


def test_a_relative_base_is_applied_once() -> None:
    from readerly.pipeline import run

    body = f"<article><p>{PARAGRAPH * 3} <a href='foo/bar.html'>More</a></p><p>{PARAGRAPH * 3}</p></article>"
    html = f"<html><head><title>t</title><base href='base/'></head><body>{body}</body></html>"
    content = run(html, "http://example.com/test/page.html").content
    assert 'href="http://example.com/test/base/foo/bar.html"' in content


def test_a_gallery_list_stays_but_a_strip_of_teaser_pictures_goes() -> None:
    gallery = "".join(f"<li><a href='https://example.com/g{i}.jpg'><img src='https://example.com/g{i}-s.jpg'></a></li>"
                      for i in range(3))
    teasers = "".join(f"<li><a href='https://example.com/post-{i}/'><img src='https://example.com/t{i}.jpg'></a></li>"
                      for i in range(3))
    page = _page(f"<article><p>{PARAGRAPH * 3}</p><ul class='gallery'>{gallery}</ul><p>{PARAGRAPH * 3}</p>"
                 f"<ul class='strip'>{teasers}</ul><p>{PARAGRAPH * 2}</p></article>")
    sources = [img.get("src") for img in extract_article(page, Context(url="https://example.com/")).iter("img")]
    assert sources == [f"https://example.com/g{i}-s.jpg" for i in range(3)]


def test_beacons_go_from_readabilitys_output_too_and_pictures_before_empty_slots_stay() -> None:
    from readerly.pipeline import run

    body = (f"<article><p>{PARAGRAPH * 3}</p><noscript><img height='1' width='1' style='display:none' "
            "src='https://tracker.example.net/tr?id=1&ev=PageView'></noscript><p>"
            "<img src='https://example.com/a.jpg' alt='a'><img class='lazy'><noscript>"
            f"<img src='https://example.com/b.jpg' alt='b'></noscript></p><p>{PARAGRAPH * 3}</p></article>")
    content = run(f"<html><head><title>t</title></head><body>{body}</body></html>", "https://example.com/x").content
    assert "tracker.example.net" not in content
    assert "https://example.com/a.jpg" in content and "https://example.com/b.jpg" in content
