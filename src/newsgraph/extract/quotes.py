"""Where quotations are in a text: ranges of characters between quotation marks, whichever
marks an outlet uses (curly, straight, the doubled apostrophes and backticks of old wire
copy, single curly marks), with the typing slips news text carries (a mark turned the wrong
way, a quotation left open at a paragraph's end, double marks nested in double marks).

Used by `newsgraph.extract.attribution`: a quotation is direct speech, and what lies inside
one is left to the attribution that quotes it.
"""

from __future__ import annotations

import re

# Quotation marks, in the forms news text uses: curly, straight, and the doubled
# apostrophes / backticks of older wire copy.
QUOTE_MARK = re.compile(r"“|”|\"|''|``|„")
_OPENERS_BEFORE = set("([{—–-/\u00a0") | {""}


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of quotations in `text`, marks included, in text order.

    Curly and doubled-apostrophe marks say which way they face; a straight `"` opens when
    it follows a space or opening punctuation. A quote left open at the end of a paragraph
    (news style for quotes running over several paragraphs) ends there.
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    inner = 0  # quotations opened inside the open one and not closed yet
    for mark in QUOTE_MARK.finditer(text):
        closes = open_at is not None and _misturned_closer(text, mark)
        if not closes and _opens(text, mark):
            if open_at is not None and _nests(text, open_at, mark):
                inner += 1
                continue
            if open_at is not None:
                _close_at_paragraph(text, open_at, mark.start(), regions)
            open_at, inner = mark.start(), 0
        elif open_at is not None and inner:
            inner -= 1
        elif open_at is not None:
            regions.append((open_at, mark.end()))
            open_at = None
    if open_at is not None:
        _close_at_paragraph(text, open_at, len(text), regions)
    return regions


# A quotation in single curly marks: `‘` after a space or the line's start and before a
# word, to the next `’` after a word that no letter follows (`’s` and `’re` are apostrophes).
_SINGLE_QUOTE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\w)[^‘’\n]*?(?<=[\w.,!?])’(?!\w)", re.MULTILINE)


def single_quote_regions(text: str) -> list[tuple[int, int]]:
    """Quotations in single curly marks on lines that have no double marks: headlines
    (`Clinton Speaks ‘Directly To White People’`) and outlets that quote in single marks
    (`‘We will win,’ she said`). On a line with double marks, single ones are quotes
    inside quotes, which the double marks already cover."""
    regions: list[tuple[int, int]] = []
    for match in _SINGLE_QUOTE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : len(text) if line_end == -1 else line_end]
        if not QUOTE_MARK.search(line):
            regions.append(match.span())
    return regions


def merge_regions(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Both lists of regions in text order, those of `second` that overlap `first` left out."""
    kept = [r for r in second if not any(s < r[1] and r[0] < e for s, e in first)]
    return sorted(first + kept)


def _nests(text: str, open_at: int, mark: re.Match[str]) -> bool:
    """A curly quotation opened inside another in the same paragraph: `“I’d rather live
    in what he calls “hell” than …”` (double marks where single ones belong). The
    paragraph must close both, or the first was merely left open (`“We won, he said. “…”`)."""
    if mark.group() != "“" or not text.startswith("“", open_at) or "\n" in text[open_at : mark.start()]:
        return False
    end = text.find("\n", mark.end())
    rest = text[mark.end() : len(text) if end == -1 else end]
    return rest.count("”") - rest.count("“") >= 2


def _misturned_closer(text: str, mark: re.Match[str]) -> bool:
    """An opening curly mark typed where a closing one belongs: `…problems for her,“ said`.

    It ends a quotation when it follows punctuation or a word and a space follows it.
    """
    if mark.group() != "“" or mark.start() == 0:
        return False
    before = text[mark.start() - 1]
    after = text[mark.end()] if mark.end() < len(text) else " "
    return (before.isalnum() or before in ".,!?;") and after.isspace()


def _misturned_opener(text: str, mark: re.Match[str]) -> bool:
    """A closing curly mark typed where an opening one belongs: a line that begins
    `”Fear. I am …`. Only at the start of a line and before a word, where no quotation
    can be ending."""
    at_line_start = mark.start() == 0 or text[mark.start() - 1] == "\n"
    return at_line_start and mark.end() < len(text) and text[mark.end()].isalnum()


def _opens(text: str, mark: re.Match[str]) -> bool:
    symbol = mark.group()
    if symbol in ("“", "``", "„"):
        return True
    if symbol == "”":
        return _misturned_opener(text, mark)
    before = text[mark.start() - 1] if mark.start() else ""
    return before.isspace() or before in _OPENERS_BEFORE


def _close_at_paragraph(text: str, start: int, limit: int, regions: list[tuple[int, int]]) -> None:
    newline = text.find("\n", start, limit)
    end = newline if newline != -1 else limit
    end = len(text[start:end].rstrip()) + start
    if end - start > 1:
        regions.append((start, end))
