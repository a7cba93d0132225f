"""Text lengths as readability-lxml counts them, len(clean(text)), in linear time even on nested elements.

clean() folds each whitespace run on its own: a run of 255 or more becomes one space, a run holding a
newline becomes one newline, other runs of spaces and tabs become single spaces (`\\t|[ \\t]{2,}`), and
the ends are stripped. Its patterns backtrack over every position of a long run (1.5 s on one Wikipedia
page), so lengths are computed run by run here. Because runs fold independently, the length of a
concatenation follows from a small summary of each part; readability measures every candidate's whole
text, and candidates nest (pages of unclosed <div>s nest 2,000 deep), so summaries of the inner
candidates are reused instead of reading the same text once per ancestor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import lxml.html

_RUN = re.compile(r"\s{2,}")
_SPACES = re.compile(r"\s+")
_TABS = re.compile(r"\t|[ \t]{2,}")
_LONG_RUN = 255
# A text's summary: clean() length of its core, -1 when it is only whitespace; its leading run (the
# whole text when it is only whitespace); its trailing run. Runs are kept short: beyond their spaces
# and tabs only "holds a newline" and "255 or longer" matter, and both survive concatenation.
Summary = tuple[int, str, str]
_NOTHING: Summary = (-1, "", "")


def clean_length(text: str) -> int:
    """len(readability.readability.clean(text)), without building the cleaned string."""
    text = text.strip()
    length = len(text)
    for match in _RUN.finditer(text):
        run = match.group()
        length -= len(run) - _folded(run)
    return length


def _folded(run: str) -> int:
    """Length of a whitespace run between two words once clean() has folded it."""
    if len(run) < 2:
        return len(run)
    return 1 if len(run) >= _LONG_RUN or "\n" in run else len(_TABS.sub(" ", run))


def _key(run: str) -> str:
    if "\n" in run:
        return "\n"
    return " " * _LONG_RUN if len(run) >= _LONG_RUN else run


def summarize(text: str | None) -> Summary:
    """The summary of one piece of text."""
    if not text:
        return _NOTHING
    core = text.strip()
    if not core:
        return (-1, _key(text), "")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return (clean_length(core), _key(lead), _key(trail))


def concat(first: Summary, second: Summary) -> Summary:
    """The summary of two texts one after the other: the runs where they meet fold as one."""
    if first[0] < 0:
        if second[0] < 0:
            return (-1, _key(first[1] + second[1]), "")
        return (second[0], _key(first[1] + second[1]), second[2])
    if second[0] < 0:
        return (first[0], first[1], _key(first[2] + second[1]))
    return (first[0] + _folded(first[2] + second[1]) + second[0], first[1], second[2])


class TextLengths:
    """clean() lengths of elements of a tree that does not change while this is in use.

    An element with a candidate inside is summarised from its children, so each piece of text is read
    once however deep candidates nest; any other element is read whole (text_content() is C code).
    """

    def __init__(self, candidates: Iterable[lxml.html.HtmlElement]) -> None:
        self._summaries: dict[lxml.html.HtmlElement, Summary] = {}
        self._nested: set[lxml.html.HtmlElement] = set()
        for candidate in candidates:
            for ancestor in candidate.iterancestors():
                if ancestor in self._nested:
                    break
                self._nested.add(ancestor)

    def length(self, element: lxml.html.HtmlElement) -> int:
        return max(self._summary(element)[0], 0)

    def _summary(self, element: lxml.html.HtmlElement) -> Summary:
        summaries = self._summaries
        stack = [(element, False)]
        while stack:
            node, children_done = stack.pop()
            if node in summaries:
                continue
            if node not in self._nested:
                summaries[node] = summarize(node.text_content())
            elif not children_done:
                stack.append((node, True))
                stack.extend((child, False) for child in node if isinstance(child.tag, str))
            else:
                summaries[node] = self._from_children(node)
        return summaries[element]

    def _from_children(self, node: lxml.html.HtmlElement) -> Summary:
        summary = summarize(node.text)
        for child in node:
            if isinstance(child.tag, str):  # comments hold no text of the element, only their tails
                summary = concat(summary, self._summaries[child])
            summary = concat(summary, summarize(child.tail))
        return summary


# Han and kana: scripts written without spaces between words (Hangul has spaces). A Chinese word averages
# under two characters.
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHARS_PER_WORD = 2
_CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
_CJK_CHARACTER = re.compile(f"[{CJK_CHARACTERS}]")
_CJK_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu", "lzh"})
# A title with this many Han or kana characters is a Chinese or Japanese page's title; a text sample
# needs more (a language menu lists "中文" and "日本語" on any page).
_MIN_CJK_TITLE_CHARS = 4
_MIN_CJK_SAMPLE_CHARS = 20
# Texts are split this many characters at a time when counting words, so a 10 MiB page never holds
# all of its words as strings at once.
_WORD_CHUNK = 1 << 16


def _chunks(text: str, after_runs: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) slices of about _WORD_CHUNK characters, cut only at whitespace.

    With `after_runs` each slice ends after a whole whitespace run, so no run is split in two.
    """
    start, size = 0, len(text)
    while start < size:
        end = start + _WORD_CHUNK
        if end < size:
            run = _SPACES.search(text, end)
            end = (run.end() if after_runs else run.start()) if run else size
        yield start, end
        start = end


