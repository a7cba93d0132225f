"""Recovering what readability-lxml dropped from the page's own container, and nothing else."""

from __future__ import annotations

import lxml.html

from readerly.pipeline.merge import merge_with_container

LEAD = "The lead paragraph sets out what happened on the river last night and why the town is worried."
BODY = ["Engineers spent the night checking the flood walls along the eastern bank of the river.",
        "By morning the water had dropped by half a metre, but more rain is forecast for Friday.",
        "The council said it would keep the emergency shelter at the school open until Sunday."]
GAP = "A second section explains how the walls were built in the seventies and what has changed since."


def _fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def _readability_choice() -> lxml.html.HtmlElement:
    return _fragment("".join(f"<p>{p}</p>" for p in BODY))


def _container(extra_after: str = "", gap: str = "") -> lxml.html.HtmlElement:
    return _fragment(
        f"<article><p class='byline'>By Jo Writer, river correspondent, with reporting from the team</p>"
        f"<p>{LEAD}</p><p>{BODY[0]}</p><p>{BODY[1]}</p>{gap}<p>{BODY[2]}</p>{extra_after}</article>"
    )


def _text(element: lxml.html.HtmlElement | None) -> str:
    assert element is not None
    return " ".join(element.text_content().split())


def test_lead_paragraph_and_gap_sections_are_recovered() -> None:
    gap = f"<h2>How the walls were built</h2><p>{GAP}</p>"
    merged = _text(merge_with_container(_readability_choice(), [_container(gap=gap)]))
    assert LEAD in merged and GAP in merged and "How the walls were built" in merged
    assert all(p in merged for p in BODY)
    assert merged.index(LEAD) < merged.index(BODY[0]) < merged.index(GAP) < merged.index(BODY[2])


def test_bylines_link_lists_and_the_tail_are_not_recovered() -> None:
    gap = "<ul><li><a href='/a'>Another story about the flood walls and the river</a></li>" \
          "<li><a href='/b'>Yet another story about the weather this coming week</a></li></ul>"
    tail = "<p>Sign up to our newsletter to get the morning briefing in your inbox every single day.</p>"
    merged = _text(merge_with_container(_readability_choice(), [_container(extra_after=tail, gap=gap)]))
    assert "By Jo Writer" not in merged and "Another story" not in merged and "Sign up" not in merged
    assert LEAD in merged


def test_a_container_that_is_the_whole_page_is_not_used() -> None:
    page = _container(extra_after="".join(f"<p>{GAP} {i}</p>" for i in range(20)))
    assert merge_with_container(_readability_choice(), [page]) is None


def test_a_container_without_readabilitys_text_is_not_used() -> None:
    other = _fragment(f"<article><p>{LEAD}</p><p>{GAP}</p><p>{GAP} again</p></article>")
    assert merge_with_container(_readability_choice(), [other]) is None


def test_nothing_to_recover_keeps_readabilitys_choice() -> None:
    same = _fragment("<article>" + "".join(f"<p>{p}</p>" for p in BODY) + "<form><button>Share</button></form>"
                     "</article>")
    assert merge_with_container(_readability_choice(), [same]) is None


def test_an_annotated_reading_list_inside_the_article_is_recovered() -> None:
    reading = ("<h2>Further reading</h2><ul>"
               "<li><a href='/g'>Galton, 1886</a>, the paper that coined the term; short and still readable today.</li>"
               "<li><a href='/s'>Stigler's essay</a>, good on why the idea took so long to be understood.</li></ul>")
    merged = _text(merge_with_container(_readability_choice(), [_container(gap=reading)]))
    assert "Further reading" in merged and "coined the term" in merged and "took so long" in merged


def _cited_article(marks: list[str], notes: str) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]:
    cited = [f"{p}<sup><a href='https://example.org/story#note-{i}'>{mark}</a></sup>"
             for i, (p, mark) in enumerate(zip(BODY, marks, strict=True))]
    choice = _fragment("".join(f"<p>{p}</p>" for p in cited))
    container = _fragment(f"<article><p>{LEAD}</p>{''.join(f'<p>{p}</p>' for p in cited)}{notes}</article>")
    return choice, container


NOTES = ("<h2>References</h2><ol>"
         "<li id='note-0'><a href='#ref-0'>^</a> Flood report, 2021, p. 4.</li>"
         "<li id='note-1'><a href='#ref-1'>^</a> <a href='https://example.org/rain'>Rainfall figures</a>.</li>"
         "<li id='note-2'><a href='#ref-2'>^</a> Council minutes, 12 May.</li></ol>")


def test_notes_the_text_cites_are_recovered_after_its_end() -> None:
    choice, container = _cited_article(["[1]", "2", "[n 3]"], NOTES)
    merged = _text(merge_with_container(choice, [container]))
    assert "References" in merged and "Flood report" in merged and "Council minutes" in merged
    assert merged.index(BODY[2]) < merged.index("References")


