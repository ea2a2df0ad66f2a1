"""Pictures drawn on the server as plain SVG: weekly activity and a map of event places.

Functions here only compute geometry (numbers) and labels (plain strings); the templates
`_activity.html` and `_map.html` write the SVG with autoescaping, so a place or actor name
is text in a <title>, never markup. No script is needed to see either picture.

The map is an equirectangular plot (x = longitude, y = latitude) with a 30° graticule and
no country outlines: no public-domain outline ships in any installed package, so places are
circles at their gazetteer coordinates, and places known only by country sit at its capital.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from ..geo import coordinates

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
CHART_WIDTH, CHART_HEIGHT = 720, 170
MAP_WIDTH, MAP_HEIGHT = 720, 360
# the busiest places get their name written beside the circle; the rest on hover
MAP_LABELS = 8
_PAD_LEFT, _PAD_BOTTOM, _PAD_TOP = 34, 22, 10


def activity_chart(weeks: list[dict[str, Any]], *, width: int = CHART_WIDTH,
                   height: int = CHART_HEIGHT) -> dict[str, Any] | None:
    """Stacked bars of events per week by quad class, a dot above each week with claims.

    Args:
        weeks: `browse.activity` output (weeks in time order, Mondays).

    Returns:
        `{"width", "height", "bars": [{x, y, w, h, quad, title}], "claims": [{cx, cy, r, title}],
        "ticks": [{x, label}], "ymax", "axis": {...}}`, or None when there is nothing to draw.
    """
    if not weeks:
        return None
    first, last = date.fromisoformat(weeks[0]["week"]), date.fromisoformat(weeks[-1]["week"])
    span = (last - first).days // 7 + 1
    plot_w, plot_h = width - _PAD_LEFT - 6, height - _PAD_BOTTOM - _PAD_TOP
    step = plot_w / span
    ymax = max(max(sum(w["quads"].values()), 1) for w in weeks)
    bars, claims = [], []
    for w in weeks:
        x = _PAD_LEFT + (date.fromisoformat(w["week"]) - first).days // 7 * step
        base = _PAD_TOP + plot_h
        for quad in (1, 2, 3, 4):
            n = w["quads"].get(quad, 0)
            if n:
                h = n / ymax * plot_h
                base -= h
                bars.append({"x": round(x, 1), "y": round(base, 1), "w": round(max(step * 0.85, 0.8), 1),
                             "h": round(h, 1), "quad": quad,
                             "title": f"week of {w['week']}: {n} {QUADS[quad]} event(s)"})
        if w["claims"]:
            claims.append({"cx": round(x + step * 0.42, 1), "cy": _PAD_TOP - 4, "r": 2.5,
                           "title": f"week of {w['week']}: {w['claims']} claim(s)"})
    return {"width": width, "height": height, "bars": bars, "claims": claims, "ymax": ymax,
            "ticks": _month_ticks(first, span, step), "top": _PAD_TOP, "bottom": _PAD_TOP + plot_h,
            "left": _PAD_LEFT, "right": width - 6, "quads": QUADS}


def _month_ticks(first: date, span: int, step: float) -> list[dict[str, Any]]:
    """A label at the first week of a month; at most about ten labels."""
    months = []
    for k in range(span):
        day = first + timedelta(weeks=k)
        if day.day <= 7:
            months.append((k, day))
    every = max(1, math.ceil(len(months) / 10))
    return [{"x": round(_PAD_LEFT + k * step, 1), "label": day.strftime("%b %Y" if day.month == 1 or i == 0
                                                                         else "%b")}
            for i, (k, day) in enumerate(months[::every])]


def world_map(places: list[dict[str, Any]], *, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> dict[str, Any]:
    """Circles at event places, area by event count, on an equirectangular graticule.

    Args:
        places: `browse.places` output (name, country, events).

    Returns:
        `{"width", "height", "lines": [{x1, y1, x2, y2}], "markers": [{cx, cy, r, exact, title, label}],
        "unplaced": [names], "placed": n}`.
    """
    lines = [_line(lon, -90, lon, 90, width, height) for lon in range(-180, 181, 30)]
    lines += [_line(-180, lat, 180, lat, width, height) for lat in range(-90, 91, 30)]
    most = max((p["events"] for p in places), default=1)
    markers, unplaced = [], []
    for p in places:
        point = coordinates(p["name"], p["country"])
        if point is None:
            unplaced.append(p["name"])
            continue
        x, y = _project(point.lon, point.lat, width, height)
        where = p["name"] + ("" if point.exact else f" (drawn at the capital of {p['country']})")
        markers.append({"cx": x, "cy": y, "r": round(3 + 11 * math.sqrt(p["events"] / most), 1), "name": p["name"],
                        "exact": point.exact, "title": f"{where}: {p['events']} event(s)"})
    markers.sort(key=lambda m: -m["r"])  # small circles drawn last stay clickable on top
    for rank, marker in enumerate(markers):
        marker["label"] = marker["name"] if rank < MAP_LABELS else None
    return {"width": width, "height": height, "lines": lines, "markers": markers, "unplaced": unplaced,
            "placed": len(markers)}


def _project(lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
    return round((lon + 180) / 360 * width, 1), round((90 - lat) / 180 * height, 1)


def _line(lon1: float, lat1: float, lon2: float, lat2: float, width: int, height: int) -> dict[str, float]:
    (x1, y1), (x2, y2) = _project(lon1, lat1, width, height), _project(lon2, lat2, width, height)
    return {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "equator": lat1 == lat2 == 0}
