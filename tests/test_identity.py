import pytest

from newsgraph.identity import (
    article_id,
    clean_text,
    date_precision,
    make_article,
    short_id,
    source_name,
    split_trailer,
    text_key,
    text_key_of,
    with_defaults,
)
from newsgraph.types import RawArticle


@pytest.mark.parametrize(
    "text, body, source",
    [
        ("Body line.\nOriginal Source: www.independent.co.uk", "Body line.", "www.independent.co.uk"),
        ("Body.\n\noriginal source:   example.org/story  \n", "Body.", "example.org/story"),
        ("Body.\nOriginally published by Reuters.", "Body.", "Reuters"),
        ("Body.\nOriginal Source: a.org\nAll rights reserved.", "Body.\nAll rights reserved.", "a.org"),
        ("The original source of the leak was unclear.\nMore text.", None, None),
    ],
)
def test_identity_trailer_is_split_from_body(text, body, source):
    got_body, got_source = split_trailer(clean_text(text))
    assert got_source == source
    assert got_body == (body if body is not None else clean_text(text))


def test_identity_same_text_same_id_despite_whitespace_and_quotes():
    a = "Russia’s envoy said “no”.\r\n\r\nSecond   paragraph."
    b = "Russia's envoy said \"no\".\n\nSecond paragraph.\n"
    assert article_id(clean_text(a)) == article_id(clean_text(b))
    assert article_id("One story.") != article_id("Another story.")


def test_identity_make_article_records_original_source_and_precision():
    raw = RawArticle(text="Text of the story here.\nOriginal Source: www.example.org", source="x.txt")
    article = make_article(with_defaults(raw, published="2025-03-21", outlet="Desk"), language="en")
    assert article.text == "Text of the story here."
    assert article.original_source == "www.example.org"
    assert article.published_precision == "day"
    assert article.outlet == "Desk"
    assert article.id == "20250321-" + text_key("Text of the story here.")


@pytest.mark.parametrize(
    "published, prefix",
    [
        ("2025-03-21", "20250321-"),
        ("2025-03-21T23:59:00+05:00", "20250321-"),  # the day as the article gives it
        ("2025-03", "202503-"),
        ("2025", ""),  # a year is too coarse to order by
        (None, ""),
        ("", ""),
        ("21 March 2025", ""),  # not ISO: no day is guessed
    ],
)
def test_identity_article_id_begins_with_the_publication_day_so_ids_follow_time(published, prefix):
    assert article_id("A story.", published) == prefix + text_key("A story.")


def test_identity_ids_of_one_text_on_two_days_differ_but_share_their_text_key():
    first, later = article_id("A story.", "2025-03-21"), article_id("A story.", "2025-04-02")
    assert first != later
    assert text_key_of(first) == text_key_of(later) == text_key_of(article_id("A story.")) == text_key("A story.")
    assert sorted([later, first]) == [first, later]


def test_identity_short_id_is_a_prefix_that_keeps_the_day_and_eight_digits_of_the_text():
    dated, undated = article_id("A story.", "2025-03-21"), article_id("A story.")
    assert short_id(dated) == "20250321-" + undated[:8]
    assert short_id(undated) == undated[:8]
    assert dated.startswith(short_id(dated))
    assert short_id("doc-7") == "doc-7"  # an id of another shape is kept whole


def test_identity_defaults_never_override_what_the_file_says():
    raw = RawArticle(text="x" * 30, source="f", published="2020-01-01", outlet="Own")
    filled = with_defaults(raw, published="2025-03-21", outlet="Other", url="http://u")
    assert (filled.published, filled.outlet, filled.url) == ("2020-01-01", "Own", "http://u")


@pytest.mark.parametrize(
    "value, precision",
    [("2025", "year"), ("2025-03", "month"), ("2025-03-21", "day"),
     ("2025-03-21T10:00", "minute"), ("2025-03-21T10:00:05+00:00", "second"), (None, None)],
)
def test_identity_date_precision(value, precision):
    assert date_precision(value) == precision


@pytest.mark.parametrize(
    "text, language",
    [
        ("Kenyan President William Ruto met Somali President Hassan Sheikh Mohamud in Nairobi on Friday.", "en"),
        ("Die Bundesregierung hat am Montag in Berlin ein neues Hilfspaket angekündigt.", "de"),
        ("Le président a rencontré son homologue à Paris hier soir.", "fr"),
        ("12 34 56", None),
    ],
)
def test_language_detection_on_short_news_sentences(text, language):
    from newsgraph.language import detect_language

    assert detect_language(text) == language


LONG_LEAD = ("Ministers from eleven coastal states agreed on Friday to share patrol data. " + "More words follow. " * 8)


@pytest.mark.parametrize("text, title", [
    ("Coastal states agree to share patrol data\n\nMinisters met on Friday.", "Coastal states agree to share patrol data"),
    ("\n  \nHarbour reopens after storm\nThe port said on Monday.", "Harbour reopens after storm"),
    (LONG_LEAD, "Ministers from eleven coastal states agreed on Friday to share patrol data."),
    ("word " * 60, ("word " * 19).strip() + "…"),
])
def test_identity_untitled_article_is_titled_by_its_first_line_or_sentence(text, title):
    article = make_article(RawArticle(text=text, source="/home/someone/feeds/2025/story.txt"))
    assert article.title == title and "/" not in article.title


def test_identity_given_title_is_kept():
    assert make_article(RawArticle(text="Body.", source="/x/y.txt", title="Given")).title == "Given"


@pytest.mark.parametrize("source, name", [
    ("/home/someone/feeds/story.txt", "story.txt"), ("C:\\feeds\\story.txt", "story.txt"),
    ("/data/dump.jsonl:12", "dump.jsonl:12"), ("/data/feed.rss#3", "feed.rss#3"), ("<stdin>", "<stdin>"),
    ("", None), (None, None),
])
def test_identity_source_name_drops_the_folders(source, name):
    assert source_name(source) == name
