"""Progress charts, drawn on the server as SVG coordinates: no script, no library.

The Certified Welcoming guide charts certified places over time against the
programme's public goal: one line climbs with the catalog's own records (each
point a link to its record), the other marks the counts that sources reported
(each point a link to its source), and a dashed line is the goal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.models import Initiative

WIDTH, HEIGHT = 640, 320
MARGIN = {"left": 44, "right": 16, "top": 16, "bottom": 36}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    date: str
    count: int
    label: str
    url: str


@dataclass(frozen=True)
class ProgressChart:
    width: int
    height: int
    records: list[Point]  # the catalog's places, in order of certification
    reported: list[Point]  # what sources counted
    goal: dict[str, Any] | None
    goal_y: float | None
    undated: int  # records with no certification date (not on the line)
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, int]]
    baseline: float
    left: float
    right: float

    def path(self, points: list[Point]) -> str:
        """Return an SVG path through ``points`` as steps: a count holds until the next."""
        if not points:
            return ""
        steps = [f"M{points[0].x:.1f},{self.baseline:.1f}", f"V{points[0].y:.1f}"]
        for point in points[1:]:
            steps += [f"H{point.x:.1f}", f"V{point.y:.1f}"]
        return " ".join(steps)


def _when(partial: str) -> dt.date:
    """Place a partial date at the middle of what it names (2022 -> 1 July 2022)."""
    parts = [int(p) for p in partial.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 7, 1)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


def progress_chart(
    initiatives: list[Initiative],
    progress: dict[str, Any],
    url_for_record: Any,
) -> ProgressChart | None:
    """Lay out the chart of ``initiatives`` (certifications) and ``progress`` (goal, counts)."""
    dated = sorted((i for i in initiatives if i.started), key=lambda i: (_when(i.started), i.id))
    reported = sorted(progress.get("reported", []), key=lambda r: _when(r["date"]))
    goal = progress.get("goal")
    if not dated and not reported:
        return None
    days = [_when(i.started) for i in dated] + [_when(r["date"]) for r in reported]
    first_year = min(days).year
    last_year = max([d.year for d in days] + ([goal["by"]] if goal else []))
    start, end = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    top = max([len(dated)] + [r["count"] for r in reported] + ([goal["count"]] if goal else []))
    top = -(-top // 10) * 10  # up to the next ten
    left, right = MARGIN["left"], WIDTH - MARGIN["right"]
    baseline, ceiling = HEIGHT - MARGIN["bottom"], MARGIN["top"]

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / (end - start).days

    def y(count: float) -> float:
        return baseline - (baseline - ceiling) * count / top

    records = [
        Point(
            x(_when(i.started)),
            y(n),
            i.started,
            n,
            f"{i.place.name}, {i.place.state}",
            url_for_record(i),
        )
        for n, i in enumerate(dated, start=1)
    ]
    counts = [
        Point(x(_when(r["date"])), y(r["count"]), r["date"], r["count"], r["title"], r["source"])
        for r in reported
    ]
    return ProgressChart(
        width=WIDTH,
        height=HEIGHT,
        records=records,
        reported=counts,
        goal=goal,
        goal_y=y(goal["count"]) if goal else None,
        undated=len(initiatives) - len(dated),
        x_ticks=[(x(dt.date(year, 1, 1)), year) for year in range(first_year, last_year + 2)],
        y_ticks=[(y(count), count) for count in range(0, top + 1, 10)],
        baseline=baseline,
        left=left,
        right=right,
    )