def count_words(text: str, cjk: bool = False) -> int:
    """len(text.split()) in bounded memory; on a Chinese or Japanese page (`cjk`), plus a word per two
    of their characters.

    Those scripts put no spaces between words, so a whole paragraph splits into one "word" and every
    threshold in words (an article's least length, a paragraph's) would read a Chinese article as
    empty. Scanning for the characters costs a third of the split, so only such pages pay for it.
    """
    if len(text) <= _WORD_CHUNK:
        return _words(text, cjk)
    return sum(_words(text[start:end], cjk) for start, end in _chunks(text))


def _words(text: str, cjk: bool) -> int:
    words = len(text.split())
    if not cjk or text.isascii():
        return words
    return words + (len(text) - len(_CJK_RUN.sub("", text))) // CJK_CHARS_PER_WORD


def writes_cjk(lang: str | None, title: str, sample: str) -> bool:
    """Whether a page is in Chinese or Japanese: its declared language, else Han or kana in its title or in
    a sample of its text; templates often declare lang="en" whatever they hold, and a brand's title
    may be in Latin letters."""
    if lang and lang.split("-")[0].lower() in _CJK_LANGUAGES:
        return True
    return (len(_CJK_CHARACTER.findall(title)) >= _MIN_CJK_TITLE_CHARS
            or len(_CJK_CHARACTER.findall(sample)) >= _MIN_CJK_SAMPLE_CHARS)


def count_matches(pattern: re.Pattern[str], text: str) -> int:
    """len(pattern.findall(text)) for patterns that never match whitespace, in bounded memory.

    findall() over a whole long article holds every word at once (about 100 MiB for a 10 MiB page).
    """
    return sum(len(pattern.findall(text, start, end)) for start, end in _chunks(text))


def join_matches(pattern: re.Pattern[str], text: str) -> str:
    """" ".join(pattern.findall(text)) for patterns that never match whitespace, in bounded memory."""
    if len(text) <= _WORD_CHUNK:
        return " ".join(pattern.findall(text))
    pieces = (" ".join(pattern.findall(text, start, end)) for start, end in _chunks(text))
    return " ".join(piece for piece in pieces if piece)


def collapse_spaces(text: str) -> str:
    """re.sub(r"\\s+", " ", text).strip(), exactly, without holding every word at once.

    re.sub() keeps each piece between matches as its own string until it joins them: about 100 MiB
    for a 10 MiB article. Chunks are cut just after a whitespace run, so no run is split in two.
    """
    if len(text) <= _WORD_CHUNK:
        return " ".join(text.split())  # the same for \s and str.split(); four times faster
    pieces = [_SPACES.sub(" ", text[start:end]) for start, end in _chunks(text, after_runs=True)]
    if not pieces:
        return ""
    pieces[0] = pieces[0].lstrip()
    pieces[-1] = pieces[-1].rstrip()
    return "".join(pieces)


def element_words(element: lxml.html.HtmlElement, cjk: bool = False) -> int:
    """Words of an element's whole text."""
    return count_words(element.text_content(), cjk)


def link_words(element: lxml.html.HtmlElement, cjk: bool = False) -> int:
    """Words inside the element's links: the numerator of link density."""
    return sum(element_words(a, cjk) for a in element.iter("a"))
