"""The article title from <title>: site names cut off only when what remains still reads as a title."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from readerly.pipeline.metadata_values import clean_value

# " | Site", " - Site", " – Site", " :: Site", " / Section", " > Section", " » Section": a space on
# both sides, so a hyphenated word ("Just-released") never counts as a separator.
_SEPARATOR = re.compile(r" (?:[|\-–—\\/>»]|::) ")
# Separators that mark a path of sections rather than a site name; a title built like a breadcrumb
# may keep fewer words when cut.
_HIERARCHICAL = re.compile(r" [\\/>»] ")
# Everything up to the last separator, and everything after the first one.
_BEFORE_LAST = re.compile(r"(.*)(?:[|\-–—\\/>»]|::) .*")
_AFTER_FIRST = re.compile(r".*?(?:[|\-–—\\/>»]|::)(.*)")
_SEPARATOR_CHARS = re.compile(r"[|\-–—\\/>»]+")
_SPACES = re.compile(r"\s+")
# The separator between a headline and a site name it is joined to, at either end.
_TRAILING_SEPARATOR = re.compile(r"\s*(?:[|\-–—:·•»/]|::)\s*$")
_LEADING_SEPARATOR = re.compile(r"\s*(?:[|\-–—:·•»/]|::)\s*")
# Token split for the similarity test: ASCII word characters, so the measure stays language-blind.
_TOKENS = re.compile(r"\W+", re.ASCII)
# A cut title shorter than this (in words) is more likely a site or section name than a headline.
_MIN_CUT_WORDS = 3
# At or under this many words a cut is undone unless the separators were hierarchical (see above).
_SHORT_TITLE_WORDS = 4
# "Site: Headline" is only cut when the part before the colon is short, as site names are.
_MAX_PREFIX_WORDS = 5
# <title> outside these lengths is probably a bare site name or a keyword dump; a lone <h1> is better.
_MIN_TITLE_CHARS, _MAX_TITLE_CHARS = 15, 150



def headline_part(title: str) -> str | None:
    """The part of a title before its first separator ("Headline - Site Name"), when it is long enough
    to be a headline; None when the title has no separator."""
    pieces = _SEPARATOR.split(title, maxsplit=1)
    if len(pieces) < 2 or len(pieces[0].split()) < _MIN_CUT_WORDS:
        return None
    return pieces[0].strip()


def title_from_document(raw_title: str, headings: Sequence[str], h1s: Sequence[str]) -> str | None:
    """The <title> with a site name or section path cut off when that leaves a real headline.

    `headings` are the texts of every <h1>/<h2>, `h1s` those of the <h1>s alone.
    """
    original = clean_value(raw_title) or ""
    title = original
    hierarchical = False
    if _SEPARATOR.search(title):
        hierarchical = bool(_HIERARCHICAL.search(title))
        title = _BEFORE_LAST.sub(r"\1", original)
        if _word_count(title) < _MIN_CUT_WORDS:
            title = _AFTER_FIRST.sub(r"\1", original)
    elif ": " in title:
        if title not in headings:
            title = original[original.rfind(":") + 1 :]
            if _word_count(title) < _MIN_CUT_WORDS:
                title = original[original.find(":") + 1 :]
            elif _word_count(original[: original.find(":")]) > _MAX_PREFIX_WORDS:
                title = original
    elif not _MIN_TITLE_CHARS <= len(title) <= _MAX_TITLE_CHARS and len(h1s) == 1:
        title = h1s[0]
    title = _SPACES.sub(" ", title.strip())
    words = _word_count(title)
    if words <= _SHORT_TITLE_WORDS and (
        not hierarchical or words != _word_count(_SEPARATOR_CHARS.sub("", original)) - 1
    ):
        title = original
    return title or None


def text_similarity(reference: str, candidate: str) -> float:
    """Share of the candidate's text made of words the reference also has (1 = same words)."""
    ref_tokens = {token for token in _TOKENS.split(reference.lower()) if token}
    cand_tokens = [token for token in _TOKENS.split(candidate.lower()) if token]
    if not ref_tokens or not cand_tokens:
        return 0.0
    unique = [token for token in cand_tokens if token not in ref_tokens]
    return 1 - len(" ".join(unique)) / len(" ".join(cand_tokens))


def _word_count(text: str) -> int:
    """Words as a whitespace split counts them (a leading space counts one), as the thresholds assume."""
    return len(_SPACES.split(text))


def strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """"Headline | Site" -> "Headline" when Site is the page's own declared site name."""
    folded = title.casefold()
    for site in site_names:
        site_folded = site.casefold()
        if not site_folded or site_folded == folded:
            continue
        if folded.endswith(site_folded):
            match = _TRAILING_SEPARATOR.search(title[: len(title) - len(site)])
            if match and match.start() > 0:
                return title[: match.start()]
        if folded.startswith(site_folded):
            match = _LEADING_SEPARATOR.match(title[len(site) :])
            if match and match.end() < len(title) - len(site):
                return title[len(site) + match.end() :]
    return title

