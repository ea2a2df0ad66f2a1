"""Time expressions: tagging spans and normalising them to TIMEX3 values."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsgraph.extract.timex import Timex, normalise, parse_dct, precision_of, timexes

DCT = "2025-03-21"  # a Friday: the seed article's date


def _only(text: str, dct=DCT) -> Timex:
    found = list(timexes(text, dct))
    assert len(found) == 1, found
    return found[0]


# (sentence, expected expression text, type, value)
CASES = [
    # explicit dates in common news formats
    ("The treaty was signed in June 2024.", "June 2024", "DATE", "2024-06"),
    ("It was signed on March 21, 2025.", "March 21, 2025", "DATE", "2025-03-21"),
    ("It was signed on 21 March 2025.", "21 March 2025", "DATE", "2025-03-21"),
    ("It was signed on 2025-03-21.", "2025-03-21", "DATE", "2025-03-21"),
    ("It was signed on 3/21/2025.", "3/21/2025", "DATE", "2025-03-21"),
    ("It was signed on Aug. 7, 1998.", "Aug. 7, 1998", "DATE", "1998-08-07"),
    ("Talks ended on Friday, Oct. 23, 1998.", "Friday, Oct. 23, 1998", "DATE", "1998-10-23"),
    ("The pact was signed in 2024.", "2024", "DATE", "2024"),
    ("A mutual defence treaty established in 2024", "2024", "DATE", "2024"),
    ("Prices soared in the 1990s.", "the 1990s", "DATE", "199"),
    ("Prices soared in the '90s.", "the '90s", "DATE", "199"),
    ("Prices soared in the nineties.", "the nineties", "DATE", "199"),
    ("It was built in the 20th century.", "the 20th century", "DATE", "19"),
    ("It was written in nineteen ninety-seven.", "nineteen ninety-seven", "DATE", "1997"),
    ("Revenue in fiscal 2024 rose.", "fiscal 2024", "DATE", "2024"),
    ("Sales rose in the third quarter of 2023.", "the third quarter of 2023", "DATE", "2023-Q3"),
    ("Sales rose in the first half of 2024.", "the first half of 2024", "DATE", "2024-H1"),
    ("Fighting raged in the spring of 2023.", "the spring of 2023", "DATE", "2023-SP"),
    # relative to the document date
    ("He arrived yesterday.", "yesterday", "DATE", "2025-03-20"),
    ("He arrives today.", "today", "DATE", "2025-03-21"),
    ("He will arrive tomorrow.", "tomorrow", "DATE", "2025-03-22"),
    ("He spoke last night.", "last night", "TIME", "2025-03-20TNI"),
    ("He spoke this morning.", "this morning", "TIME", "2025-03-21TMO"),
    ("He met Kim on Wednesday.", "Wednesday", "DATE", "2025-03-19"),
    ("He will meet Kim on Wednesday.", "Wednesday", "DATE", "2025-03-26"),
    ("He met Kim last Monday.", "last Monday", "DATE", "2025-03-17"),
    ("He will meet Kim next Monday.", "next Monday", "DATE", "2025-03-24"),
    ("It happened last week.", "last week", "DATE", "2025-W11"),
    ("It happened last month.", "last month", "DATE", "2025-02"),
    ("It will happen next year.", "next year", "DATE", "2026"),
    ("It happened this year.", "this year", "DATE", "2025"),
    ("Fighting has raged since last summer.", "last summer", "DATE", "2024-SU"),
    ("It snowed last winter.", "last winter", "DATE", "2024-WI"),
    ("He served until May.", "May", "DATE", "2024-05"),
    ("He resigned in May.", "May", "DATE", "2024-05"),
    ("He will resign in May.", "May", "DATE", "2025-05"),
    ("He resigned last May.", "last May", "DATE", "2024-05"),
    ("The vote is scheduled for Dec. 10.", "Dec. 10", "DATE", "2025-12-10"),
    ("The vote was held on Jan. 10.", "Jan. 10", "DATE", "2025-01-10"),
    ("The plant closed three years ago.", "three years ago", "DATE", "2022"),
    ("The plant closed two months ago.", "two months ago", "DATE", "2025-01"),
    ("The plant closed 10 days ago.", "10 days ago", "DATE", "2025-03-11"),
    ("Sales rose in the third quarter.", "the third quarter", "DATE", "2024-Q3"),
    ("Profit fell in the fourth quarter.", "the fourth quarter", "DATE", "2024-Q4"),
    ("Profit will rise this quarter.", "this quarter", "DATE", "2025-Q1"),
    ("Markets closed at 3 p.m.", "3 p.m.", "TIME", "2025-03-21T15:00"),
    ("Markets closed at 10:35 a.m. yesterday.", "10:35 a.m. yesterday", "TIME", "2025-03-20T10:35"),
    ("They met at noon.", "noon", "TIME", "2025-03-21T12:00"),
    ("Shops closed on Christmas Day.", "Christmas Day", "DATE", "2024-12-25"),
    ("Stores close on Thanksgiving 2024.", "Thanksgiving 2024", "DATE", "2024-11-28"),
    # durations
    ("He ruled for three years.", "three years", "DURATION", "P3Y"),
    ("Talks lasted two weeks.", "two weeks", "DURATION", "P2W"),
    ("Talks lasted 48 hours.", "48 hours", "DURATION", "PT48H"),
    ("Talks lasted twenty-four hours.", "twenty-four hours", "DURATION", "PT24H"),
    ("He served two and a half years.", "two and a half years", "DURATION", "P2Y6M"),
    ("He waited 2 1/2 hours.", "2 1/2 hours", "DURATION", "PT2H30M"),
    ("He waited half an hour.", "half an hour", "DURATION", "PT30M"),
    ("Prices fell over the past three months.", "the past three months", "DURATION", "P3M"),
    ("He waited a few days.", "a few days", "DURATION", "PXD"),
    ("He waited several years.", "several years", "DURATION", "PXY"),
    ("It is a five-year plan.", "five-year", "DURATION", "P5Y"),
    ("He won a second term.", None, None, None),
    # sets
    ("They meet every week.", "every week", "SET", "P1W"),
    ("They meet weekly.", "weekly", "SET", "P1W"),
    ("The paper appears daily.", "daily", "SET", "P1D"),
    ("They meet every Sunday.", "every Sunday", "SET", "XXXX-WXX-7"),
    # anchor-less references
    ("Prices are now higher.", "now", "DATE", "PRESENT_REF"),
    ("He currently lives abroad.", "currently", "DATE", "PRESENT_REF"),
    ("He recently moved.", "recently", "DATE", "PAST_REF"),
    ("Things were different in the past.", "the past", "DATE", "PAST_REF"),
    ("Prices may rise in the future.", "the future", "DATE", "FUTURE_REF"),
    # not time expressions
    ("He may resign; the march went on.", None, None, None),
    ("The fall in prices worried traders.", None, None, None),
    ("A 45-year-old man was hurt.", None, None, None),
    ("He won 1,990 votes and $2024.", None, None, None),
]


@pytest.mark.parametrize("text,expected_text,type_,value", CASES)
def test_timex_normalises_construction(text, expected_text, type_, value):
    found = list(timexes(text, DCT))
    if expected_text is None:
        assert found == []
        return
    assert [(t.text, t.type, t.value) for t in found] == [(expected_text, type_, value)]
    t = found[0]
    assert text[t.start:t.end] == t.text


@pytest.mark.parametrize(
    "text,dct,value",
    [
        ("Shares fell Friday.", "1989-10-30", "1989-10-27"),  # Monday dct: the Friday before
        ("Shares fell Friday.", "1989-10-27", "1989-10-27"),  # same weekday: the day itself
        ("The meeting will be held Friday.", "1989-10-25", "1989-10-27"),
        ("It happened in April.", "1998-12-05", "1998-04"),
        ("The deal will close in April.", "1998-12-05", "1999-04"),
        ("Profit fell in the fourth quarter.", "1989-08-15", "1988-Q4"),
        ("Net rose in the third quarter, up from $1 a share a year ago.", "1989-10-26", "1988-Q3"),
        ("Last year sales rose.", "1989-10-26", "1988"),
        ("Stocks crashed last fall.", "1998-02-06", "1997-FA"),
        ("He will sign it the day after tomorrow.", "2000-01-30", "2000-02-01"),
        # a day with its year named relative to the dct: the year, not the nearest such day
        ("They met on September 13 last year.", "2025-10-01", "2024-09-13"),
        ("They met on 13 September last year.", "2025-10-01", "2024-09-13"),
        ("They will meet on May 2 next year.", "2025-10-01", "2026-05-02"),
    ],
)
def test_timex_resolves_against_the_document_date(text, dct, value):
    assert [t.value for t in timexes(text, dct)][-1] == value


def test_timex_seed_expressions_resolve_as_the_issue_asks():
    text = (
        "Shoigu, who previously served as defense minister until May and has been the secretary "
        "of the Security Council since then, has visited Pyongyang. Russian forces have fought "
        "in the region since last summer. A treaty was established in June 2024. A pact signed in 2024."
    )
    found = {t.text: t for t in timexes(text, DCT)}
    assert found["May"].value == "2024-05" and found["May"].range_end == "2024-05"
    assert found["May"].mod == "ON_OR_BEFORE"
    assert found["then"].value == "2024-05" and found["then"].range_start == "2024-05"
    assert found["last summer"].value == "2024-SU" and found["last summer"].range_start == "2024-SU"
    assert found["last summer"].mod == "ON_OR_AFTER" and found["last summer"].precision == "season"
    assert found["June 2024"].value == "2024-06" and found["June 2024"].precision == "month"
    assert found["2024"].value == "2024"


def test_timex_since_then_without_a_date_is_past_ref():
    t = _only("He has lived there since then.")
    assert (t.text, t.value, t.anchored) == ("then", "PAST_REF", False)


def test_timex_from_to_gives_both_bounds():
    found = list(timexes("The offer runs from June 2024 to March 2025.", DCT))
    assert [(t.range_start, t.range_end) for t in found] == [("2024-06", "2025-03")] * 2


def test_timex_modifiers_join_the_span():
    found = [(t.text, t.value, t.mod) for t in timexes(
        "It ends at the end of 1990, lasted at least 30 days, began in mid-1996 and took about two years.", DCT)]
    assert found == [
        ("the end of 1990", "1990", "END"),
        ("at least 30 days", "P30D", "EQUAL_OR_MORE"),
        ("mid-1996", "1996", "MID"),
        ("about two years", "P2Y", "APPROX"),
    ]


def test_timex_without_dct_keeps_unknown_parts():
    assert _only("He resigned in May.", None).value == "XXXX-05"
    assert _only("He resigned on Wednesday.", None).value == "XXXX-WXX-3"
    assert not _only("He resigned on Wednesday.", None).anchored
    assert _only("He resigned in June 2024.", None).value == "2024-06"


def test_timex_anchored_flags_relative_expressions_only():
    assert _only("He left yesterday.").anchored
    assert not _only("He left in June 2024.").anchored


def test_timex_results_are_in_order_and_do_not_overlap():
    text = "On Friday, Oct. 23, 1998, and for three years since 1995, every week until next May."
    found = list(timexes(text, DCT))
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert found[0].text == "Friday, Oct. 23, 1998"  # the longest match wins over "Friday"


@pytest.mark.parametrize(
    "expression,value,type_",
    [("last summer", "2024-SU", "DATE"), ("three years", "P3Y", "DURATION"), ("until May", "2024-05", "DATE"),
     ("every day", "P1D", "SET"), ("nothing here", None, None)],
)
def test_timex_normalise_one_expression(expression, value, type_):
    t = normalise(expression, DCT)
    assert (t.value, t.type) == (value, type_) if value else t is None


@pytest.mark.parametrize(
    "dct,expected",
    [(date(2025, 3, 21), datetime(2025, 3, 21)), ("2025-03-21T15:00", datetime(2025, 3, 21, 15)),
     ("1998-03-22T14:57:00", datetime(1998, 3, 22, 14, 57)), ("19980108", datetime(1998, 1, 8)),
     (None, None), ("not a date", None)],
)
def test_timex_parse_dct(dct, expected):
    assert parse_dct(dct) == expected


@pytest.mark.parametrize(
    "value,precision",
    [("2024-06", "month"), ("2024-06-01", "day"), ("2024", "year"), ("2024-SU", "season"),
     ("2024-W12", "week"), ("199", "decade"), ("19", "century"), ("2024-03-21T15:00", "time"),
     ("XXXX-05", "month"), ("PRESENT_REF", None)],
)
def test_timex_precision_of_value(value, precision):
    assert precision_of(value) == precision


def test_timex_seed_article(seed_path):
    found = {t.text: t.value for t in timexes(seed_path.read_text(encoding="utf-8"), DCT)}
    assert found["June 2024"] == "2024-06"
    assert found["May"] == "2024-05"
    assert found["last summer"] == "2024-SU"


@pytest.mark.parametrize("text", ["a\nfive-year plan", "an\tthree-day visit", "A  two-week trip"])
def test_timex_article_before_hyphenated_duration_with_any_whitespace(text):
    (found,) = timexes(text, "2025-01-01")
    assert found.type == "DURATION" and not found.text.lower().startswith("a")


def test_timex_a_shift_past_the_calendar_is_the_past_not_an_error():
    found = list(timexes("The rock formed 900,000 weeks ago, the survey said.", "1987-03-01"))
    assert [t.value for t in found if "weeks" in t.text] == ["PAST_REF"]


# Dates relative to publication, each with its precision (issue 15). DCT is Friday 2025-03-21.
@pytest.mark.parametrize(
    ("text", "expression", "value", "precision"),
    [
        ("The convoy left on September 13 last year.", "September 13 last year", "2024-09-13", "day"),
        ("The talks collapsed in late February.", "late February", "2025-02", "month"),
        ("The minister resigned earlier this month.", "earlier this month", "2025-03", "month"),
        ("Protests began last spring.", "last spring", "2024-SP", "season"),
        ("The ministry said two weeks ago that it would act.", "two weeks ago", "2025-W10", "week"),
    ],
)
def test_timex_places_dates_relative_to_publication(text, expression, value, precision):
    found = _only(text)
    assert (found.text, found.value, found.precision, found.anchored) == (expression, value, precision, True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The envoys met on March 3. The following day, the deal was signed.", "2025-03-04"),
        ("The envoys met on March 3. The next morning they flew home.", "2025-03-04TMO"),
        ("The envoys met on March 3; talks had stalled the day before.", "2025-03-02"),
        ("The envoys met on March 3. That same day the border closed.", "2025-03-03"),
    ],
)
def test_timex_counts_anaphoric_days_from_the_last_named_day(text, value):
    assert [t.value for t in timexes(text, DCT)][-1] == value


def test_timex_leaves_an_anaphoric_day_without_a_named_day_alone():
    assert [t.text for t in timexes("Traders who sold that day lost most.", DCT)] == []


@pytest.mark.parametrize(
    ("text", "dct", "value"),
    [
        ("Officials said over the weekend that talks had stalled.", "2025-03-19", "2025-W11-WE"),
        ("The talks will resume over the weekend.", "2025-03-19", "2025-W12-WE"),
        ("Officials said over the weekend that talks had stalled.", "2025-03-23", "2025-W12-WE"),
    ],
)
def test_timex_weekend_follows_tense(text, dct, value):
    assert _only(text, dct).value == value


@pytest.mark.parametrize(
    ("text", "dct", "value"),
    [
        # the verb before the expression governs it, not a modal in the clause after it
        ("The ministry issued warnings on Thursday that strikes could follow.", "2025-03-21", "2025-03-20"),
        # "next to" is a place; "a still unspecified date" is no past tense
        ("Two blasts hit buildings next to the embassy on Friday.", "2025-03-22", "2025-03-21"),
        ("The bonus would go out to staff on a still unspecified date in January.", "2025-10-26", "2026-01"),
        # an initial's full stop does not end the sentence; "succeed" is no past tense
        ("Mr. Ode will succeed Daniel P. Doe Feb. 1, the bank said.", "2025-10-26", "2026-02-01"),
        # a participle takes its tense from the auxiliary
        ("The next round will be held on Friday.", "2025-03-19", "2025-03-21"),
        # a fronted expression takes the tense of the clause after it
        ("On Friday, the rebels fled the town.", "2025-03-25", "2025-03-21"),
        ("They were planning a march on Monday.", "2025-03-21", "2025-03-24"),
    ],
)
def test_timex_tense_decides_direction(text, dct, value):
    assert [t.value for t in timexes(text, dct)][-1] == value


@pytest.mark.parametrize(
    ("text", "expression", "type_", "value"),
    [
        ("Shipments will resume in a couple of years.", "a couple of years", "DURATION", "P2Y"),
        ("Net income for the year ended June 30 rose.", "the year", "DURATION", "P1Y"),
        ("Orangemen march each July.", "each July", "SET", "XXXX-07"),
        ("Flights leave on Tuesday nights.", "Tuesday nights", "SET", "XXXX-WXX-2TNI"),
        ("Markets are calmer these days.", "these days", "DATE", "PRESENT_REF"),
        ("Growth has slowed in recent years.", "recent years", "DATE", "PAST_REF"),
    ],
)
def test_timex_normalises_phrases_by_meaning(text, expression, type_, value):
    found = [t for t in timexes(text, DCT) if t.text == expression]
    assert [(t.type, t.value) for t in found] == [(type_, value)]


def test_timex_a_year_before_a_quarter_is_a_date_in_that_year():
    text = "Profit rose in the third quarter. In the 2023 quarter it had fallen; the latest period was better."
    values = {t.text: t.value for t in timexes(text, DCT)}
    assert values["the third quarter"] == "2024-Q3"  # a past third quarter, seen from March
    assert values["the 2023 quarter"] == "2023-Q3"  # not 2023 quarters
    assert values["the latest period"] == "2024-Q3"


@pytest.mark.parametrize(
    "text",
    [
        'Baker said on ABC\'s "This Week" that talks would go on.',
        "He told CBS's ''60 Minutes'' that he was sorry.",
        "Thousands joined the annual March for Life in the capital.",
    ],
)
def test_timex_titles_and_names_are_not_times(text):
    assert list(timexes(text, DCT)) == []


def test_timex_month_before_a_lower_case_for_is_still_a_month():
    assert _only("He resigned in March for health reasons.").value == "2025-03"


def test_timex_quoted_speech_that_opens_with_a_time_is_a_time():
    assert _only('"Tomorrow," the mayor said.').value == "2025-03-22"


@pytest.mark.parametrize(
    ("text", "dct", "value"),
    [
        # a past verb right after the expression governs it, whatever came before
        ("Ahead of the summit, the agency on Sunday published new figures.", "2025-03-19", "2025-03-16"),
        # a plan told in the past tense looked forward from a past time
        ("The offer had been due to expire on Friday.", "2025-03-24", "2025-03-21"),
        # a participle after a present auxiliary is no past tense
        ("The appeal is heard in May if the court agrees.", "2025-03-21", "2025-05"),
    ],
)
def test_timex_tense_from_the_verb_that_governs_the_expression(text, dct, value):
    assert [t.value for t in timexes(text, dct)][-1] == value


@pytest.mark.parametrize(
    "text", ["The plant makes 700 cars a week.", "The deal saves $2 million a year.", "Rooms cost $40 a night."]
)
def test_timex_rate_per_unit_is_not_a_duration(text):
    assert list(timexes(text, "2025-03-21")) == []


def test_timex_a_week_without_a_quantity_stays_a_duration():
    assert _only("The talks lasted a week.").value == "P1W"


@pytest.mark.parametrize(
    ("text", "dct", "expression", "value"),
    [
        # a half of a named year, however it is worded
        ("Earnings will fall in the last half of 2024.", "2024-03-21", "the last half of 2024", "2024-H2"),
        ("Demand holds through the first two quarters of 2025.", "2024-10-26", "the first two quarters of 2025", "2025-H1"),
        # the week holding a named day
        ("A hearing is set for the week of March 6.", "2025-02-24", "the week of March 6", "2025-W10"),
        # a holiday days away is this year's, even in a past-tense sentence; its week is an ISO week
        ("Pilgrims gathered as Easter week began.", "2025-04-14", "Easter week", "2025-W16"),
        ("Shops opened late before Christmas.", "2025-12-20", "Christmas", "2025-12-25"),
    ],
)
def test_timex_halves_weeks_and_holidays(text, dct, expression, value):
    found = _only(text, dct)
    assert (found.text, found.value) == (expression, value)


def test_timex_rate_with_a_spelled_number_is_not_a_duration():
    assert list(timexes("The airline runs four flights a week.", "2025-03-21")) == []


def _pairs(text: str, dct: str) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in timexes(text, dct)]


@pytest.mark.parametrize(
    ("text", "dct", "expected"),
    [
        # a bare hour before "in the morning" is a clock time; after a verb of change it is an amount
        ("The ferry leaves at 5 in the morning.", "2025-03-21", [("5 in the morning", "2025-03-21T05:00")]),
        ("The index dropped 12 in the morning and recovered.", "2025-03-21", []),
        # a modified part of the day on its own is the reported day's
        ("By late afternoon the streets were quiet.", "2025-03-21", [("late afternoon", "2025-03-21TAF")]),
        ("She took an early morning flight.", "2025-03-21", []),
        # a possessive month is still the month ("'s" stays out of the span)
        ("Economists revised November's jobs figures.", "2025-01-10", [("November", "2024-11")]),
    ],
)
def test_timex_clock_hours_parts_of_day_and_possessive_months(text, dct, expected):
    assert _pairs(text, dct) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "one day" after a modal is "someday", not a stretch of one day
        ("Engineers believe the probe will one day reach the comet.", [("one day", "FUTURE_REF")]),
        ("The strike lasted one day.", [("one day", "P1D")]),
        ("He hopes someday to coach the team.", [("someday", "FUTURE_REF")]),
        # plural quarters are a period only beside a word that counts or places them in time
        ("The shop turned a profit after several quarters of losses.", [("several quarters", "PXQ")]),
        ("Margins may shrink in coming quarters.", [("coming quarters", "FUTURE_REF")]),
        ("In some quarters the proposal was welcomed.", []),
        ("The soldiers returned to their quarters.", []),
        # "for a while" is a duration of unknown length; "once in a while" is no stretch of time
        ("The road will stay closed for a while.", [("a while", "PXX")]),
        ("Once in a while the bridge opens.", []),
    ],
)
def test_timex_someday_vague_quarters_and_a_while(text, expected):
    assert _pairs(text, "2025-03-21") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Now," opening a sentence is a discourse marker; "now" in a clause is the present
        ("The plan failed. Now, the board says, it will try again.", []),
        ("Now for the weather report.", []),
        ("The group now holds 5% of the shares.", [("now", "PRESENT_REF")]),
        # a year inside a name is no date; after a preposition it is
        ("They formed a venture called Nova 1990, which builds pumps.", []),
        ("They formed the venture in 1990.", [("1990", "1990")]),
        # "most recently" only leans on the date after it
        ("Three plants closed, most recently last October.", [("last October", "2024-10")]),
    ],
)
def test_timex_discourse_now_names_with_years_and_leaning_adverbs(text, expected):
    assert _pairs(text, "2025-03-21") == expected


@pytest.mark.parametrize(
    ("text", "dct", "expected"),
    [
        # the second of a pair of days shares the first one's month
        ("The summit is held on April 24 and 25.", "2025-03-21",
         [("April 24", "2025-04-24"), ("25", "2025-04-25")]),
        ("Sales rose on April 24 and 25 percent of buyers returned.", "2025-03-21", [("April 24", "2025-04-24")]),
        # a verb that moves an end point moves it forward, past tense or not
        ("The bank extended the credit line through January.", "2024-10-30", [("January", "2025-01")]),
        ("Officials postponed until Tuesday any decision on the permit.", "2025-03-20", [("Tuesday", "2025-03-25")]),
        ("He lived in the house until January.", "2024-10-30", [("January", "2024-01")]),
    ],
)
def test_timex_day_pairs_and_moved_end_points(text, dct, expected):
    assert _pairs(text, dct) == expected
