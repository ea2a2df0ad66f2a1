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
  nearest noun;
- `cited_poll`: the one poll or survey that `in` cites for its clause (`Smith leads by
  six points in a new state poll`): the poll is the source, as PolNeAR marks it;
- `holding_verb` and `names_someone`: the active verb whose clause holds a noun of speech
  without a possessor, and whether its subject is a person or a body, who then made the
  act the noun names (`Putin came close to an admission that …`, `she rose to the defence
  of her aide`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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
    clause (`which they say left …`, `whom many believed was …`). Of two before the verb with
    a comma between them, the nearer (`in Salem, New Hampshire, Trump went after Bush`: the
    parser made the end of a place a second subject); else the first, of one phrase read as
    two (`the news agency TASS said`, `Obama the realist knows`)."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    # "he ’s said": the parser made the contracted "has" the subject, and "he" its subject
    subjects = [next((g for g in c.children if g.dep_ in SUBJECT_DEPS), c) if c.lower_ in ("'s", "’s") else c
                for c in subjects]
    if len(subjects) > 1:
        plain = [c for c in subjects if c.tag_ not in RELATIVE_TAGS] or subjects
        before = [c for c in plain if c.i < verb.i]
        if len(before) > 1 and any(t.text == "," for t in verb.doc[before[-2].right_edge.i + 1:before[-1].left_edge.i]):
            return before[-1]
        return before[0] if before else plain[0]
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


def _named_subject(verb: "Token") -> "Token | None":
    """The verb's own subject when it names someone itself: not a relative pronoun of the
    clause, nor an expletive `it`/`there`."""
    subject = own_subject(verb)
    if subject is None or subject.tag_ in RELATIVE_TAGS or subject.lower_ in ("it", "there"):
        return None
    return subject


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


# Words after an inverted speech verb that are what was said, not who said it
# ("…, said nothing", "…, said so").
_NOT_SPEAKERS = frozenset({"nothing", "something", "anything", "that", "this", "it", "so", "yes", "no", "little", "much"})
_SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_CLOSING_MARKS = frozenset({'"', "”", "''", "’"})
# What may follow a speaker phrase: the sentence goes on or ends.
_SPEAKER_ENDS = frozenset({",", ".", ";", "!", "?", ")"})
# Parts of speech a speaker phrase starts with ("said the mayor", "said Smith", "said he").
_SPEAKER_STARTS = frozenset({"DET", "PROPN", "NOUN", "ADJ", "NUM", "PRON"})
# Dependencies on the verb that make the phrase after it an object or an adverb, not a speaker.
_OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "npadvmod", "advmod", "prep", "acomp"})
# Punctuation that ends the speaker phrase of an inverted speech verb.
_PHRASE_ENDS = frozenset({",", ".", ";", ":", "—", "–", "!", "?", ")"})


def inverted_speaker(verb: "Token", sentence_end: int) -> tuple[int, int] | None:
    """Token range of the speaker after an inverted verb of speech (`…, said Doyle and
    others, would be clear`, `“…,” said a person close to the couple`, `…, say experts like
    Ann Lee, is the ground itself`), whatever the parser made of it.

    The verb follows a comma or a closing quotation mark and is followed by a noun phrase
    that runs, without a verb, to a comma or the end of the sentence.
    """
    doc = verb.doc
    if verb.i == 0 or verb.i + 1 >= sentence_end or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    before = doc[verb.i - 1]
    if before.text != "," and before.text not in _CLOSING_MARKS:
        return None
    first = doc[verb.i + 1]
    if first.lower_ in _NOT_SPEAKERS or first.pos_ not in _SPEAKER_STARTS or first.ent_type_ in ("DATE", "TIME"):
        return None  # "…, said in a statement", "…, said Sunday"
    if first.pos_ == "PRON" and first.lower_ not in _SPEAKER_PRONOUNS:
        return None
    end = verb.i + 1
    while end < sentence_end and not doc[end].is_quote and (
            doc[end].text not in _PHRASE_ENDS or (doc[end].text == ")" and _opened_in(doc, verb.i + 1, end))):
        token = doc[end]
        if token.pos_ in ("VERB", "AUX") or token.pos_ == "SCONJ" or token.dep_ == "mark":
            return None  # "said Trump is wrong", "told reporters that …": not a bare speaker
        end += 1
    if end < sentence_end and doc[end].text not in _SPEAKER_ENDS:
        return None  # `said Fiorina "was involved"`, `said the plan — …`: content follows
    words = doc[verb.i + 1 : end]
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in words):
        return None
    after_quote = before.text in _CLOSING_MARKS or (verb.i >= 2 and doc[verb.i - 2].text in _CLOSING_MARKS)
    misread = ("dobj", "dative") if after_quote else ()
    if any(t.dep_ in _OBJECT_DEPS and t.dep_ not in misread and t.head.i == verb.i for t in words):
        # "Ms. Lee, with a colleague, wrote an assessment": the verb's object; right after a
        # quotation a bare noun phrase is the speaker, whatever the parser made of it
        # ("…,” added another Republican.)
        return None
    return verb.i + 1, _with_apposition(doc, verb.i + 1, end, sentence_end)


