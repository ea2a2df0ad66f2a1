"""Who speaks: the grammar that finds the source of a reporting verb beyond its own subject.

Used by `newsgraph.extract.attribution`. Each function reads the parse around one verb and
names the token that heads its source phrase (or None when the rule does not apply):

- `own_subject`: the verb's own subject, skipping a relative pronoun that belongs to the
  reported clause (`the drawdown, which they say left a vacuum`: the source is `they`);
- `controller`: the object of a verb of causing or letting that an infinitive hangs on
  (`the victory led the chairman to declare …`, `left some analysts to question …`):
  object control makes that object, not the sentence's subject, the one who declares;
- `name_read_as_modal`: a capitalised `Will` or `May` the parser took for a modal before a
  finite verb (`Will wrote that …`): no modal governs `wrote`, so the word is a name;
- `stranded_agent`: the `by` phrase of a passive that the parser hung on a phrase after
  the verb (`was attacked on the speeches by Sanders`, `were highlighted during the
  campaign by rivals`): the agent is the source all the same;
- `participle_subject`: the subject of the clause a participle after a comma continues
  (`Carson rejected the notion, saying …`), where the parser hung the participle on the
  nearest noun.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# Subjects that name who acts (an expletive `it`/`there` names nobody).
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
# Relative pronouns as the parser tags them (`which`, `that`, `who`, `whom`).
RELATIVE_TAGS = frozenset({"WDT", "WP"})
# Objects of a verb that can control its infinitive: "led X to", "urged X to", "told X to".
CONTROLLER_DEPS = frozenset({"dobj", "dative"})
# Verbs of causing, moving or letting someone act, whose object is the one who acts in the
# infinitive ("led Republicans to say", "forced Sanders to acknowledge"). Other verbs with an
# object and an infinitive mostly state a purpose ("used his platform to discuss", "crossed
# party lines to vote"): their subject acts.
CAUSATIVE_VERBS = frozenset(
    {"lead", "prompt", "force", "leave", "push", "drive", "cause", "get", "spur", "inspire", "encourage",
     "urge", "ask", "tell", "allow", "enable", "permit", "convince", "persuade", "compel", "invite",
     "require", "pressure", "press", "challenge", "dare", "empower", "authorize", "order", "instruct",
     "direct", "motivate", "provoke", "move", "trigger", "galvanize", "embolden", "free", "expect", "want"}
)
# Dependencies that lead from a noun up to the clause it is an argument of.
NOUN_TO_CLAUSE_DEPS = frozenset({"dobj", "pobj", "prep", "attr", "compound", "appos", "poss", "acl", "relcl"})
# How many steps `participle_subject` climbs from the noun to its clause.
_CLIMB = 6


def own_subject(verb: "Token") -> "Token | None":
    """The verb's subject; of two, the one that is not a relative pronoun of the reported
    clause (`which they say left …`, `whom many believed was …`)."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) > 1 and subjects[0].tag_ in RELATIVE_TAGS:
        plain = [c for c in subjects if c.tag_ not in RELATIVE_TAGS]
        if plain:
            return plain[0]
    return subjects[0] if subjects else None


def controller(infinitive: "Token") -> "Token | None":
    """The object that controls an infinitive complement (`led Republicans to say`)."""
    if infinitive.dep_ != "xcomp" or infinitive.tag_ != "VB":
        return None
    head = infinitive.head
    if head.lemma_.lower() not in CAUSATIVE_VERBS:
        return None
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in infinitive.children):
        return None
    objects = [c for c in head.children if c.dep_ in CONTROLLER_DEPS and c.i < infinitive.i]
    if not objects or objects[-1].pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    return objects[-1]


def participle_subject(participle: "Token") -> "Token | None":
    """The subject of the clause that a participle set off by a comma continues, when the
    parser made the participle a modifier of a noun in that clause (`Trump made a third
    attempt to deflect the criticism, writing on Twitter …`)."""
    doc = participle.doc
    if participle.tag_ != "VBG" or participle.dep_ != "acl" or participle.i == 0:
        return None
    if doc[participle.i - 1].text != ",":
        return None
    token = participle.head
    for _ in range(_CLIMB):
        if token.pos_ in ("VERB", "AUX") and (own_subject(token) is not None or token.dep_ not in ("acl", "xcomp")):
            return own_subject(token)  # an infinitive on the way ("an attempt to end X") has none
        if token.dep_ not in NOUN_TO_CLAUSE_DEPS or token.head.i == token.i:
            return None
        token = token.head
    return None


def name_read_as_modal(verb: "Token") -> "Token | None":
    """A capitalised modal before a finite verb (`Will believes …`): a name, the subject."""
    if verb.tag_ not in ("VBD", "VBZ"):
        return None
    for child in verb.children:
        if child.dep_ == "aux" and child.tag_ == "MD" and child.i < verb.i and child.is_title:
            return child
    return None


# Dependencies inside the phrases between a passive verb and a stranded `by`.
_PHRASE_DEPS = frozenset({"prep", "pobj", "dobj", "npadvmod", "compound", "amod", "nummod", "poss", "det", "advmod"})


def stranded_agent(verb: "Token") -> "Token | None":
    """The object of a `by` that belongs to the passive `verb` but hangs on a phrase after it."""
    for token in verb.subtree:
        if token.i <= verb.i or token.lower_ != "by" or token.dep_ not in ("prep", "agent"):
            continue
        head = token.head
        while head.i != verb.i and head.dep_ in _PHRASE_DEPS and head.pos_ not in ("VERB", "AUX"):
            head = head.head
        if head.i != verb.i:
            continue
        return next((c for c in token.children if c.dep_ == "pobj"), None)
    return None