def test_cited_notes_inside_the_text_are_recovered_though_they_are_mostly_links() -> None:
    notes = ("<ol><li id='note-0'><a href='#ref-0'>^</a> <a href='https://example.org/r'>Flood report</a>, "
             "<a href='https://example.org/p'>p. 4</a></li>"
             "<li id='uncited'><a href='/x'>Another</a> <a href='/y'>link list</a></li></ol>")
    choice, container = _cited_article(["[1]", "2", "[n 3]"], "")
    gap = container.find(".//p[3]")
    gap.addnext(lxml.html.fragment_fromstring(notes))
    merged = _text(merge_with_container(choice, [container]))
    assert "Flood report" in merged and "link list" not in merged


def test_a_tail_linked_by_other_than_footnote_marks_stays_out() -> None:
    comments = ("<h2>Comments</h2><ol><li id='note-0'>Great article about the river, thanks for writing it.</li>"
                "<li id='note-1'>I live by the eastern bank and it was frightening all night.</li></ol>")
    choice, container = _cited_article(["Read the comments", "comments", "1 History"], comments)
    merged = _text(merge_with_container(choice, [container]))
    assert "Great article" not in merged and "Comments" not in merged
    assert LEAD in merged


def test_a_plain_bulleted_list_inside_the_text_is_recovered_but_not_a_link_list() -> None:
    points = "<ul><li>Sandbags</li><li>Torches</li><li>Bottled water</li></ul>"
    merged = _text(merge_with_container(_readability_choice(), [_container(gap=points)]))
    assert "Sandbags" in merged and "Bottled water" in merged
    links = "<ul><li><a href='/a'>Flood maps</a></li><li><a href='/b'>Road closures</a></li></ul>"
    merged = _text(merge_with_container(_readability_choice(), [_container(gap=links)]))
    assert "Flood maps" not in merged


def test_a_larger_container_is_tried_when_the_smallest_has_nothing_to_add() -> None:
    dek = "The river rose faster than at any time in the last forty years, and the town spent the night awake."
    body = _fragment(f"<article><header><h1>Flood</h1><p>{dek}</p></header>"
                     f"<section>{''.join(f'<p>{p}</p>' for p in BODY)}</section></article>")
    containers = [body[0], body[0].find("section")]
    merged = _text(merge_with_container(_readability_choice(), containers))
    assert merged.startswith(dek) and BODY[2] in merged and "Flood" not in merged


def test_a_word_or_two_is_not_taken_for_readabilitys_text() -> None:
    # "80" and "0" occur inside readability's text, but as chart labels they are not its blocks.
    choice = _fragment("".join(f"<p>{p} It rose 80 cm in 10 hours.</p>" for p in BODY))
    chart = "<div class='g-artboard'><p>Water level</p><p>80</p><p>0</p></div>"
    container = _fragment(f"<article><p>{LEAD}</p>" + "".join(f"<p>{p} It rose 80 cm in 10 hours.</p>"
                                                             for p in BODY[:2])
                          + chart + f"<p>{BODY[2]} It rose 80 cm in 10 hours.</p></article>")
    merged = merge_with_container(choice, [container])
    assert merged is not None and LEAD in _text(merged)
    assert [p.text for p in merged.iter("p") if p.text in ("80", "0")] == []


def test_a_caption_comes_back_with_its_picture_but_not_without_one() -> None:
    figure = ("<figure><img src='/walls.jpg' alt='Flood walls'>"
              "<figcaption>The eastern flood walls at dawn. Photo: River Trust</figcaption></figure>"
              "<figure><figcaption>A caption whose picture the page never loaded in.</figcaption></figure>")
    merged = _text(merge_with_container(_readability_choice(), [_container(gap=f"<p>{GAP}</p>{figure}")]))
    assert GAP in merged and "eastern flood walls at dawn" in merged
    assert "never loaded" not in merged


def test_a_picture_readability_kept_stays_when_its_frame_holds_a_caption_readability_dropped() -> None:
    choice = _fragment(f"<p>{BODY[0]}</p><p>{BODY[1]}</p><div><img src='/walls.jpg' alt='Flood walls'></div>"
                       f"<p>{BODY[2]}</p>")
    thumb = ("<div class='thumb'><a href='/wiki/File:Walls.jpg'><img src='/walls.jpg' alt='Flood walls'></a>"
             "<div class='thumbcaption'>The <a href='/wiki/Flood_wall'>eastern flood walls</a> of the river "
             "seen from the old bridge at dawn</div></div>")
    teaser = ("<div class='card'><img src='/fair.jpg' alt='Fair'>The autumn fair returns to the market square "
              "next month with more stalls than ever</div>")
    merged = merge_with_container(choice, [_container(gap=f"<p>{GAP}</p>{thumb}{teaser}")])
    assert merged is not None and GAP in _text(merged)
    assert [image.get("src") for image in merged.iter("img")] == ["/walls.jpg"]
    assert "old bridge" not in _text(merged) and "autumn fair" not in _text(merged)