def _opened_in(doc: "Doc", start: int, end: int) -> bool:
    """Whether a bracket opened between `start` and `end` is still open (`Rep. Lee (D-S.C.)`)."""
    words = [t.text for t in doc[start:end]]
    return words.count("(") > words.count(")")


def _with_apposition(doc: "Doc", start: int, end: int, sentence_end: int) -> int:
    """Extend a speaker phrase over the apposition after its comma (`Ann Lee, a geophysicist`)."""
    if end >= sentence_end or doc[end].text != ",":
        return end
    after = end + 1
    while after < sentence_end and doc[after].text not in _PHRASE_ENDS and not doc[after].is_quote:
        after += 1
    chunk = doc[end + 1 : after]
    if any(t.dep_ == "appos" and start <= t.head.i < end for t in chunk):
        return after
    return end


# Nouns naming a measurement of opinion that a clause can be reported from ("in a poll").
POLL_NOUNS = frozenset({"poll", "survey"})


def cited_poll(prep: "Token") -> "Token | None":
    """The noun of `in a/the … poll` that reports its clause, or None.

    Only one poll counts: `in the polls` is a standing in general (`ahead in the polls`),
    which PolNeAR marks as a source about one time in eight, while `in a new poll` or `in
    the latest survey` names who measured the clause (about two times in three on the
    PolNeAR train sample).
    """
    if prep.lower_ != "in" or prep.dep_ != "prep":
        return None
    noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lemma_.lower() not in POLL_NOUNS or noun.tag_ != "NN":
        return None
    return noun


# Entity types of a subject that can hold a view or make a statement.
_SOMEONE_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# How many heads up from a noun its clause's verb may be (`came close to an admission`).
_HOLDING_DEPTH = 4


def holding_verb(noun: "Token") -> "Token | None":
    """The verb whose clause `noun` sits in, None when that verb is passive (`a claim that
    … was rejected`: the subject is not who made it) or there is none near."""
    head = noun.head
    for _ in range(_HOLDING_DEPTH):
        if head.pos_ in ("VERB", "AUX"):
            break
        if head.head.i == head.i:
            return None
        head = head.head
    if head.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children):
        return None
    return head


def names_someone(token: "Token") -> bool:
    """Whether `token` names a person or a body (an entity, or a personal pronoun)."""
    return token.ent_type_ in _SOMEONE_ENTS or token.lower_ in _SPEAKER_PRONOUNS


# Messages a person or body issues, which a participle after them reports for the issuer
# (`put out a statement saying`, `posted a message reading`, `published a letter disputing`).
# Reports, polls and studies are not here: they speak for themselves (`a poll showing`).
MESSAGE_NOUNS = frozenset({
    "statement", "speech", "article", "ad", "advert", "advertisement", "message", "letter", "release",
    "editorial", "notice", "post", "tweet", "email", "e-mail", "video", "memo", "note", "op-ed",
    "column", "pitch", "appeal", "filing", "brief", "announcement", "remarks", "address", "essay",
    "petition", "press", "commercial", "spot", "mailer", "flyer", "leaflet", "website", "blog",
})
# Verbs that send a message to people, whom a participle after them then seems to describe
# (`emailed supporters saying`, `blasted out an email to supporters stating`).
SENDING_VERBS = frozenset({"email", "e-mail", "send", "blast", "text", "mail", "message", "write", "tweet"})


