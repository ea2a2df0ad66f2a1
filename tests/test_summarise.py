"""The extractive summariser on self-written articles: what it skips, what it keeps, and its spans."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.summarise import SummariseError, SummarySentence, lead, split_sentences, summarise

ARTICLE = """By Jane Roe for MailOnline
PUBLISHED: 10:02 EST, 3 April 2015
The city council of Northbridge approved a new flood barrier on Tuesday after a vote of 9 to 2.
The barrier will cost 40 million pounds and protect 12,000 homes along the river.
Scroll down for video
Council leader Anna Price said the flood barrier vote was the most important of her career.
Engineers from the Environment Agency will begin work on the barrier in September.
A man walks his dog by the river (pictured)
Residents who lost homes in the 2013 floods welcomed the council decision on the barrier.
Local shops reopened last week."""


def _check_spans(text: str, summary: list[SummarySentence]) -> None:
    for s in summary:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_summarise_skips_bylines_boilerplate_and_captions():
    summary = summarise(ARTICLE, sentences=3)
    assert len(summary) == 3
    joined = " ".join(s.text for s in summary)
    for furniture in ("MailOnline", "PUBLISHED", "Scroll down", "pictured", "Local shops"):
        assert furniture not in joined
    assert summary[0].text.startswith("The city council of Northbridge approved")
    _check_spans(ARTICLE, summary)


def test_summarise_returns_sentences_in_document_order_with_their_index():
    summary = summarise(ARTICLE, sentences=4)
    assert [s.start for s in summary] == sorted(s.start for s in summary)
    spans = split_sentences(ARTICLE)
    for s in summary:
        assert spans[s.index] == (s.start, s.end)


def test_summarise_drops_a_sentence_that_restates_a_chosen_one():
    text = (
        "Floods closed the main bridge in Northbridge on Monday, cutting the town in two.\n"
        "On Monday floods closed the main bridge in Northbridge, cutting the town in two.\n"
        "The army sent 200 soldiers with sandbags to protect the hospital.\n"
        "Schools will stay shut until the water level falls below the warning mark.\n"
    )
    summary = summarise(text, sentences=3)
    texts = [s.text for s in summary]
    assert sum("main bridge" in t for t in texts) == 1
    assert any("soldiers" in t for t in texts) and any("Schools" in t for t in texts)


def test_summarise_cuts_the_dateline_off_the_first_sentence():
    text = (
        "LONDON (Reuters) - The Bank of England raised interest rates to 5 percent on Thursday.\n"
        "Economists had expected the rise after inflation climbed for a third month in a row.\n"
    )
    summary = summarise(text, sentences=2)
    assert summary[0].text.startswith("The Bank of England")
    _check_spans(text, summary)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones in the U.S. capital. They talked.", 2),
        ("A headline without a full stop\nThe story begins here. It goes on.", 3),
        ("He paid $3.5 million. J. R. Smith agreed!  Then he left?", 3),
    ],
)
def test_summarise_splits_text_without_a_model(text, expected):
    spans = split_sentences(text)
    assert len(spans) == expected
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_summarise_uses_the_sentences_and_entities_of_a_parsed_doc():
    words = (
        "Storms hit Northbridge on Monday .\n"
        "Northbridge lost power for 9 hours as storms hit the coast .\n"
        "Officials in Northbridge said repairs to power lines would take a week ."
    ).replace("\n", " \n ").split(" ")
    spaces = [w not in {"\n"} and nxt not in {".", "\n"} for w, nxt in zip(words, words[1:] + [""])]
    sent_starts = [i == 0 or words[i - 1] == "\n" for i in range(len(words))]
    doc = Doc(Vocab(), words=words, spaces=spaces, sent_starts=sent_starts,
              ents=["B-GPE" if w == "Northbridge" else "O" for w in words])
    summary = summarise(doc, sentences=1)
    assert len(summary) == 1
    # the short first line is a fragment; the span is cut from the Doc text
    assert summary[0].text == "Northbridge lost power for 9 hours as storms hit the coast."
    _check_spans(doc.text, summary)


def test_summarise_is_deterministic_and_handles_small_inputs():
    assert summarise(ARTICLE) == summarise(ARTICLE)
    assert summarise(ARTICLE, sentences=0) == []
    assert summarise("") == []
    one = "Only one proper sentence stands in this short little text."
    assert [s.text for s in summarise(one, sentences=3)] == [one]


def test_summarise_rejects_what_is_not_text():
    with pytest.raises(SummariseError):
        summarise(42)  # type: ignore[arg-type]


def test_summarise_lead_takes_the_first_sentences_whatever_they_are():
    assert [s.text for s in lead(ARTICLE, sentences=2)] == ["By Jane Roe for MailOnline", "PUBLISHED: 10:02 EST, 3 April 2015"]


@pytest.mark.parametrize("text, mended", [
    # the page broke the sentence after a function word: the halves are one sentence again
    ("Hundreds of residents of the valley left their homes for the first night of\n"
     "Storm Elsa warnings as the river rose over the old stone bridge.\n"
     "The mayor opened two school halls for the families who had nowhere else to stay.\n",
     "Hundreds of residents of the valley left their homes for the first night of\n"
     "Storm Elsa warnings as the river rose over the old stone bridge."),
    # the next line carries on in lower case
    ("Two volunteers from the lifeboat crew said the rescue was the hardest they had seen\n"
     "in twenty years of service on the northern coast.\n"
     "The boat was towed back to the harbour by a fishing trawler on Sunday morning.\n",
     "Two volunteers from the lifeboat crew said the rescue was the hardest they had seen\n"
     "in twenty years of service on the northern coast."),
])
def test_summarise_mends_a_sentence_the_page_broke_across_lines(text, mended):
    summary = summarise(text, sentences=1)
    assert [s.text for s in summary] == [mended]
    _check_spans(text, summary)


def test_summarise_keeps_a_headline_apart_from_the_sentence_after_it():
    text = ("Flood barrier approved after long debate\n"
            "The city council of Northbridge approved a new flood barrier on Tuesday after a vote of 9 to 2.\n")
    assert [s.text for s in summarise(text, sentences=1)] == [text.splitlines()[1]]


def test_summarise_stops_at_about_the_length_of_a_highlight_block():
    text = ("The regional council approved a plan on Tuesday to rebuild nine bridges, four schools and two clinics "
            "in the flooded valley over the coming three years with money from the national recovery fund, which the "
            "government topped up in the autumn.\n"
            "Farmers whose fields stayed under water for most of the winter will receive compensation for lost "
            "harvests, damaged machinery and drowned livestock from a separate emergency budget that ministers set up "
            "in March after weeks of protests.\n"
            "Weather forecasters expect another wet spring across the northern hills, and engineers have asked "
            "residents living near the river banks to keep sandbags ready until the new defences are finished.\n")
    summary = summarise(text, sentences=3)
    assert 1 < len(summary) < 3  # two long sentences already make a highlight block's length


def test_summarise_prefers_a_sentence_the_article_goes_on_to_explain():
    text = ("Vendors at the old market complained about the rain on Saturday morning.\n"
            "The council will close the harbour bridge for repairs from next month.\n"
            "Engineers found cracks in the harbour bridge during a routine inspection.\n"
            "Repairs to the harbour bridge will take six weeks and cost two million pounds.\n"
            "Drivers will use the ring road while the harbour bridge is closed.\n")
    (first,) = summarise(text, sentences=1)
    assert first.text.startswith("The council will close the harbour bridge")
