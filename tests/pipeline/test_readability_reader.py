"""Our departures from readability-lxml's rules: each kept only where it brings back article text."""

from __future__ import annotations

import lxml.html

from readerly.pipeline.readability_reader import reader_article
from readerly.pipeline.readability_tree import readability_article

REVIEW = ("Beloved cult hit gets the treatment it deserves, and the results are terrific: the remaster is "
          "faithful, the new mode is a joy, and it only gets better the more you play it, too. ")


def _page(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")


def _headings(article: lxml.html.HtmlElement) -> list[str]:
    return [" ".join(h.text_content().split()) for h in article.iter("h2", "h3")]


def _listicle(after_heading: str, closing: str = f"<p>{REVIEW * 2}</p>") -> str:
    items = "".join(f"<h3><a href='https://shop.example.com/{i}'>Game number {i} ($30)</a></h3>{after_heading}"
                    for i in range(3))
    return f"<div class='post'><p>{REVIEW * 2}</p><p>{REVIEW}</p>{items}{closing}</div>"


def test_a_linked_heading_before_its_text_is_kept() -> None:
    body = _listicle(f"<p><iframe src='https://www.youtube.com/embed/x'></iframe></p><p>{REVIEW}</p>")
    assert _headings(reader_article(_page(body), None)) == [f"Game number {i} ($30)" for i in range(3)]
    # readability-lxml itself drops them: more than a third of their text is a link.
    assert _headings(readability_article(_page(body), None)) == []


def test_a_linked_heading_followed_by_links_or_nothing_goes() -> None:
    links = "<p><a href='/a'>Another story you may like to read today</a></p>"
    assert _headings(reader_article(_page(_listicle(links)), None)) == []
    assert _headings(reader_article(_page(_listicle("", closing="")), None)) == []


def test_a_heading_with_a_negative_class_still_goes() -> None:
    body = (f"<div class='post'><p>{REVIEW * 2}</p><h2 class='sidebar-title'>Sidebar</h2><p>{REVIEW}</p>"
            f"<h2>Verdict</h2><p>{REVIEW}</p></div>")
    assert _headings(reader_article(_page(body), None)) == ["Verdict"]


def test_links_and_table_cells_with_clutter_classes_keep_their_words() -> None:
    glossed = ("<p>I am a man who, from his youth upwards, has been filled with a profound conviction that "
               "<a href='javascript:void(0)' class='popup'>the easiest way of life is the best</a>. " + REVIEW + "</p>")
    table = "<table><tr><td class='sidebar'>Rainfall in May: 31 mm</td><td>June: 12 mm</td></tr></table>"
    body = f"<div class='post'><p>{REVIEW * 2}</p>{glossed}{table}<p>{REVIEW * 2}</p></div>"
    text = " ".join(reader_article(_page(body), None).text_content().split())
    assert "conviction that the easiest way of life is the best." in text
    assert "Rainfall in May: 31 mm" in text
    # readability-lxml's unlikely-candidate pass takes them out of the sentence.
    assert "the easiest way" not in readability_article(_page(body), None).text_content()


def test_a_sibling_paragraph_opening_with_a_link_joins_the_article() -> None:
    lead = ("<p>As <a href='https://news.example.com/x'>one newspaper</a> reports, the company charged four times "
            "the usual fare during the crisis, and a storm of criticism quickly followed online.</p>")
    body = (f"<div class='post'><p>{REVIEW * 2}</p><p>{REVIEW * 2}</p></div>{lead}"
            f"<div class='post'><p>{REVIEW * 2}</p><p>{REVIEW * 2}</p></div>")
    assert "four times the usual fare" in reader_article(_page(body), None).text_content()
    # readability-lxml reads only "As " (the text before the link) and leaves the paragraph out.
    assert "four times the usual fare" not in readability_article(_page(body), None).text_content()


def test_sections_of_similar_weight_are_read_under_their_common_parent() -> None:
    supplies = "<h3>What you'll need</h3><ul><li>Cloche</li><li>Floral foam</li><li>Moss</li><li>Tweezers</li></ul>"
    steps = "".join(f"<div class='step'><h3>Step {i}</h3><div class='text'><p>{REVIEW * 2}</p></div></div>"
                    for i in range(1, 5))
    body = (f"<div class='sidebar'><a href='/a'>Home</a></div><div class='guide'><div class='step'>"
            f"<div class='text'><p>{REVIEW * 2}</p></div>{supplies}</div>{steps}</div>")
    text = " ".join(reader_article(_page(body), None).text_content().split())
    assert "Floral foam" in text and "Step 1" in text and "Step 4" in text
    assert "Home" not in text
    # readability-lxml keeps one section: its paragraph's parent outscores the rest.
    stock = readability_article(_page(body), None).text_content()
    assert "Floral foam" not in stock and "Step 1" not in stock


def test_a_short_sibling_section_of_the_same_class_joins() -> None:
    short = "<p>The last section is short: one paragraph that closes the story of the flood, and no more.</p>"
    body = (f"<div class='wrap'><div class='section'>{''.join(f'<p>{REVIEW * 2}</p>' for _ in range(6))}</div>"
            f"<div class='section'>{short}</div><div class='aside'>{short.replace('last', 'other')}</div></div>")
    text = reader_article(_page(body), None).text_content()
    assert "The last section is short" in text and "The other section" not in text
    assert "The last section is short" not in readability_article(_page(body), None).text_content()


def test_short_lines_of_dialogue_in_their_own_wrappers_stay() -> None:
    lines = ["“Let me think about it.”", "“Gotcha!”", "He nodded."]
    wrapped = "".join(f"<div style='margin: 1em 0'><div><span>{line}</span></div></div>" for line in lines)
    chart = "<div><div>$300 billion</div></div>"
    body = f"<div class='chapter'><p>{REVIEW * 2}</p>{wrapped}{chart}<p>{REVIEW * 2}</p></div>"
    text = reader_article(_page(body), None).text_content()
    assert all(line in text for line in lines) and "$300 billion" not in text
    assert "Let me think about it" not in readability_article(_page(body), None).text_content()


def test_a_one_line_code_sample_in_a_highlighter_wrapper_stays() -> None:
    steps = "".join(f"<p>{REVIEW}</p><div class='highlight'><pre>$ hg init step{i}</pre></div>" for i in range(3))
    body = f"<div class='post'>{steps}<div class='nav'><a href='/next'>Next page</a></div></div>"
    text = " ".join(reader_article(_page(body), None).text_content().split())
    assert all(f"$ hg init step{i}" in text for i in range(3))
    # readability-lxml drops each wrapper: under 25 characters of text and no picture.
    assert "$ hg init" not in readability_article(_page(body), None).text_content()


def test_a_code_sample_in_a_block_whose_class_sounds_like_clutter_still_goes() -> None:
    code = "<div class='promo'><p>Try our course:</p><pre>def f(x): return x</pre></div>"
    body = f"<div class='post'><p>{REVIEW * 2}</p>{code}<p>{REVIEW * 2}</p></div>"
    assert "def f(x)" not in reader_article(_page(body), None).text_content()