def issuer(noun: "Token") -> "Token | None":
    """Who issued the message `noun` names, or sent a message to the people `noun` names:
    the subject of the verb whose object the noun is (`Trump posted a message on Twitter
    reading …` gives `Trump`), or of a verb of sending whose `to` it follows."""
    verb = noun.head
    recipient = noun.dep_ == "pobj" and verb.lower_ == "to"  # "sent an email to supporters saying"
    if recipient:
        verb = verb.head
    elif noun.dep_ not in ("dobj", "dative"):
        return None  # "In a statement announcing the pick, the union called …": the statement speaks
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    sending = verb.lemma_.lower() in SENDING_VERBS
    if not (sending or (not recipient and noun.lemma_.lower() in MESSAGE_NOUNS)):
        return None
    return _named_subject(verb)


def extraposed(subject: "Token", verb: "Token") -> bool:
    """`it` holding the place of an infinitive after `be` and an adjective or noun (`it is
    hard to know`, `it's a mistake to assume`): nobody is named as the one who knows."""
    if subject.lower_ != "it" or verb.lemma_.lower() != "be":
        return False
    return any(c.dep_ in ("acomp", "attr") and c.pos_ in ("ADJ", "NOUN") for c in verb.children)


def infinitive_owner(infinitive: "Token") -> "Token | None":
    """Who would act in an infinitive on the object of a verb (`the media has done nothing
    to explain this`, `he had reason to know`): that verb's subject."""
    if infinitive.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in infinitive.children):
        return None
    noun = infinitive.head
    if noun.dep_ != "dobj" or noun.head.pos_ not in ("VERB", "AUX"):
        return None
    return _named_subject(noun.head)


# Possessive pronouns and the subjects they refer back to in their own clause.
_POSSESSIVE_SUBJECTS = {"his": "he", "her": "she", "their": "they", "our": "we", "my": "i"}
_SINGULAR_TAGS = frozenset({"NN", "NNP"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS", "NN", "NNP"})  # collective nouns take `their` too


def possessor_named(possessor: "Token", verb: "Token | None") -> "Token | None":
    """The subject a possessive pronoun refers back to in its own clause (`Trump is doubling
    down on his support for …`, `members of the GOP are not mincing words in their
    opposition`): PolNeAR names the subject, not the pronoun, as the source."""
    pronoun = _POSSESSIVE_SUBJECTS.get(possessor.lower_)
    if pronoun is None or verb is None:
        return None
    subject = own_subject(verb)
    if subject is None or subject.i > possessor.i or subject.tag_ in RELATIVE_TAGS:
        return None
    if subject.pos_ == "PRON":
        return subject if subject.lower_ == pronoun else None
    tags = _PLURAL_TAGS if pronoun in ("they", "we") else _SINGULAR_TAGS
    return subject if subject.tag_ in tags and subject.pos_ in ("NOUN", "PROPN") else None


# Verbs after which an object and a participle form one predication: the object acts in
# the participle (`left many nations feeling that …`, `caught the mayor saying …`).
OBJECT_PREDICATE_VERBS = frozenset({
    "leave", "see", "hear", "watch", "catch", "find", "show", "keep", "notice", "observe",
    "imagine", "picture", "depict", "feature", "film", "record", "quote", "remember", "recall",
})


def actor_before(participle: "Token") -> "Token | None":
    """The person or body named right before a participle, with no comma between (`footage
    of Hillary Clinton asking …`, `a video shows the mayor saying …`): the one who acts in
    it, wherever the parser hung the participle."""
    doc = participle.doc
    if participle.i == 0:
        return None
    token = doc[participle.i - 1]
    while token.dep_ in ("compound", "flat") and token.head.i == token.i + 1:
        token = token.head
    if token.i != participle.i - 1 or token.pos_ not in ("PROPN", "PRON", "NOUN"):
        return None
    if token.dep_ in SUBJECT_DEPS or token.i == participle.head.i:
        return None  # the participle's clause's own subject, or its head noun: the usual rules
    if (token.dep_ == "dobj" and token.head.i == participle.head.i and participle.dep_ != "acl"
            and token.head.lemma_.lower() in OBJECT_PREDICATE_VERBS and token.lower_ != "it"):
        return token  # "left many nations feeling that …", "heard the senator saying …"
    if token.dep_ == "pobj" and token.head.lower_ != "of":
        return None  # "wrote a letter to Zucker asking", "was on CNN talking": recipient, medium
    return token if token.ent_type_ in ("PERSON", "NORP") or token.lower_ in _SPEAKER_PRONOUNS else None
