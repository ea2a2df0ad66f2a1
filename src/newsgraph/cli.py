"""The `newsgraph` command: a thin shell over the library.

Each command parses options, calls one library function and prints what it returns.
Errors become one-line messages here and nowhere else.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from . import __version__
from .dates import check_date
from .errors import BadParameter, NewsgraphError
from .identity import source_name
from .settings import load_settings
from .store import COUNT_CAP, DB_ENV, Store, default_db_path
from .wording import factuality_label

LOGGER = logging.getLogger("newsgraph")


def _fail_cleanly(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsgraphError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


class DateType(click.ParamType):
    """A year, month or day (YYYY, YYYY-MM, YYYY-MM-DD), checked by the library's one date check."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_date(str(value), param=param.opts[0] if param else "date")
        except BadParameter as e:
            self.fail(e.reason, param, ctx)


DATE = DateType()


def db_option(fn: Callable) -> Callable:
    return click.option(
        "--db", "db", envvar=DB_ENV, default=None, metavar="FILE",
        help=f"SQLite store (default ./newsgraph.db, or ${DB_ENV}).",
    )(fn)


def output_options(fn: Callable | None = None, *, limit: int = 50) -> Callable:
    """`--json` and the paging options `--limit`, `--offset` and `--page` of a listing.

    The command receives `as_json`, `limit` and `offset`; `--page N` becomes the offset of
    the N-th page of `--limit` rows."""
    if fn is None:
        return functools.partial(output_options, limit=limit)

    @functools.wraps(fn)
    def wrapper(*args: Any, page: int | None, offset: int, **kwargs: Any) -> Any:
        if page is not None and offset:
            raise click.UsageError("give --page or --offset, not both")
        if page is not None:
            offset = (page - 1) * kwargs["limit"]
        return fn(*args, offset=offset, **kwargs)

    options = [
        click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects."),
        click.option("--limit", default=limit, show_default=True, type=click.IntRange(1, 100_000),
                     help="Most rows to print."),
        click.option("--offset", default=0, type=click.IntRange(0), help="Rows to skip before the first printed."),
        click.option("--page", type=click.IntRange(1), help="Print page N of --limit rows (instead of --offset)."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _say_shown(noun: str, shown: int, *, offset: int, limit: int, total: Callable[[], int]) -> None:
    """Tell the user, on standard error, when a listing printed only part of what matched.

    `total` counts every match; it is called only when the page is full or not the first."""
    if offset == 0 and shown < limit:
        return
    count = total()
    if count <= shown:
        return
    first, last = offset + 1, offset + shown
    where = f"{first:,}–{last:,}" if shown else "none"
    # totals are counted up to COUNT_CAP: past it, "more than"
    said = f"more than {COUNT_CAP:,}" if count > COUNT_CAP else f"{count:,}"
    if last < count:
        following = f"--page {offset // limit + 2}" if offset % limit == 0 else f"--offset {last}"
        how = f"; next: {following} (or --limit/--offset)"
    else:
        how = " (use --limit/--offset or --page N)"
    click.echo(f"showing {shown:,} of {said} {noun} ({where}){how}", err=True)


def _open(db: str | None, *, readonly: bool = False) -> Store:
    return Store(db or default_db_path(), readonly=readonly)


# Width of an article id in listings: a dated one (`YYYYMMDD-` and 16 hex digits), so that
# undated ids keep the columns after them in line
ID_WIDTH = 25
# What an ingest summary counts as added, besides the articles themselves.
ADDED_TABLES = ("events", "claims", "stories")


def _print_json(rows: Any) -> None:
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-v", "--verbose", count=True, help="-v for progress notes, -vv for debugging.")
def cli(verbose: int) -> None:
    """newsgraph: who did what to whom, when and where — according to whom.

    Reads news (text, HTML, JSON Lines, RSS/Atom, WARC), extracts actors with their
    evidence, and keeps them in an embedded SQLite store.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--date", "published", type=DATE, help="Publication date for articles that carry none (YYYY-MM-DD).")
@click.option("--outlet", help="Outlet for articles that name none.")
@click.option("--url", help="URL for articles that carry none.")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False), help="A settings TOML file.")
@click.option("--model", help="spaCy pipeline to use (overrides settings).")
@click.option("--workers", "--processes", "processes", type=click.IntRange(1, 64),
              help="1: parse, extract and write in one process; N: worker processes parse and "
                   "extract (each loads the model once), this process writes. Default: on two cores "
                   "or more, one process parses while this one extracts and writes.")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Show articles per second and an ETA on standard error (default: when it is a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@_fail_cleanly
def ingest(paths, db, published, outlet, url, settings_path, model, processes, show_progress, as_json):
    """Read articles from files, folders, or - (standard input) into the store.

    Exits with status 1 when any input could not be read; everything else is stored.

    Example:

        newsgraph ingest news/ feed.xml crawl.warc.gz --db news.db
    """
    from .pipeline import ingest as run_ingest

    settings = load_settings(settings_path).with_overrides(model=model, n_process=processes)
    with _open(db) as store, _progress(paths, show_progress) as bar:
        before = {table: store.count(table) for table in ADDED_TABLES}
        result = run_ingest(paths, store=store, settings=settings, published=published, outlet=outlet, url=url,
                            progress=bar.update if bar else None, ready=bar.ready if bar else None)
        added = {table: store.count(table) - before[table] for table in ADDED_TABLES}
        totals = {"articles": store.count("articles"), "actors": store.count("actors"),
                  "mentions": store.count("mentions")}
    for failure in result.failures:
        click.echo(f"error: {failure}", err=True)
    if result.copies:
        click.echo(f"{result.copies} syndicated copie(s) of stored articles recorded in their families", err=True)
    if as_json:
        _print_json({"stored": result.stored, "duplicates": result.duplicates, "copies": result.copies,
                     "not_extracted": result.not_extracted,
                     "failures": [{"source": f.source, "reason": f.reason} for f in result.failures],
                     "added": added, "store": totals})
    else:
        click.echo(
            f"stored {len(result.stored)} new article(s), skipped {result.duplicates} already stored, "
            f"{len(result.failures)} failed; added {added['events']} event(s), {added['claims']} claim(s), "
            f"{added['stories']} stor{'y' if added['stories'] == 1 else 'ies'}; store now holds "
            f"{totals['articles']} articles, {totals['actors']} actors, {totals['mentions']} mentions"
        )
        if result.not_extracted:
            click.echo(f"{result.not_extracted} article(s) not in English: stored and listed, not extracted")
    sys.exit(0 if result.ok else 1)


@contextmanager
def _progress(paths, show: bool | None) -> Iterator[Any]:
    """A progress bar on standard error, or None: shown when standard error is a terminal, or
    when asked for; with a total (and an ETA) when the inputs can be counted cheaply."""
    if not (sys.stderr.isatty() if show is None else show):
        yield None
        return
    from .progress import IngestProgress
    from .workers import estimate_articles

    bar = IngestProgress(estimate_articles(paths), stream=sys.stderr, interactive=sys.stderr.isatty())
    try:
        yield bar
    finally:
        bar.close()


@cli.command()
@db_option
@output_options
@click.option("--language", help="Only articles in this language (ISO 639-1, e.g. en).")
@click.option("--outlet", help="Only articles from this outlet.")
@_fail_cleanly
def articles(db, as_json, limit, offset, language, outlet):
    """List stored articles, newest first.

    Example:

        newsgraph articles --language de --json
    """
    with _open(db, readonly=True) as store:
        rows = store.articles(language=language, outlet=outlet, limit=limit, offset=offset)
        _say_shown("articles", len(rows), offset=offset, limit=limit,
                   total=lambda: store.count_articles(language=language, outlet=outlet, cap=COUNT_CAP))
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        state = "" if r["extracted"] else f"  [{r['note']}]"
        click.echo(f"{r['id']:<{ID_WIDTH}}  {(r['published'] or '-')[:10]:<10}  {r['language'] or '??'}  "
                   f"{r['mentions']:>4} mentions  {_clip(r['title'] or source_name(r['source']) or '(untitled)', 60)}{state}")


@cli.command()
@click.argument("article_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the article and its records as JSON.")
@_fail_cleanly
def show(article_id, db, as_json):
    """Show an article's text with its actors marked, and the evidence for each.

    Example:

        newsgraph show 86ce7c94
    """
    from .render import mark_text

    with _open(db, readonly=True) as store:
        article = store.article(article_id)
        mentions = store.mentions(article["id"])
        actors = store.actors(article=article["id"], limit=1000)
        events = store.events(article=article["id"], limit=10_000)
    if as_json:
        _print_json({**article, "mentions": mentions, "actors": actors, "events": events})
        return
    click.echo(f"{article['title'] or '(untitled)'}")
    click.echo(f"id {article['id']} · published {article['published'] or 'unknown'} "
               f"· outlet {article['outlet'] or 'unknown'} · language {article['language'] or '??'}")
    if article["original_source"]:
        click.echo(f"original source: {article['original_source']}")
    if not article["extracted"]:
        click.echo(f"note: {article['note']}")
    click.echo("")
    click.echo(mark_text(article["text"], mentions, events))
    click.echo("\nactors:")
    for a in actors:
        click.echo(f"  {_actor_line(a)}")
    if events:
        click.echo("\nevents:")
        for e in events:
            click.echo(f"  {_event_line(e)}")


@cli.group(invoke_without_command=True)
@db_option
@output_options
@click.option("--kind", type=click.Choice(["person", "organisation", "state", "place", "group"]))
@click.option("--country", help="ISO 3166 alpha-3 code, e.g. RUS.")
@click.option("--name", help="Part of a name or alias.")
@click.option("--article", help="Only actors mentioned in this article.")
@click.pass_context
@_fail_cleanly
def actors(ctx, db, as_json, limit, offset, kind, country, name, article):
    """List actors (people, organisations, states, places), most mentioned first.

    With a subcommand, record a decision about actors instead: merge, split, rename, undo.
    Decisions are kept in the store and apply to articles ingested later.

    Example:

        newsgraph actors --kind person --country RUS --json
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    with _open(db, readonly=True) as store:
        filters = {"kind": kind, "country": country, "name": name, "article": article}
        rows = store.actors(**filters, limit=limit, offset=offset)
        _say_shown("actors", len(rows), offset=offset, limit=limit,
                   total=lambda: store.count_actors(**filters, cap=COUNT_CAP))
    if as_json:
        _print_json(rows)
        return
    for a in rows:
        click.echo(_actor_line(a))


@actors.command(name="merge")
@click.argument("keep")
@click.argument("other")
@click.pass_obj
@_fail_cleanly
def actors_merge(db, keep, other):
    """Merge actor OTHER into KEEP (ids, names or aliases).

    Example:

        newsgraph actors merge "Hillary Clinton" "Mrs. Clinton"
    """
    with _open(db) as store:
        merged = store.merge_actors(keep, other)
        _summarise_stories(store)
    click.echo(f"merged into {merged['id']} {merged['name']}: {merged['mentions']} mentions")


def _summarise_stories(store: Store) -> None:
    """Write the listing summaries of the stories a curation or a delete changed, as ingest does."""
    from .store.storyline import refresh_summaries

    refresh_summaries(store)


@actors.command(name="split")
@click.argument("actor")
@click.argument("part")
@click.pass_obj
@_fail_cleanly
def actors_split(db, actor, part):
    """Split PART (a merged name form or key) off ACTOR into an actor of its own.

    Example:

        newsgraph actors split "Hillary Clinton" Clinton
    """
    with _open(db) as store:
        result = store.split_actor(actor, part)
        _summarise_stories(store)
    click.echo(f"split {', '.join(result['split'])} off {result['actor']['name']}")


@actors.command(name="rename")
@click.argument("actor")
@click.argument("name")
@click.pass_obj
@_fail_cleanly
def actors_rename(db, actor, name):
    """Give ACTOR the display name NAME."""
    with _open(db) as store:
        renamed = store.rename_actor(actor, name)
    click.echo(f"actor {renamed['id']} is now {renamed['name']}")


@actors.command(name="undo")
@click.pass_obj
@_fail_cleanly
def actors_undo(db):
    """Undo the latest merge, split or rename."""
    with _open(db) as store:
        undone = store.undo_decision()
        _summarise_stories(store)
    click.echo(f"undid {undone['undone']} of {undone['key']}")


@actors.command(name="decisions")
@click.pass_obj
@_fail_cleanly
def actors_decisions(db):
    """List the merges, splits and renames recorded in the store."""
    with _open(db, readonly=True) as store:
        _print_json(store.decisions())


def _actor_line(a: dict[str, Any]) -> str:
    code = "/".join(x for x in (a["country"], a["sector"]) if x) or "-"
    extra = f" ({a['place_kind']})" if a.get("place_kind") else ""
    roles = "; ".join(r["title"] + (f" ({r['period']})" if r.get("period") else "") for r in a["roles"])
    return (f"{a['id']:>5}  {a['name']:<28} {a['kind'] + extra:<22} {code:<8} "
            f"{a['mentions']:>4} mentions" + (f"  roles: {_clip(roles, 80)}" if roles else ""))


def event_filters(fn: Callable) -> Callable:
    """The filters shared by `events` and `export events`."""
    options = [
        click.option("--actor", help="Actor id, or part of a name or alias, as source or target."),
        click.option("--country", help="ISO 3166 alpha-3 code of a source or target, e.g. PRK."),
        click.option("--cameo", help="CAMEO code or prefix: 04 (the CONSULT root), 042 (one code)."),
        click.option("--plover", help="PLOVER event type, e.g. CONSULT, AID, ASSAULT."),
        click.option("--since", type=DATE, help="Events dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--until", type=DATE, help="Events dated on or before this."),
        click.option("--place", help="Part of a place name, or a country code of the place."),
        click.option("--article", help="Article id or id prefix."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.command()
@db_option
@output_options
@event_filters
@_fail_cleanly
def events(db, as_json, limit, offset, **filters):
    """List coded events, newest first: who did what to whom, when and where, with evidence.

    One event per real-world event in an article; `3x` says the article mentions it three
    times (`--json` lists each mention's sentence and trigger).

    Example:

        newsgraph events --country PRK --cameo 07 --since 2024 --json
    """
    with _open(db, readonly=True) as store:
        rows = store.events(order="date", limit=limit, offset=offset, **filters)
        _say_shown("events", len(rows), offset=offset, limit=limit,
                   total=lambda: store.count_events(**filters, cap=COUNT_CAP))
    if as_json:
        _print_json(rows)
        return
    for e in rows:
        click.echo(_event_line(e))


def _event_line(e: dict[str, Any]) -> str:
    def names(actors: list[dict[str, Any]]) -> str:
        return "+".join(f"{a['name']}({a['code']})" if a["code"] else a["name"] for a in actors) or "-"

    status = factuality_label(e["factuality"])
    where = f" in {e['place']['name']}" if e["place"] else ""
    amount = "".join(f" [{q['text']}]" for q in e["quantities"])
    mentions = f"{len(e['mentions'])}x"  # how often the article mentions the event
    return (f"{e['id']}  {e['time']['value'] or '-':<10} {e['cameo']['code']:<4} "
            f"{(e['plover']['type'] or '-'):<10} {mentions:>3} {names(e['source'])} -> {names(e['target'])}"
            f"{where}{amount}  ({status}; \"{e['evidence']['trigger']}\")")


STATUSES = ["asserted", "reported", "alleged", "believed", "denied", "unconfirmed", "negated",
            "hypothetical", "future"]


def claim_filters(fn: Callable) -> Callable:
    options = [
        click.option("--source", help="Source actor id, name or alias, or part of an unnamed source's description."),
        click.option("--status", type=click.Choice(STATUSES), help="Plain factuality status."),
        click.option("--event", help="Only claims that carry this event id."),
        click.option("--article", help="Article id or id prefix."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.command()
@db_option
@output_options
@claim_filters
@_fail_cleanly
def claims(db, as_json, limit, offset, **filters):
    """List claims, newest article first: who says what, how sure, and the events inside.

    Example:

        newsgraph claims --status alleged --json
    """
    with _open(db, readonly=True) as store:
        rows = store.claims(limit=limit, offset=offset, **filters)
        _say_shown("claims", len(rows), offset=offset, limit=limit,
                   total=lambda: store.count_claims(**filters, cap=COUNT_CAP))
    if as_json:
        _print_json(rows)
        return
    for c in rows:
        click.echo(_claim_line(c))


def _claim_line(c: dict[str, Any]) -> str:
    source = c["source"]
    who = "(no source)" if source is None else source["name"] + ("" if source["named"] else " [unnamed]")
    if c.get("cited_source"):
        who += f", citing {c['cited_source']['text']}"
    content = " … ".join(part["text"] for part in c["content"])
    return f"{c['id']}  {c['status'] or '-':<11} {who} — {c['cue']['text']}: {_clip(content, 90)}"


@cli.command()
@click.argument("actor")
@db_option
@output_options(limit=1000)
@click.option("--as-of", type=DATE, help="What was known on this day: only what was reported by then.")
@_fail_cleanly
def timeline(actor, db, as_json, limit, offset, as_of):
    """An actor's events and claims in time order (event time), each with its date precision
    and status; with --as-of, only those reported by that day (report time).

    Example:

        newsgraph timeline "Sergei Shoigu" --as-of 2025-03-21
    """
    with _open(db, readonly=True) as store:
        result = store.timeline(actor, limit=limit, offset=offset, as_of=as_of)
    _say_shown("events and claims", len(result["items"]), offset=offset, limit=limit,
               total=lambda: result["total"] + result.get("total_capped", False))
    if as_json:
        _print_json(result)
        return
    who = result["actor"]
    click.echo(f"{who['name']} ({who['kind']}, {who['country'] or '-'}/{who['sector'] or '-'})")
    for item in result["items"]:
        date = item["date"] or "undated"
        mark = "" if item["date_source"] == "text" else " (published)"
        line = _event_line(item["record"]) if item["type"] == "event" else _claim_line(item["record"])
        click.echo(f"  {date:<10} {item['precision'] or '':<6}{mark:<12} {item['type']:<5} {line}")


@cli.command()
@click.argument("story_id", required=False, type=click.IntRange(1))
@db_option
@output_options
@click.option("--actor", help="Only stories with this actor (id, name or alias).")
@click.option("--cameo", help="CAMEO code or prefix.")
@click.option("--min-sources", default=1, show_default=True, type=click.IntRange(1),
              help="Only stories reported by at least this many independent sources (duplicate families).")
@click.option("--as-of", type=DATE, help="What was known on this day: only reports published by then.")
@_fail_cleanly
def stories(story_id, db, as_json, limit, offset, actor, cameo, min_sources, as_of):
    """Stories: one real-world event reported across articles, with its status (who confirmed
    or denied it, when), independent sources and first report. With STORY_ID, that story's
    reports in publication order, each with its stance, and its claims over time.

    Example:

        newsgraph stories --min-sources 2 --as-of 2025-03-21
        newsgraph stories 12
    """
    from .store import browse

    with _open(db, readonly=True) as store:
        if story_id is not None:
            story = store.story(story_id, as_of=as_of)
            _print_json(story) if as_json else _echo_story(story)
            return
        filters = {"actor": actor, "cameo": cameo, "min_sources": min_sources, "as_of": as_of}
        rows = browse.stories(store, **filters, limit=limit, offset=offset)
        _say_shown("stories", len(rows), offset=offset, limit=limit,
                   total=lambda: browse.count_stories(store, **filters, cap=COUNT_CAP))
    if as_json:
        _print_json(rows)
        return
    for st in rows:
        click.echo(f"{st['id']:>5}  {st['cameo'] or '-':<4} {_story_parties(st)}  {st['status']['text']}; "
                   f"{st['independent_sources']} independent source(s), {st['article_count']} article(s)")


def _story_parties(st: dict[str, Any]) -> str:
    who = "+".join(a["name"] for a in st["source"]) or "-"
    whom = "+".join(a["name"] for a in st["target"]) or "-"
    return f"{who} -> {whom}"


def _echo_story(st: dict[str, Any]) -> None:
    known = f" (as of {st['as_of']})" if st["as_of"] else ""
    click.echo(f"story {st['id']}: {_story_parties(st)}, {st['cameo_name'] or st['cameo'] or '-'}"
               f"{' in ' + st['place'] if st['place'] else ''}, {st['time'] or 'undated'}")
    click.echo(f"status{known}: {st['status']['text']}; {st['independent_sources']} independent source(s), "
               f"{len(st['articles'])} article(s)")
    click.echo("reports:")
    for r in st["reports"]:
        cites = f" citing {', '.join(r['cites'])}" if r["cites"] else ""
        how = " [joined by similarity]" if r["joined"] == "similarity" else ""
        click.echo(f"  {(r['published'] or 'undated')[:10]:<10} {r['outlet'] or 'unknown outlet'}: {r['stance']}"
                   f" ({r['view']}{cites}){how}  {r['article']}")
    if st["claims"]:
        click.echo("claims:")
    for thread in st["claims"]:
        click.echo(f"  {thread['status']}: {_clip(thread['content'], 80)}")
        for c in thread["history"]:
            who = c["source"] or "(no source)"
            click.echo(f"    {(c['published'] or 'undated')[:10]:<10} {c['outlet'] or 'unknown outlet'}: {c['stance']}"
                       f" — {who} ({c['status']})")


@cli.command()
@click.argument("article_id", required=False)
@db_option
@click.option("--story", type=int, help="A story id instead of an article.")
@click.option("--actor", help="An actor (id, name or alias) instead of an article.")
@click.option("--since", type=DATE, help="With --actor: from this date on.")
@click.option("--until", type=DATE, help="With --actor: up to this date.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "json"]), default="markdown",
              show_default=True)
@_fail_cleanly
def digest(article_id, db, story, actor, since, until, fmt):
    """A digest in the seed's form: summary, key facts with status and source, conclusion,
    original sources; every sentence links to its evidence.

    Example:

        newsgraph digest 86ce7c94 --format html > digest.html
    """
    from .digest import render_digest

    with _open(db, readonly=True) as store:
        click.echo(render_digest(store, article=article_id, story=story, actor=actor, since=since,
                                 until=until, fmt=fmt), nl=False)


@cli.command(name="graph")
@db_option
@click.option("--actor", help="An actor's neighbourhood (id, name or alias); all actors if not given.")
@click.option("--since", type=DATE, help="From this month on (YYYY or YYYY-MM).")
@click.option("--until", type=DATE, help="Up to this month.")
@click.option("--json", "as_json", is_flag=True, help="Print node-link JSON.")
@_fail_cleanly
def graph_cmd(db, actor, since, until, as_json):
    """Actors and their relations: events between them by type and quad class, cooperation
    versus conflict, month by month, with evidence counts.

    Example:

        newsgraph graph --actor PRK --since 2024 --json
    """
    with _open(db, readonly=True) as store:
        data = store.graph(actor=actor, since=since, until=until)
    if as_json:
        _print_json(data)
        return
    names = {n["id"]: n["name"] for n in data["nodes"]}
    for e in data["edges"]:
        click.echo(f"{names[e['source']]} -> {names[e['target']]}: {e['events']} event(s), "
                   f"{e['evidence']} article(s), Goldstein {e['goldstein_total']:+.1f} "
                   f"({e['cooperation']} cooperation, {e['conflict']} conflict)")


@cli.command()
@click.argument("actor_a")
@click.argument("actor_b")
@db_option
@click.option("--since", type=DATE, help="From this month on (YYYY or YYYY-MM).")
@click.option("--until", type=DATE, help="Up to this month.")
@click.option("--json", "as_json", is_flag=True, help="Print both directions as JSON.")
@_fail_cleanly
def relations(actor_a, actor_b, db, since, until, as_json):
    """One actor pair over time, both directions, by month.

    Example:

        newsgraph relations Russia "North Korea" --since 2024
    """
    with _open(db, readonly=True) as store:
        pair = store.relation(actor_a, actor_b, since=since, until=until)
    if as_json:
        _print_json(pair)
        return
    first, second = pair["actors"]
    for (source, target), edge in (((first, second), pair["forward"]), ((second, first), pair["backward"])):
        click.echo("\n".join(_relation_lines(source, target, edge)))


def _relation_lines(source: str, target: str, edge: dict[str, Any] | None) -> list[str]:
    """One direction of a pair: totals, then a line per month."""
    if not edge:
        return [f"{source} -> {target}: no events"]
    types = ", ".join(f"{name} {n}" for name, n in sorted(edge["plover"].items(), key=lambda kv: -kv[1]) if name)
    lines = [f"{source} -> {target}: {edge['events']} event(s) in {edge['evidence']} article(s), "
             f"Goldstein {edge['goldstein_total']:+.1f} (mean {edge['goldstein_mean']:+.1f}), "
             f"{edge['cooperation']} cooperation, {edge['conflict']} conflict" + (f"; {types}" if types else "")]
    for month, m in sorted(edge["months"].items()):
        lines.append(f"  {month:<8} {m['events']:>4} event(s)  Goldstein {m['goldstein']:+6.1f}  "
                     f"{m['cooperation']} cooperation, {m['conflict']} conflict")
    return lines


@cli.command()
@click.argument("article_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the family as JSON.")
@_fail_cleanly
def family(article_id, db, as_json):
    """Show the duplicate family of an article: copies, rewrites and why they were joined.

    Example:

        newsgraph family 86ce7c94
    """
    with _open(db, readonly=True) as store:
        found = store.family(article_id)
    if as_json:
        _print_json(found)
        return
    click.echo(f"family {found['family'] or '-'}: {found['size']} article(s)")
    for member in found["articles"]:
        click.echo(f"  {_family_line(member)}")


def _family_line(m: dict[str, Any]) -> str:
    """A member: id, date, outlet, and why it joined (with the score and the article it matched)."""
    why = m["reason"] or "-"
    if m["matched"] and m["matched"] != m["id"]:
        why += f" of {m['matched']}"
    if m["reason"] not in ("new", "exact_copy", None):
        why += f" (score {m['score']:.2f})"
    source = f"  original source {m['original_source']}" if m["original_source"] else ""
    return (f"{m['id']:<{ID_WIDTH}}  {(m['published'] or '-')[:10]:<10}  {_clip(m['outlet'] or 'unknown outlet', 28):<28}  "
            f"{why}{source}  {m['url'] or ''}").rstrip()


@cli.group(name="export")
def export_group():
    """Export records in standard formats."""


@export_group.command(name="events")
@db_option
@event_filters
@click.option("--format", "fmt", type=click.Choice(["gdelt", "csv", "jsonl", "parquet"]), default="jsonl",
              show_default=True, help="gdelt: the GDELT 2.0 event table's 61 tab-separated columns.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output; required for parquet).")
@_fail_cleanly
def export_events_cmd(db, fmt, output, **filters):
    """Export events as GDELT 2.0 rows, CSV, JSON Lines or Parquet.

    Example:

        newsgraph export events --format gdelt -o events.tsv
    """
    from .exports import export_events
    from .store import MAX_LIMIT

    with _open(db, readonly=True) as store:
        rows = store.events(limit=MAX_LIMIT, **filters)
    if fmt == "parquet":
        count = export_events(rows, fmt, path=output)
    elif output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            count = export_events(rows, fmt, fh)
    else:
        count = export_events(rows, fmt, sys.stdout)
    if output:
        click.echo(f"wrote {count} rows to {output}", err=True)


@export_group.command(name="graph")
@db_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "neo4j"]), default="graphml",
              show_default=True, help="neo4j: a folder of CSV files for neo4j-admin database import.")
@click.option("--output", "-o", required=True, type=click.Path(writable=True),
              help="File to write (a folder for neo4j).")
@click.option("--actor", help="Only this actor's neighbourhood.")
@click.option("--since", type=DATE, help="From this month on.")
@click.option("--until", type=DATE, help="Up to this month.")
@_fail_cleanly
def export_graph_cmd(db, fmt, output, actor, since, until):
    """Export the actor graph as GraphML, GEXF, node-link JSON or Neo4j import CSV.

    Example:

        newsgraph export graph --format neo4j -o neo4j-import/
    """
    from .store.graph import write_graph

    with _open(db, readonly=True) as store:
        data = store.graph(actor=actor, since=since, until=until)
    files = write_graph(data, fmt, output)
    click.echo(f"wrote {len(data['nodes'])} actors and {len(data['edges'])} relations to {', '.join(files)}", err=True)


@export_group.command(name="claims")
@db_option
@claim_filters
@click.option("--format", "fmt", type=click.Choice(["graphrag", "jsonl", "csv"]), default="jsonl",
              show_default=True, help="graphrag: GraphRAG's claim (covariate) table, one row per event.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File to write.")
@_fail_cleanly
def export_claims_cmd(db, fmt, output, **filters):
    """Export claims in our shape (JSON Lines, CSV) or GraphRAG's claim shape.

    Example:

        newsgraph export claims --format graphrag -o claims.csv
    """
    from .exports import export_claims
    from .store import MAX_LIMIT

    with _open(db, readonly=True) as store:
        rows = store.claims(limit=MAX_LIMIT, **filters)
        events = store.events(limit=MAX_LIMIT) if fmt == "graphrag" else []
    fh = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        count = export_claims(rows, fmt, fh, events=events)
    finally:
        if output:
            fh.close()
    if output:
        click.echo(f"wrote {count} rows to {output}", err=True)


@cli.command()
@click.argument("query")
@db_option
@output_options
@_fail_cleanly
def search(query, db, as_json, limit, offset):
    """Full-text search over article titles and texts.

    Example:

        newsgraph search "Shoigu Pyongyang"
    """
    with _open(db, readonly=True) as store:
        rows = store.search(query, limit=limit, offset=offset)
        _say_shown("articles", len(rows), offset=offset, limit=limit,
                   total=lambda: store.count_search(query, cap=COUNT_CAP))
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']:<{ID_WIDTH}}  {_clip(r['title'] or '', 50):<50}  {r['snippet']}")


@cli.command()
@click.argument("article_ids", nargs=-1, required=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
@_fail_cleanly
def delete(article_ids, db, as_json):
    """Delete articles and whatever only they supported.

    Actors, events and claims that other articles support keep that evidence; actors no
    article mentions any more are removed.

    Example:

        newsgraph delete 86ce7c94
    """
    with _open(db) as store:
        removed = [store.delete_article(article_id) for article_id in article_ids]
        _summarise_stories(store)
    if as_json:
        _print_json(removed)
        return
    for r in removed:
        click.echo(f"deleted {r['article']}: {r['mentions']} mentions, {r['events']} events, "
                   f"{r['claims']} claims; {r['actors_removed']} actors no longer mentioned anywhere")


@cli.command()
@db_option
@_fail_cleanly
def migrate(db):
    """Create the store or bring its schema up to date."""
    with _open(db) as store:
        click.echo(f"{store.path}: schema up to date")


@cli.command(name="datasette-metadata")
@db_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
def datasette_metadata_cmd(db, output):
    """Describe the store's tables and columns for datasette (its metadata.json).

    Example:

        newsgraph datasette-metadata -o metadata.json --db news.db
        datasette news.db -m metadata.json
    """
    from .metadata import database_name, datasette_metadata

    text = json.dumps(datasette_metadata(database_name(db or default_db_path())), ensure_ascii=False, indent=2)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        click.echo(f"wrote {output}; open the store with: datasette {db or default_db_path()} -m {output}", err=True)
    else:
        click.echo(text)
@cli.command(name="lexicon")
@click.option("--missing", is_flag=True, help="Only codes that no pattern codes.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
@_fail_cleanly
def lexicon_cmd(missing, as_json):
    """Every CAMEO code with its name, Goldstein score, PLOVER type and pattern counts.

    A root's counts cover its whole family. Exits 1 when --missing finds codes.

    Example:

        newsgraph lexicon --missing
    """
    from dataclasses import asdict

    from .extract.event_lexicon import code_coverage

    rows = [r for r in code_coverage() if not (missing and r.covered)]
    if as_json:
        _print_json([asdict(r) for r in rows])
    else:
        for r in rows:
            click.echo(f"{r.code:<5} {r.goldstein:>5.1f}  {r.plover_type or '-':<9} "
                       f"{r.verb_patterns:>4} V {r.noun_patterns:>4} N  {r.name}")
    if missing and rows:
        sys.exit(1)


@cli.group(name="eval")
def eval_group():
    """Score newsgraph against gold-standard data."""


@eval_group.command(name="ner")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default="auto", help="spaCy pipeline to evaluate.")
@_fail_cleanly
def eval_ner(path, as_json, model):
    """Entity recognition on CoNLL-2003-style JSON Lines (PER/ORG/LOC/MISC, span-level micro F1).

    Example:

        newsgraph eval ner ../shared/bench-data/ner/conll2003_testb_dev.jsonl --json
    """
    from .evaluate.ner import evaluate_ner
    from .nlp import load_nlp

    _report(evaluate_ner(path, nlp=load_nlp(model)), as_json)


@eval_group.command(name="events")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--dictionaries", type=click.Path(exists=True, dir_okay=False),
              help="PETRARCH-style actor dictionaries (found automatically beside the fictional-world suites).")
@click.option("--model", default="auto", help="spaCy pipeline to evaluate.")
@_fail_cleanly
def eval_events(path, as_json, dictionaries, model):
    """Event coding against PETRARCH validation records or PLOVER gold records.

    Example:

        newsgraph eval events ../shared/bench-data/events/plover_examples_dev.jsonl --json
    """
    from .evaluate.events import evaluate_events
    from .nlp import load_nlp

    _report(evaluate_events(path, nlp=load_nlp(model), dictionaries=dictionaries), as_json)


@eval_group.command(name="timex")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_fail_cleanly
def eval_timex(path, as_json):
    """Time expressions against TempEval-3 TIMEX3 annotations (span, type and value F1).

    Example:

        newsgraph eval timex ../shared/bench-data/timex/te3_tbaq_train_timebank_aquaint.jsonl --json
    """
    from .evaluate.timex import evaluate_timex

    _report(evaluate_timex(path), as_json)


@eval_group.command(name="factuality")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default="auto", help="spaCy pipeline to evaluate.")
@_fail_cleanly
def eval_factuality(path, as_json, model):
    """Event factuality against MEANTIME (certainty, polarity, time; majority baseline beside each).

    Example:

        newsgraph eval factuality ../shared/bench-data/factuality/meantime_en.jsonl --json
    """
    from .evaluate.factuality import evaluate_factuality
    from .nlp import load_nlp

    _report(evaluate_factuality(path, nlp=load_nlp(model)), as_json)


@eval_group.command(name="attribution")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default="auto", help="spaCy pipeline to evaluate.")
@_fail_cleanly
def eval_attribution(path, as_json, model):
    """Attribution (source, cue, content) against PolNeAR, exact and overlap P/R/F1.

    Example:

        newsgraph eval attribution ../shared/bench-data/attribution/polnear_dev.jsonl --json
    """
    from .evaluate.attribution import evaluate_attribution
    from .nlp import load_nlp

    _report(evaluate_attribution(path, nlp=load_nlp(model)), as_json)


@eval_group.command(name="summary")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default="auto", help="spaCy pipeline that parses the articles.")
@click.option("--sentences", default=3, show_default=True, help="Summary length in sentences.")
@_fail_cleanly
def eval_summary(path, as_json, model, sentences):
    """Extractive summaries against CNN/DailyMail highlights (ROUGE-1/2/L), with Lead-3 from the same run.

    Example:

        newsgraph eval summary ../shared/bench-data/summarisation/cnndm_dev.jsonl --json
    """
    from .evaluate.summary import evaluate_summary
    from .nlp import load_nlp

    _report(evaluate_summary(path, nlp=load_nlp(model), sentences=sentences), as_json)


