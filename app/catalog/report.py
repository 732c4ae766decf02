"""The data-quality report: what the catalog holds and where it needs a curator."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.models import Category
from app.models import Initiative
from app.models import Source
from app.models import db

# sites that copy documents published elsewhere: a curator should replace them
# with the publisher's own page (see data/README.md)
MIRROR_DOMAINS = frozenset(
    {
        "docslib.org",
        "cupdf.com",
        "documents.pub",
        "fdocuments.in",
        "fdocuments.net",
        "fdocuments.us",
        "lawsdocbox.com",
        "p.pdfkul.com",
        "pdfkul.com",
        "pdfslide.net",
        "pdfslide.us",
        "readkong.com",
        "scribd.com",
        "fr.scribd.com",
        "pt.scribd.com",
        "slidelegend.com",
        "studylib.net",
        "vdocuments.mx",
        "vdocuments.net",
        "vdocuments.site",
        "vdocuments.us",
        "yumpu.com",
        # copies of Wikipedia
        "handwiki.org",
        "wikimili.com",
        # scraped copies of news stories
        "arstechnica.netblogpro.com",
        "architecture-design.ir",
        "alipac.us",
        "am1.news",
        "europesays.com",
        "greencard-us.com",
        "greengardenlocal.com",
        "legal4me.co.uk",
        "newsbeep.com",
        "newzoftheday.com",
        "today24.pro",
    }
)
OPTIONAL_FIELDS = ("started", "mechanism", "lead_organization", "website")


@dataclass(frozen=True)
class Goal:
    """One figure of the catalog's completeness or freshness, and what round 2 aims for.

    ``label`` is lazy: the /about/data page says it in its language, ``flask catalog report``
    (no request) in English.
    """

    label: str | LazyString
    value: float
    target: float
    unit: str = ""  # "%" for shares
    part: int | None = None  # for a share, how many records it counts

    @property
    def met(self) -> bool:
        return self.value >= self.target


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def goals(initiatives: list[Initiative]) -> list[Goal]:
    """Measure the catalog against the aims of its second round (issue 13).

    Counts are minimums; shares are of the records they concern.
    """
    kinds = Counter(i.category_slug for i in initiatives)
    members = sum(
        1
        for i in initiatives
        if i.category_slug == "welcoming-network" and i.member_type == "government"
    )

    def share(label: LazyString, part: int, whole: int, target: float) -> Goal:
        return Goal(label, _share(part, whole), target, "%", part)

    def reachable(label: LazyString, category: str, target: float) -> Goal:
        active = [i for i in initiatives if i.category_slug == category and i.status == "active"]
        return share(label, sum(1 for i in active if i.website and i.contact), len(active), target)

    known = sum(1 for i in initiatives if i.status != "unknown")
    return [
        Goal(_l("Initiative records"), len(initiatives), 500),
        Goal(_l("Gateways for Growth communities"), kinds["g4g-communities"], 72),
        Goal(_l("Certified Welcoming places"), kinds["certified-welcoming"], 32),
        Goal(_l("Municipal and county offices"), kinds["municipal-offices"], 60),
        Goal(_l("Welcoming network member governments"), members, 150),
        share(_l("Records whose status is known"), known, len(initiatives), 75),
        reachable(_l("Active offices with a website and a contact route"), "municipal-offices", 90),
        reachable(_l("Active plans with a website and a contact route"), "strategic-plans", 60),
    ]


@dataclass(frozen=True)
class Report:
    total: int
    states: int
    by_category: list[tuple[str, str, int]]
    by_state: list[tuple[str, int]]
    missing: list[tuple[str, dict[str, int]]]
    domains: list[tuple[str, int]]
    mirrors: list[tuple[str, str, str]]
    oldest_verified: dt.date | None
    oldest_records: list[str]
    conflicts: list[tuple[str, str, list[str]]]
    unconfirmed: list[tuple[str, str, list[str]]]
    goals: list[Goal]


def domain(url: str) -> str:
    """Return a URL's host without ``www.``."""
    return urlsplit(url).netloc.lower().removeprefix("www.")


def build_report() -> Report:
    """Compute the report from the loaded catalog."""
    # every record's conflicts are read: load them in one query, not one per record
    statement = select(Initiative).options(selectinload(Initiative.conflicts))
    initiatives = list(db.session.scalars(statement.order_by(Initiative.id)).unique())
    categories = list(db.session.scalars(select(Category).order_by(Category.position)))
    per_category = Counter(i.category_slug for i in initiatives)
    per_state = Counter(i.place.state for i in initiatives)
    missing = [
        (
            category.display_name,
            {
                name: sum(
                    1
                    for i in initiatives
                    if i.category_slug == category.slug and getattr(i, name) is None
                )
                for name in OPTIONAL_FIELDS
            },
        )
        for category in categories
    ]
    sources = list(db.session.scalars(select(Source).order_by(Source.initiative_id)))
    domains = Counter(domain(source.url) for source in sources)
    oldest = min((i.last_verified for i in initiatives), default=None)
    return Report(
        total=len(initiatives),
        states=len(per_state),
        by_category=[(c.slug, c.display_name, per_category[c.slug]) for c in categories],
        by_state=sorted(per_state.items()),
        missing=missing,
        domains=domains.most_common(),
        mirrors=[
            (source.initiative_id, domain(source.url), source.url)
            for source in sources
            if domain(source.url) in MIRROR_DOMAINS
        ],
        oldest_verified=oldest,
        oldest_records=[i.id for i in initiatives if i.last_verified == oldest],
        conflicts=[
            (i.id, i.title, sorted({c.field for c in i.conflicts}))
            for i in initiatives
            if i.conflicts
        ],
        unconfirmed=[(i.id, i.title, list(i.unconfirmed)) for i in initiatives if i.unconfirmed],
        goals=goals(initiatives),
    )


def report_lines(report: Report) -> list[str]:
    """Write the report as plain text for the command line."""
    lines = [f"{report.total} initiatives in {report.states} states, DC or Puerto Rico", ""]
    lines += ["Coverage and freshness (round 2 aims):"]
    lines += [
        f"  {g.label}: {g.value:g}{g.unit} of {g.target:g}{g.unit}{'' if g.met else ' (not yet)'}"
        for g in report.goals
    ]
    lines += [""]
    lines += ["By category:"] + [f"  {name}: {count}" for _, name, count in report.by_category]
    lines += ["", "By state:", "  " + ", ".join(f"{s} {n}" for s, n in report.by_state)]
    lines += ["", "Fields left empty, by category:"]
    for name, counts in report.missing:
        lines.append(f"  {name}: " + ", ".join(f"{f} {n}" for f, n in counts.items()))
    total = sum(n for _, n in report.domains)
    lines += ["", f"Sources: {total} from {len(report.domains)} domains"]
    lines += [f"  {d}: {n}" for d, n in report.domains[:15]]
    lines += ["", f"Mirror-site sources to replace with the publisher's URL: {len(report.mirrors)}"]
    lines += [f"  {record}: {url}" for record, _, url in report.mirrors]
    lines += [
        "",
        f"Oldest last_verified: {report.oldest_verified} ({len(report.oldest_records)} records)",
    ]
    lines += ["", f"Records where sources disagree: {len(report.conflicts)}"]
    lines += [f"  {record}: {', '.join(fields)}" for record, _, fields in report.conflicts]
    lines += ["", f"Records with unconfirmed fields: {len(report.unconfirmed)}"]
    return lines
