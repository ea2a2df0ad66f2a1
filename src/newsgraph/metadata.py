"""What the store's tables and columns mean, for people who browse the SQLite file itself.

`datasette_metadata()` turns these notes into the `metadata.json` that datasette reads:

    newsgraph datasette-metadata -o metadata.json --db newsgraph.db
    datasette newsgraph.db -m metadata.json

Every table and column named here exists in the schema the migrations build (a test checks
it against a fresh store); tables only the store's own machinery reads are hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import __version__

SPAN = "Character offset in the article text"

# table -> (what a row is, {column: what it holds}); tables in reading order
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "articles": ("One article as stored: metadata and cleaned text. `id` is its day and a hash of the text.", {
        "seq": "Ingest order; the row the full-text index points at",
        "id": "Publication day (YYYYMMDD-, when known) and content hash of the cleaned text: the id every command and record uses",
        "url": "URL the article was read from or declared",
        "outlet": "Publishing outlet (site or name)",
        "title": "Headline",
        "author": "Byline, when the input gave one",
        "published": "Publication date or time as given (ISO 8601)",
        "published_precision": "How precise `published` is: day, second, …",
        "ingested": "When newsgraph stored it (UTC, ISO 8601)",
        "language": "ISO 639-1 code detected from the text",
        "extracted": "1 when actors, events and claims were extracted; 0 when only stored (see `note`)",
        "note": "Why the article was not extracted, e.g. its language",
        "original_source": "Agency or outlet the article credits as its origin (syndicated copy)",
        "source": "Input it came from: a path, path:line or path#record",
        "previous_version": "Id of the earlier version of this article at the same URL",
        "extractor_version": "newsgraph version that extracted it",
        "text": "Cleaned body text; every span in other tables is an offset into it",
        "superseded_by": "Id of the corrected version that replaced this one",
        "family_reason": "Why it joined its duplicate family: new, exact_copy, near_duplicate, …",
        "family_score": "Similarity to the member it matched (0 for a new family)",
        "family_match": "Id of the family member it matched",
    }),
    "actors": ("A person, organisation, state, place or group, after resolving its names.", {
        "id": "Actor number used by commands and the API",
        "key": "Canonical key, e.g. person:sergei shoigu or state:RUS",
        "name": "Display name",
        "kind": "person, organisation, state, place or group",
        "country": "ISO 3166 alpha-3 code of the actor's country",
        "sector": "CAMEO sector code, e.g. GOV, MIL, MED",
        "place_kind": "For places: city, region, …",
        "first_name": "For people: first name, for matching later mentions",
        "last_name": "For people: last name, for matching later mentions",
    }),
    "mentions": ("One place an article names an actor.", {
        "id": "Row number",
        "article_id": "Article (articles.id)",
        "actor_id": "Actor mentioned (actors.id)",
        "sentence": "Sentence number in the article (sentences.idx)",
        "start": SPAN + " where the mention starts",
        "end": SPAN + " where the mention ends",
        "text": "The words of the mention",
        "label": "spaCy entity label: PERSON, ORG, GPE, NORP, LOC, …",
        "actor_key": "Key the extractor gave the actor, before resolution (key_links)",
    }),
    "aliases": ("A name form an article uses for an actor.", {
        "actor_id": "Actor (actors.id)", "article_id": "Article using the form (articles.id)",
        "alias": "The name form", "actor_key": "Key the extractor gave the actor",
    }),
    "roles": ("A title an article gives an actor (minister, president …), with its time range.", {
        "id": "Row number", "actor_id": "Actor (actors.id)", "article_id": "Article (articles.id)",
        "title": "The role, e.g. defense minister", "country": "Country of the role (ISO alpha-3)",
        "sector": "CAMEO sector of the role", "began": "When the role began, if the text says",
        "ended": "When the role ended, if the text says (former …)", "sentence": "Sentence number",
        "start": SPAN, "end": SPAN, "actor_key": "Key the extractor gave the actor",
    }),
    "actor_facts": ("What one article says about an actor; the actors row is derived from these.", {
        "actor_id": "Actor (actors.id)", "article_id": "Article (articles.id)", "name": "Name the article uses",
        "country": "Country it gives", "sector": "Sector it gives", "place_kind": "Kind of place it gives",
        "actor_key": "Key the extractor gave the actor",
    }),
    "events": ("A coded event: who did what to whom, when and where (CAMEO and PLOVER), with evidence.", {
        "id": "Event id: article id and number",
        "article_id": "Article it comes from (articles.id)",
        "sentence": "Sentence number", "sentence_start": SPAN + " of the sentence",
        "sentence_end": SPAN + " of the sentence end",
        "trigger": "The word that signals the event", "trigger_start": SPAN, "trigger_end": SPAN,
        "cameo": "CAMEO event code, e.g. 042", "cameo_root": "CAMEO root (first two digits)",
        "cameo_name": "CAMEO code name", "goldstein": "Goldstein scale (-10 conflict … +10 cooperation)",
        "quad_class": "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
        "plover_type": "PLOVER event type, e.g. CONSULT, AID, ASSAULT (empty where CAMEO has none)",
        "plover_mode": "PLOVER mode", "plover_context": "PLOVER context",
        "reciprocal": "1 when the sources act together (they met), with no separate target",
        "place": "Where it happened", "place_country": "Country of the place (ISO alpha-3)",
        "place_start": SPAN, "place_end": SPAN,
        "time_value": "When, as a TIMEX3 value (2024, 2024-06, 2024-06-30, 2025-SU …)",
        "time_precision": "year, month, season, week, day …",
        "time_source": "text (a time expression) or article (the publication date)",
        "time_text": "The time expression", "time_start": SPAN, "time_end": SPAN,
        "time_mod": "TIMEX3 modifier: BEFORE, AFTER, APPROX …",
        "negated": "1 when the text says it did not happen", "modality": "Modal or reporting word, e.g. would, urge",
        "certainty": "Factuality: certain, probable, possible", "polarity": "positive or negative",
        "tense": "past, present or future", "status": "Plain status: asserted, reported, alleged, denied …",
        "main": "1 for the sentence's own event, 0 for background",
        "mirrored": "1 for the other side of a visit or meeting, added for CAMEO",
    }),
    "event_mentions": ("Every place in its article where an event is mentioned (one event, several mentions).", {
        "event_id": "Event (events.id)", "position": "Order of the mention in the article",
        "sentence": "Sentence number", "sentence_start": SPAN + " of the sentence",
        "sentence_end": SPAN + " of the sentence end",
        "trigger": "The word that signals this mention", "trigger_start": SPAN, "trigger_end": SPAN,
        "cameo": "CAMEO code this mention was coded with",
        "main": "1 for a sentence's own event, 0 for background",
    }),
    "participants": ("A source or target actor of an event.", {
        "event_id": "Event (events.id)", "role": "source or target", "position": "Order within the role",
        "actor_id": "Actor (actors.id)", "name": "Name as in the text", "code": "CAMEO actor code, e.g. RUSGOV",
        "country": "ISO alpha-3 code", "sector": "CAMEO sector", "start": SPAN, "end": SPAN,
        "actor_key": "Key the extractor gave the actor",
    }),
    "quantities": ("An amount an event mentions: people, money, weapons …", {
        "event_id": "Event (events.id)", "position": "Order in the event", "value": "Number",
        "unit": "What is counted", "approximate": "1 for about / some / more than", "text": "The words",
        "start": SPAN, "end": SPAN,
    }),
    "claims": ("Who says what: an attributed statement, its source, cue and factuality.", {
        "id": "Claim id: article id and number", "article_id": "Article (articles.id)",
        "sentence": "Sentence number", "kind": "direct, indirect, according_to, reported_by, hedge …",
        "cue": "The reporting word (said, denied …)", "cue_lemma": "Its lemma",
        "cue_start": SPAN, "cue_end": SPAN,
        "cited_source": "Whom the speaker cites (\"…, Lee said, citing the intelligence service\")",
        "cited_start": SPAN + " of the cited source", "cited_end": SPAN + " of the cited source end",
        "source_actor_id": "Source actor (actors.id), when it is a named actor",
        "source_name": "Who says it, as written (or an unnamed description: officials)",
        "source_named": "1 when the source is named", "source_countries": "Countries of the source, comma-separated",
        "source_sector": "Sector of the source", "source_start": SPAN, "source_end": SPAN,
        "source_pronoun": "1 when the source is a pronoun resolved to an earlier name",
        "certainty": "certain, probable or possible", "polarity": "positive or negative",
        "tense": "past, present or future", "status": "asserted, reported, alleged, believed, denied …",
        "source_actor_key": "Key the extractor gave the source actor",
    }),
    "claim_contents": ("A span of what a claim says (a claim may have several).", {
        "claim_id": "Claim (claims.id)", "position": "Order", "start": SPAN, "end": SPAN,
    }),
    "claim_events": ("An event a claim carries.", {"claim_id": "Claim (claims.id)", "event_id": "Event (events.id)"}),
    "timexes": ("A time expression in an article, normalised to TIMEX3.", {
        "article_id": "Article (articles.id)", "position": "Order in the article", "start": SPAN, "end": SPAN,
        "text": "The words", "type": "DATE, TIME, DURATION or SET", "value": "TIMEX3 value",
        "precision": "year, month, day …", "mod": "TIMEX3 modifier", "anchored": "1 when resolved against a date",
        "range_start": "First day it covers", "range_end": "Last day it covers",
    }),
    "sentences": ("The sentences of an article, as character spans.", {
        "article_id": "Article (articles.id)", "idx": "Sentence number", "start": SPAN, "end": SPAN,
    }),
    "stories": ("One real-world event reported across articles and outlets.", {
        "id": "Story number", "signature": "Group of CAMEO roots its events share (e.g. 04, or 18+19)",
        "cameo_root": "CAMEO root", "first_day": "Earliest day of its events (event time, else publication)",
        "last_day": "Latest day of its events", "place_country": "Country of its place, when one is named",
        "countries": "Countries of its parties (space-separated codes)",
        "parties": "Its parties (space-separated actors.id)",
        "core": "The parties of the event that began it, as id:kind:country (space-separated)",
    }),
    "story_events": ("An event that reports a story.", {
        "story_id": "Story (stories.id)", "event_id": "Event (events.id)",
    }),
    "story_articles": ("An article joined to a story by its text (names, dates, similar wording), its events uncoded.", {
        "story_id": "Story (stories.id)", "article_id": "Article (articles.id)",
        "score": "Text similarity to the story's reports (cosine of content words)",
    }),
    "article_copies": ("A sighting of an article's exact text at another URL or outlet (syndication).", {
        "article_id": "Article (articles.id)", "url": "Where the copy was seen", "outlet": "Its outlet",
        "published": "Its publication date", "source": "Input it came from", "seen": "When it was read",
    }),
    "family_members": ("An article's duplicate family: copies and rewrites of one text.", {
        "article_id": "Article (articles.id)", "family_id": "Id of the family's first article",
        "text_key": "Text the article has (family_texts)", "seq": "Order of joining",
        "url_key": "Canonical URL", "site_keys": "Outlet keys", "declared_keys": "Keys of the source it credits",
    }),
    "key_links": ("Which canonical actor an extractor's key belongs to, and why.", {
        "key": "Key as extracted", "target": "Canonical key it resolves to",
        "reason": "Why: a rule, or merged / split by user", "score": "Match score of an automatic link",
        "auto": "1 automatic, 0 a user's decision", "created": "When (UTC)",
    }),
    "actor_decisions": ("Merges, splits and renames of actors made by users; undoable.", {
        "seq": "Order", "kind": "merge, split or rename", "key": "Actor key decided on",
        "other": "The other key (merge, split)", "name": "New name (rename)",
        "before": "State before, for undo (JSON)", "created": "When (UTC)", "undone": "1 once undone",
    }),
    "relation_pairs": ("Each actor pair's relation over all dates, kept up to date as articles come and go.", {
        "source_id": "Source actor (actors.id)", "target_id": "Target actor (actors.id)",
        "goldstein": "Goldstein total in hundredths", "edge": "The relation as served, as JSON",
    }),
    # the store's own machinery: described, hidden from the table list
    "story_keys": ("Finds a story by one of its parties and its days.", {
        "actor_id": "Party (actors.id)", "day": "A day of the story's events", "story_id": "Story (stories.id)",
    }),
    "story_orphans": ("Articles in no story yet, by day, for a later story to take if their text matches.", {
        "article_id": "Article (articles.id)", "day": "Its publication day",
    }),
    "family_texts": ("MinHash data of each distinct text, for finding near-duplicates.", {
        "text_key": "Text id", "shingle_count": "Number of 3-word shingles", "shingles": "Shingle hashes (uint32)",
        "key_tokens": "Hashes of names and figures", "signature": "128 MinHash values",
        "epoch": "Publication month its LSH buckets are filed under (year × 12 + month − 1; 0 undated)",
    }),
    "family_links": ("Why two texts are in one family.", {
        "text_a": "One text", "text_b": "The other", "reason": "exact_copy, near_duplicate, …", "score": "Similarity",
    }),
    "family_bands": ("LSH buckets of the texts, by publication month.", {
        "epoch": "The text's month (family_texts.epoch)", "band_hash": "Bucket", "text_key": "Text in it",
    }),
    "family_keys": ("Outlet and declared-source keys of family members.", {
        "key": "Key", "seq": "Member order", "article_id": "Article",
    }),
    "filter_values": ("The distinct event places and claim source descriptions, for substring filters.", {
        "kind": "place or claim_source", "value": "One distinct value",
    }),
    "event_days": ("Events in date order: the day an event sorts by (its own, else its article's).", {
        "day": "Event day (YYYY, YYYY-MM or YYYY-MM-DD)", "seq": "Its article's ingest order (articles.seq)",
        "trigger_start": SPAN, "event_id": "Event (events.id)",
    }),
    "story_stats": ("Each story's counts, kept up to date as its events and their families change.", {
        "story_id": "Story (stories.id)", "cameo_root": "CAMEO root of its events (stories.cameo_root)",
        "sources": "Independent sources (duplicate families)",
        "articles": "Articles reporting it", "day": "Latest day of its events",
    }),
    "story_summaries": ("What a story listing shows of each story, written when an ingest ends.", {
        "story_id": "Story (stories.id)",
        "summary": "Its parties, event, status, agreement and sources as JSON; NULL while stale",
    }),
    "story_actors": ("The actors each story's events name, kept by triggers, for the story listing's actor filter.", {
        "actor_id": "Actor (actors.id)", "story_id": "Story (stories.id)",
        "n": "How many of the story's event participants it is",
    }),
    "story_codes": ("The CAMEO codes of each story's events, kept by triggers, for the story listing's code filter.", {
        "cameo": "CAMEO code (events.cameo)", "story_root": "The story's CAMEO root (stories.cameo_root)",
        "story_id": "Story (stories.id)",
        "n": "How many of the story's events have this code",
    }),
    "actor_stats": ("Each actor's mention counts, kept up to date as mentions come and go.", {
        "actor_id": "Actor (actors.id)", "mentions": "Mentions", "articles": "Articles that mention it",
    }),
    "actor_fact_tally": ("How many of an actor's facts give each value, kept by triggers on actor_facts.", {
        "actor_id": "Actor (actors.id)", "field": "name, country, sector or place_kind", "value": "A value given",
        "actor_key": "Key the facts came in under ('' if none)", "n": "How many facts give it",
    }),
    "key_articles": ("Which articles carry each extraction key, for re-resolving and curating actors.", {
        "actor_key": "Key the extractor gave an actor", "article_id": "Article (articles.id)",
    }),
    "pending_surnames": ("Surnames that gained a fuller name since actor resolution last looked.", {
        "surname": "Folded surname",
    }),
    "_migrations": ("Schema migrations applied to this store.", {"name": "Migration", "applied_at": "When (UTC)"}),
}
HIDDEN = ("family_texts", "family_links", "family_bands", "family_keys", "story_keys", "story_orphans",
          "event_days", "filter_values", "actor_fact_tally", "key_articles", "pending_surnames",
          "_migrations")
# a record's label in datasette's foreign-key links
LABELS = {"articles": "title", "actors": "name", "stories": "signature"}


def datasette_metadata(database: str = "newsgraph") -> dict[str, Any]:
    """datasette's metadata for a store opened as `database` (the file name without `.db`)."""
    tables: dict[str, Any] = {}
    for name, (description, columns) in TABLES.items():
        entry: dict[str, Any] = {"description": description, "columns": dict(columns)}
        if name in LABELS:
            entry["label_column"] = LABELS[name]
        if name in HIDDEN:
            entry["hidden"] = True
        tables[name] = entry
    tables["articles"].update(fts_table="articles_fts", fts_pk="seq", sort_desc="published")
    tables["events"]["sort_desc"] = "time_value"
    return {
        "title": "newsgraph",
        "description": "Actors, events, claims and stories extracted from news, each with its evidence: "
                       "spans are character offsets into articles.text.",
        "source": f"newsgraph {__version__}",
        "databases": {database: {"tables": tables}},
    }


def database_name(path: str) -> str:
    """The name datasette gives the database in `path`: its file name without the suffix."""
    return Path(path).stem