@eval_group.command(name="dedup")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--sample", default=2000, show_default=True, help="Stories rewritten for the rewrite benchmark.")
@click.option("--seed", default=0, show_default=True, help="Seed of the generated rewrites.")
@_fail_cleanly
def eval_dedup(path, as_json, sample, seed):
    """Duplicate families on a corpus: exact duplicates found, and precision and recall on
    rewritten copies generated from it (sentence drops, reordering, word substitutions).

    Example:

        newsgraph eval dedup ../shared/bench-data/raw_corpus/reuters21578.jsonl.gz --json
    """
    from .evaluate.dedup import evaluate_dedup

    _report(evaluate_dedup(path, sample=sample, seed=seed), as_json)


def _report(figures: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _print_json(figures)
        return
    for key, value in figures.items():
        if isinstance(value, float):
            click.echo(f"{key:<24} {value:.4f}")
        elif not isinstance(value, (dict, list)):
            click.echo(f"{key:<24} {value}")
        else:
            click.echo(f"{key:<24} {json.dumps(value, default=str)}")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- serve (HTTP API and web app; see newsgraph.api) ------------------------------------------


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False), help="A settings TOML file.")
@click.option("--max-page", type=click.IntRange(1, 100_000), help="Largest page a listing returns (default: [serve] max_page, 500).")
@click.option("--max-body", type=click.IntRange(1), help="Largest request body in bytes (default: [serve] max_body, 5 MiB).")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Allow browser calls from this origin (repeatable; default: no CORS).")
@_fail_cleanly
def serve(db, host, port, settings_path, max_page, max_body, cors_origins):
    """Serve the HTTP API (/api/…) and the web app over a store.

    Read-only unless $NEWSGRAPH_TOKEN is set: then POST /api/ingest and DELETE
    /api/articles/ID accept `Authorization: Bearer <token>`.

    Example:

        NEWSGRAPH_TOKEN=s3cret newsgraph serve --db news.db --port 8000
    """
    from pathlib import Path

    from .api import ServeConfig
    from .api import serve as run_server
    from .errors import NotFound

    path = db or default_db_path()
    if not Path(path).exists():
        raise NotFound("no newsgraph store yet",
                       hint=f"{path} does not exist: run `newsgraph ingest` first, or pass --db")
    config = ServeConfig.from_environment(path, settings=load_settings(settings_path), max_page=max_page,
                                          max_body=max_body, cors_origins=tuple(cors_origins) or None)
    click.echo(f"serving {path} on http://{host}:{port}/ ({'writes need the token' if config.token else 'read-only'})",
               err=True)
    run_server(config, host=host, port=port)


