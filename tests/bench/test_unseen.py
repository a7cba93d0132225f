"""The held-out bench reads fixture folders as newspaper4k lays them out (no download here)."""

from __future__ import annotations

from pathlib import Path

from bench.unseen import pages


def test_fixtures_pair_html_with_expected_text_and_take_the_url_from_metadata(tmp_path: Path) -> None:
    for folder in ("html", "txt", "metadata"):
        (tmp_path / folder).mkdir()
    (tmp_path / "html" / "story.html").write_text("<html><body><p>Body</p></body></html>", encoding="utf-8")
    (tmp_path / "txt" / "story.txt").write_text("Body", encoding="utf-8")
    (tmp_path / "metadata" / "story.json").write_text('{"url": "https://news.example.org/story"}', encoding="utf-8")
    (tmp_path / "html" / "listing.html").write_text("<html></html>", encoding="utf-8")  # no expected text
    (tmp_path / "txt" / "orphan.txt").write_text("No page", encoding="utf-8")  # no HTML
    (tmp_path / "html" / "bare.html").write_text("<p>Bare</p>", encoding="utf-8")
    (tmp_path / "txt" / "bare.txt").write_text("Bare", encoding="utf-8")
    found = {page.name: page for page in pages(tmp_path)}
    assert sorted(found) == ["bare", "story"]
    assert found["story"].url == "https://news.example.org/story" and found["story"].truth_text == "Body"
    assert found["bare"].url == "https://example.com/article"
