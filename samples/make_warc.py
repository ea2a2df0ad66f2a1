"""Writes crawl/cc-news-sample.warc.gz: two HTML news pages as CC-NEWS-style WARC responses.

Run with the project's Python: `python samples/make_warc.py`.
"""

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGES = {
    "https://news.example.net/2025/03/10/nato-exercise": (
        "NATO begins Baltic exercise",
        "2025-03-10",
        "<p>NATO began a two-week naval exercise in the Baltic Sea on Monday involving about "
        "40 ships from 14 member states, the alliance said.</p><p>Secretary General Mark Rutte "
        "said the drills were defensive. Russia's defence ministry said its Baltic Fleet was "
        "monitoring the ships.</p>",
    ),
    "https://news.example.net/2025/03/12/india-pakistan": (
        "India and Pakistan reopen border crossing",
        "2025-03-12",
        "<p>India and Pakistan reopened the Wagah border crossing to pilgrims on Wednesday after "
        "a three-month closure, officials in New Delhi said.</p><p>Pakistani Prime Minister "
        "Shehbaz Sharif welcomed the decision and invited Indian officials to talks in Lahore.</p>",
    ),
}


def page(title: str, date: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{date}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode("utf-8")


def main() -> None:
    out = Path(__file__).parent / "corpus" / "crawl" / "cc-news-sample.warc.gz"
    out.parent.mkdir(exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, (title, date, body) in PAGES.items():
            payload = page(title, date, body)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(payload), http_headers=headers,
                warc_headers_dict={"WARC-Date": f"{date}T12:00:00Z"},
            )
            writer.write_record(record)


if __name__ == "__main__":
    main()