# --- reliability commands ---
# backup, a lossless dump of every table, and its restore (newsgraph.store.backup)


@cli.command(name="backup")
@click.argument("dest", type=click.Path(dir_okay=False))
@db_option
@click.option("--overwrite", is_flag=True, help="Replace DEST if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@_fail_cleanly
def backup_cmd(dest, db, overwrite, as_json):
    """Copy the store into the single file DEST (SQLite online backup).

    Safe while `newsgraph serve` or an ingest uses the store: DEST is one consistent
    snapshot, integrity-checked, and appears only once complete.

    Example:

        newsgraph backup news-backup.db --db news.db
    """
    from .store.backup import backup

    result = backup(db or default_db_path(), dest, overwrite=overwrite)
    if as_json:
        _print_json(result)
    else:
        click.echo(f"backed up {result['articles']} article(s) to {result['path']} "
                   f"({result['bytes']:,} bytes, integrity {result['integrity']})")


@export_group.command(name="all")
@click.argument("directory", type=click.Path(file_okay=False))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print rows per table as JSON.")
@_fail_cleanly
def export_all_cmd(directory, db, as_json):
    """Write every table as JSON Lines into DIRECTORY (new or empty), losslessly.

    `newsgraph import DIRECTORY --db NEW` rebuilds an identical store.

    Example:

        newsgraph export all dump/ --db news.db
    """
    from .store.backup import export_all

    counts = export_all(_open(db, readonly=True), directory)
    if as_json:
        _print_json(counts)
    else:
        click.echo(f"exported {sum(counts.values()):,} row(s) from {len(counts)} table(s) to {directory}")


@cli.command(name="import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print rows per table as JSON.")
@_fail_cleanly
def import_cmd(directory, db, as_json):
    """Rebuild a store from a dump made by `newsgraph export all` (into a new file).

    Example:

        newsgraph import dump/ --db restored.db
    """
    from .store.backup import import_all

    path = db or default_db_path()
    counts = import_all(directory, path)
    if as_json:
        _print_json(counts)
    else:
        click.echo(f"imported {sum(counts.values()):,} row(s) into {len(counts)} table(s) of {path}")


# --- scale commands ---


@cli.command("spark")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", required=True, metavar="DIR", help="Folder or URI for the Parquet tables.")
@click.option("--master", help="Spark master for a run without spark-submit, e.g. local[4].")
@click.option("--partitions", type=click.IntRange(1), help="Repartition the input into this many tasks.")
@click.option("--conf", "confs", multiple=True, metavar="KEY=VALUE",
              help="A Spark setting for a run without spark-submit (repeatable), e.g. spark.executor.memory=2g.")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False), help="A settings TOML file.")
