"""What is said: span conventions for attribution content beyond a verb's complement.

Used by `newsgraph.extract.attribution`, following PolNeAR's annotation:

- `relative_content`: a reporting verb in a relative clause whose relative pronoun is what
  was said, believed or done (`Florida, which he describes as his second home`, `the
  foundation, for which he apologized`, `a candidate whom many members oppose`) has the
  pronoun as its content (with the preposition that governs it, and the verb's own
  complements after it), not the noun the clause modifies: the pronoun stands for it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Collection

if TYPE_CHECKING:
    from spacy.tokens import Token

RELATIVE_WORDS = frozenset({"which", "that", "who", "whom", "whose"})
# Dependencies of a relative pronoun that make it what the verb reports or acts on.
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "pobj", "nsubj", "dative"})
# The verb's own complements after it, which PolNeAR adds to the pronoun (`which he
# describes [as his second home]`, an `as` phrase being the predicate of any such verb);
# adverbial clauses and times are not part of it.
COMPLEMENT_DEPS = frozenset({"oprd", "attr", "acomp", "xcomp", "ccomp"})


def _relative(token: "Token") -> bool:
    return token.lower_ in RELATIVE_WORDS and token.tag_ in ("WDT", "WP", "WP$", "IN", "DT")


def relative_content(verb: "Token", subject: "Token | None", preps: Collection[str]) -> list[int] | None:
    """Token indices of the content of a relative-clause cue whose relative pronoun is its
    object, or None when the verb is not such a cue.

    Args:
        verb: the reporting verb.
        subject: its source (a relative pronoun that is the source is not the content).
        preps: the prepositions that introduce the verb's content (`describe … as`).
    """
    if verb.dep_ != "relcl":
        return None
    pronoun: list[int] = []
    for child in verb.children:
        if child.i > verb.i or (subject is not None and child.i == subject.i):
            continue
        if (child.dep_ in OBJECT_DEPS or (child.dep_ == "mark" and child.lower_ == "that")) and _relative(child):
            pronoun = [child.i]  # the parser often calls a relative `that` a marker
        elif child.dep_ == "prep" and child.lower_ in preps:  # not "the meeting in which she decided"
            inner = [c for c in child.children if c.dep_ == "pobj" and _relative(c)]
            if inner:
                pronoun = [child.i, inner[0].i]  # "for which"
    if not pronoun:
        return None
    indices = list(pronoun)
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ in COMPLEMENT_DEPS or (child.dep_ == "prep" and (child.lower_ in preps or child.lower_ == "as")):
            indices.extend(t.i for t in child.subtree)
    return indices


def relative_clause_chars(verb: "Token") -> tuple[int, int] | None:
    """Characters of the relative clause that `verb` heads, with an appositive noun that
    carries it (`…, a point that officials have disputed`), or None when `verb` heads none.

    PolNeAR marks a reporting verb in a relative clause inside someone's reported content
    as an attribution of its own (`Obama rebuked critics who say he should …`: the critics
    say it, not Obama), and leaves the clause out of the outer content.
    """
    if verb.dep_ != "relcl":
        return None
    start_token = verb.left_edge
    noun = verb.head
    if noun.dep_ == "appos":
        start_token = noun.left_edge
    doc = verb.doc
    while start_token.i > 0 and doc[start_token.i - 1].is_punct and doc[start_token.i - 1].text in (",", "-", "—", "–", "("):
        start_token = doc[start_token.i - 1]
    end_token = verb.right_edge
    return start_token.idx, end_token.idx + len(end_token)
