"""Boilerplate rules as data: the TOML files here, validated and compiled once at import."""

from __future__ import annotations

import re
import re._constants as _sre  # the regex parser's own vocabulary, to find where a label can start
import re._parser as _sre_parser
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

RULES_DIR = Path(__file__).resolve().parent
MODES = ("lead", "title", "alone")

# A vocabulary entry: up to three lowercase tokens joined by "-", optionally anchored by "=" or "^".
_ENTRY = re.compile(r"[=^]?[a-z0-9]+(?:-[a-z0-9]+){0,2}")
_GROUP_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Typographic variants folded to ASCII so one phrase covers "Don’t miss" and "Don't miss"; Turkish
# dotless and dotted i folded so "AYRICA OKUYUN" matches "Ayrıca okuyun".
_FOLDS = MappingProxyType({"\u0131": "i", "\u0307": "", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
          "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
          "\u202f": " ", "\u200b": "", "\u2009": " "})
_FOLD_CHARS = re.compile("[" + "".join(_FOLDS) + "]")
# A count in brackets after a label ("Comments (3)") says nothing about its kind.
_TRAILING_COUNT = re.compile(r"\s*[(\[]\d+[)\]]\s*$")
# Punctuation and symbols around a label ("- Advertisement -", "READ MORE:", "» See also", "【関連記事】")
# are what lies outside the first and last letter or digit.
_ALNUM = re.compile(r"[^\W_]")


class RuleError(ValueError):
    """A rule file is malformed; raised at import so a bad rule never reaches a request."""


def normalize_label(text: str) -> str:
    """The form labels are compared in: NFKC, case-folded, quotes folded, edges and counts trimmed."""
    if not text.isascii():  # NFKC and the folds only change non-ASCII text; most labels are ASCII
        text = _FOLD_CHARS.sub(_fold_char, unicodedata.normalize("NFKC", text).casefold())
    folded = " ".join(text.casefold().split())
    if folded.endswith((")", "]")):
        folded = _TRAILING_COUNT.sub("", folded)
    if folded[:1].isalnum() and folded[-1:].isalnum():
        return folded
    return _without_edges(folded)


def _without_edges(text: str) -> str:
    """re.sub(r"^[\\W_]+|[\\W_]+$", "", text), found by searching inwards from each end.

    The regex tries its second branch at every position of the text, which made this the costliest
    step of label matching on long blocks; two searches stop at the first letter or digit.
    """
    first = _ALNUM.search(text)
    if first is None:
        return ""
    last = _ALNUM.search(text[::-1])
    assert last is not None
    return text[first.start():len(text) - last.start()]


def _fold_char(found: re.Match[str]) -> str:
    return _FOLDS[found.group()]


@dataclass(frozen=True)
class LabelRule:
    """What a matched label says: the kind of boilerplate and the rule name to report."""

    kind: str
    rule: str


@dataclass(frozen=True)
class LabelMatcher:
    """All label groups of one mode compiled into a single whole-text regex with one named group each.

    Most texts tested are not labels, and the one regex tries its hundreds of alternatives before it
    fails; `by_first` holds the same regex cut down to the alternatives that can start with a given
    character (`others`: those whose first character is not known), so a text is tried only against
    labels that could begin it. The match found is the one the whole regex finds.
    """

    pattern: re.Pattern[str] | None
    rules: Mapping[str, LabelRule]
    by_first: Mapping[str, re.Pattern[str]] = field(default_factory=lambda: MappingProxyType({}))
    others: re.Pattern[str] | None = None

    def match(self, normalized: str) -> LabelRule | None:
        """The rule whose label is the whole of `normalized` (already passed through normalize_label)."""
        if self.pattern is None or not normalized:
            return None
        pattern = self.by_first.get(normalized[0], self.others)
        found = pattern.fullmatch(normalized) if pattern is not None else None
        return self.rules[found.lastgroup] if found and found.lastgroup else None


@dataclass(frozen=True)
class RuleSet:
    """Every compiled rule the strip stage uses."""

    kinds: frozenset[str]
    class_rules: Mapping[str, tuple[str, str]]
    post_markers: frozenset[str]
    tag_kinds: Mapping[str, str]
    role_kinds: Mapping[str, str]
    block_tags: frozenset[str]
    container_tags: frozenset[str]
    heading_tags: frozenset[str]
    labels: Mapping[str, LabelMatcher]