@click.option("--model", help="spaCy pipeline to use (overrides settings; installed on every executor).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows written per table as JSON.")
@_fail_cleanly
def spark_command(inputs, output, master, partitions, confs, settings_path, model, as_json):
    """Extract articles on Apache Spark into Parquet tables partitioned by month.

    INPUTS are local paths or any URI Spark reads (hdfs://, s3a://, gs://): JSON Lines
    (.jsonl, .ndjson, .gz of them) are split line by line; WARC, HTML, RSS and text files
    (or folders of them) are read file by file. Writes DIR/articles, mentions, actors,
    events, participants, claims, timexes, … as Parquet.

    Example:

        spark-submit --master yarn $(which newsgraph) spark 's3a://news/*.jsonl.gz' --output s3a://news/graph
        newsgraph spark samples/corpus/wire.jsonl --output graph/ --master 'local[2]'
        newsgraph spark news.jsonl --output graph/ --master spark://10.0.0.5:7077 --conf spark.executor.memory=2g
    """
    from .spark import parse_conf, run_spark, session

    settings = load_settings(settings_path).with_overrides(model=model)
    spark = session(master, conf=parse_conf(confs))
    counts = run_spark(list(inputs), output, settings=settings, spark=spark, partitions=partitions)
    if as_json:
        _print_json(counts)
    else:
        click.echo(f"wrote {counts['articles']:,} article(s), {counts['events']:,} event(s), "
                   f"{counts['claims']:,} claim(s), {counts['mentions']:,} mention(s) to {output}; "
                   f"{counts['failures']:,} input(s) failed (see the failures table)")


@cli.command("load")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@_fail_cleanly
def load_command(directory, db, as_json):
    """Bring the Parquet output of `newsgraph spark` into the store.

    Each article goes through the store's normal write path, so duplicates, families,
    corrected versions, stories and actor resolution work as after `newsgraph ingest`.

    Example:

        newsgraph load graph/ --db news.db
    """
    from .spark import load_parquet

    with _open(db) as store:
        totals = load_parquet(directory, store)
        totals["store"] = {"articles": store.count("articles"), "events": store.count("events")}
    if as_json:
        _print_json(totals)
    else:
        click.echo(f"stored {totals['stored']} new article(s), skipped {totals['duplicates']} already stored "
                   f"({totals['copies']} copies recorded), {totals['failures']} failed upstream; store now holds "
                   f"{totals['store']['articles']} articles, {totals['store']['events']} events")