def _load(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{name}: {exc}") from exc


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: expected a non-empty list of non-empty strings")
    return list(value)


def _kind_map(value: Any, kinds: frozenset[str], where: str) -> Mapping[str, str]:
    if not isinstance(value, dict) or not value:
        raise RuleError(f"{where}: expected a table of name = kind")
    for key, kind in value.items():
        if kind not in kinds:
            raise RuleError(f"{where}.{key}: unknown kind {kind!r}")
    return MappingProxyType({str(k).lower(): str(v) for k, v in value.items()})


def _compile_classes(data: dict[str, Any], kinds: frozenset[str]) -> tuple[Mapping[str, tuple[str, str]],
                                                                           frozenset[str]]:
    """Vocabulary entries -> lookup keys; an entry belongs to one kind only."""
    table: dict[str, tuple[str, str]] = {}
    for kind, group in data.get("vocabulary", {}).items():
        if kind not in kinds:
            raise RuleError(f"classes.toml: unknown kind {kind!r}")
        for entry in _strings(group.get("entries"), f"classes.toml [{kind}]"):
            if not _ENTRY.fullmatch(entry):
                raise RuleError(f"classes.toml [{kind}]: bad entry {entry!r}")
            if entry in table:
                raise RuleError(f"classes.toml [{kind}]: {entry!r} is already in [{table[entry][0]}]")
            table[entry] = (kind, entry.lstrip("=^"))
    markers = _strings(data.get("guard", {}).get("post_markers"), "classes.toml [guard]")
    for marker in markers:
        if not _ENTRY.fullmatch(marker):
            raise RuleError(f"classes.toml [guard]: bad entry {marker!r}")
    return MappingProxyType(table), frozenset(markers)


def _group_alternatives(group: dict[str, Any], where: str) -> list[str]:
    """Escaped phrases and validated patterns of one label group, as regex alternatives."""
    alternatives: list[str] = []
    phrases = group.get("phrases", {})
    if not isinstance(phrases, dict):
        raise RuleError(f"{where}: phrases must be a table of language = [phrases]")
    for lang, items in phrases.items():
        for phrase in _strings(items, f"{where}.phrases.{lang}"):
            normalized = normalize_label(phrase)
            if not normalized:
                raise RuleError(f"{where}: phrase {phrase!r} is empty once normalised")
            alternatives.append(re.escape(normalized))
    for pattern in group.get("patterns", []):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuleError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
        alternatives.append(pattern)
    if not alternatives:
        raise RuleError(f"{where}: no phrases and no patterns")
    return alternatives


# A label group's regex alternatives, each with the characters its matches can start with.
_Alternatives = list[tuple[str, frozenset[str] | None]]


def _compile_labels(data: dict[str, Any], kinds: frozenset[str]) -> Mapping[str, LabelMatcher]:
    """One whole-match regex per mode; each group is a named alternative so a match names its rule."""
    parts: dict[str, list[tuple[str, _Alternatives]]] = {mode: [] for mode in MODES}
    rules: dict[str, dict[str, LabelRule]] = {mode: {} for mode in MODES}
    for index, group in enumerate(data.get("group", [])):
        name, kind, modes = group.get("name"), group.get("kind"), group.get("modes")
        where = f"labels.toml group {name or index}"
        if not isinstance(name, str) or not _GROUP_NAME.fullmatch(name):
            raise RuleError(f"{where}: name must be lowercase words joined by '-'")
        if kind not in kinds:
            raise RuleError(f"{where}: unknown kind {kind!r}")
        if not isinstance(modes, list) or not modes or any(m not in MODES for m in modes):
            raise RuleError(f"{where}: modes must be a non-empty subset of {MODES}")
        alternatives = [(alternative, _first_chars(alternative)) for alternative in _group_alternatives(group, where)]
        for mode in modes:
            parts[mode].append((f"g{index}", alternatives))
            rules[mode][f"g{index}"] = LabelRule(kind=str(kind), rule=f"label:{name}")
    return MappingProxyType({mode: _matcher(parts[mode], MappingProxyType(rules[mode])) for mode in MODES})


def _matcher(groups: list[tuple[str, _Alternatives]], rules: Mapping[str, LabelRule]) -> LabelMatcher:
    """The mode's whole regex, and per first character the regex of the alternatives that can start so."""
    if not groups:
        return LabelMatcher(None, rules)

    def compiled(keep: Any) -> re.Pattern[str] | None:
        kept = [(name, [alternative for alternative, first in alternatives if keep(first)])
                for name, alternatives in groups]
        joined = "|".join(f"(?P<{name}>{'|'.join(chosen)})" for name, chosen in kept if chosen)
        return re.compile(joined) if joined else None

    starts = {char for _name, alternatives in groups for _alt, first in alternatives if first for char in first}
    by_first = {char: compiled(lambda first, c=char: first is None or c in first) for char in sorted(starts)}
    return LabelMatcher(compiled(lambda first: True), rules,
                        MappingProxyType({c: p for c, p in by_first.items() if p is not None}),
                        compiled(lambda first: first is None))


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None when it may start with any (a class
    like \\d, a wildcard, a construct not analysed here), or when the pattern cannot be analysed."""
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None  # the first character may come in either case
        first, _empty = _sequence_first(parsed)
    except Exception:  # noqa: BLE001 - an internal parser: anything unexpected means "not known"
        return None
    return first


def _sequence_first(items: Any) -> tuple[frozenset[str] | None, bool]:
    """(first characters, whether the sequence can match nothing) of parsed regex items."""
    chars: set[str] = set()
    for op, value in items:
        first, empty = _item_first(op, value)
        if first is None:
            return None, False
        chars |= first
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


def _item_first(op: Any, value: Any) -> tuple[frozenset[str] | None, bool]:
    if op is _sre.LITERAL:
        return frozenset({chr(value)}), False
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, item in value:
            if kind is _sre.LITERAL:
                chars.add(chr(item))
            elif kind is _sre.RANGE and item[1] - item[0] < 256:
                chars.update(map(chr, range(item[0], item[1] + 1)))
            else:
                return None, False
        return frozenset(chars), False
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, items = value
        if add_flags or del_flags:
            return None, False  # a scoped flag ("(?i:...)") changes what the characters match
        return _sequence_first(items)
    if op is _sre.BRANCH:
        union: set[str] = set()
        can_be_empty = False
        for branch in value[1]:
            first, empty = _sequence_first(branch)
            if first is None:
                return None, False
            union |= first
            can_be_empty = can_be_empty or empty
        return frozenset(union), can_be_empty
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        first, empty = _sequence_first(value[2])
        return first, empty or value[0] == 0
    if op is _sre.AT:
        return frozenset(), True
    return None, False


def load_rules(directory: Path = RULES_DIR) -> RuleSet:
    """Read, validate and compile every rule file; raises RuleError naming the bad entry."""
    structure, classes, labels = (_load(directory, name) for name in ("structure.toml", "classes.toml",
                                                                      "labels.toml"))
    kinds = frozenset(_strings(structure.get("kinds", {}).get("names"), "structure.toml [kinds]"))
    class_rules, post_markers = _compile_classes(classes, kinds)
    return RuleSet(
        kinds=kinds,
        class_rules=class_rules,
        post_markers=post_markers,
        tag_kinds=_kind_map(structure.get("tags"), kinds, "structure.toml [tags]"),
        role_kinds=_kind_map(structure.get("roles"), kinds, "structure.toml [roles]"),
        block_tags=frozenset(_strings(structure.get("blocks", {}).get("tags"), "structure.toml [blocks]")),
        container_tags=frozenset(_strings(structure.get("containers", {}).get("tags"),
                                          "structure.toml [containers]")),
        heading_tags=frozenset(_strings(structure.get("headings", {}).get("tags"), "structure.toml [headings]")),
        labels=_compile_labels(labels, kinds),
    )


# Compiled once per process: rules are read-only data, never mutated after this line.
RULES = load_rules()

__all__ = ["MODES", "RULES", "LabelMatcher", "LabelRule", "RuleError", "RuleSet", "load_rules", "normalize_label"]
