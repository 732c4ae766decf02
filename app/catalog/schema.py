"""The shape of every record in ``data/``, as pydantic models (see data/README.md)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from typing import Literal

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints
from pydantic import model_validator

# Longest free text allowed, in characters. Each is well above the longest value in data/ when
# it was set, so a curator never meets it, while a pasted page or a runaway script does; all text
# ends up in the database and on the pages, so nothing is unbounded.
NAME_MAX = 200  # titles, names, places, organisations, publishers (longest then: 130)
SOURCE_TITLE_MAX = 300  # a source's title is quoted from its publisher, not ours (then: 163)
URL_MAX = 2_000  # what browsers and servers reliably handle (then: 318)
INITIATIVE_SUMMARY_MIN = 40  # the 40–800 of data/README.md (then: 563)
INITIATIVE_SUMMARY_MAX = 800
SUMMARY_MAX = 2_000  # a category's or case study's summary (then: 450)
DETAIL_MAX = 2_000  # mechanism details, timeline events, conflicting values (then: 754)
NOTE_MAX = 1_000  # notes on conflicts (then: 210)
BODY_MAX = 200_000  # the Markdown of a guide or case study, checked in files.py (then: 4,447)

MECHANISMS = (
    "mayoral-action",
    "executive-order",
    "council-resolution",
    "council-vote",
    "ordinance",
    "charter",
    "board-vote",
    "state-law",
    "certification",
    "membership",
    "award",
    "community-initiative",
    "other",
)
PLACE_TYPES = ("city", "county", "city-county", "town", "region", "state", "district")
# what the sources say of an initiative now; every status but active and unknown is a change,
# dated by status_date where a source gives the date
STATUSES = ("active", "ended", "renamed", "merged", "lapsed", "unknown")
# who holds a Welcoming network membership
MEMBER_TYPES = ("government", "nonprofit", "programme")
UNCONFIRMABLE = (
    "started",
    "mechanism",
    "mechanism_detail",
    "lead_organization",
    "website",
    "contact",
)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Unicode category Cc, and unpaired surrogates: these cannot be stored (PostgreSQL refuses
# U+0000, nothing encodes a lone surrogate as UTF-8) or are invisible on the page.
_ONE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # \t and \n are fine
_CHARACTER_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def bad_character(value: str, *, multiline: bool) -> re.Match[str] | None:
    """Find the first character that free text may not hold (a tab or line break is allowed in
    multi-line text), or return None."""
    return (_MULTI_LINE_BAD if multiline else _ONE_LINE_BAD).search(value)


def text_problem(
    value: str, *, limit: int, multiline: bool, minimum: int = 0, first_line: int = 1
) -> str | None:
    """Say what is wrong with a piece of free text, or return None if nothing is.

    The text is judged with surrounding whitespace stripped, as it is stored. A bad character
    is located at its position counted from 1 or, in multi-line text, at its line (counted from
    ``first_line``) and column.
    """
    value = value.strip()
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    if len(value) < minimum:
        if not value:
            return "is empty"
        return f"is {len(value):,} characters long; the minimum is {minimum:,}"
    bad = bad_character(value, multiline=multiline)
    if bad is None:
        return None
    index, character = bad.start(), bad.group()
    if multiline:
        line = value.count("\n", 0, index) + first_line
        column = index - value.rfind("\n", 0, index)
        where = f"line {line}, column {column}"
    else:
        where = f"position {index + 1}"
    code = f"U+{ord(character):04X}"
    if "\ud800" <= character <= "\udfff":
        return (
            f"contains an unpaired surrogate ({code}) at {where}, which is not a character; "
            "fix the \\u escape or remove it"
        )
    name = _CHARACTER_NAMES.get(character, "a control character")
    advice = "replace it with a space" if character in "\t\n" else "remove it"
    return f"contains {name} ({code}) at {where}; {advice}"


def _free_text(limit: int, *, multiline: bool = False, minimum: int = 1) -> AfterValidator:
    """Return the validator of a free-text field: see ``text_problem``; stores it stripped."""

    def check(value: str) -> str:
        problem = text_problem(value, limit=limit, multiline=multiline, minimum=minimum)
        if problem:
            raise ValueError(problem)
        return value.strip()

    return AfterValidator(check)


def _partial_date(value: str) -> str:
    if not _PARTIAL_DATE.match(value):
        raise ValueError(f"{value!r} is not a date like 2014, 2014-09 or 2014-09-22")
    parts = [int(part) for part in value.split("-")] + [1, 1]
    try:
        dt.date(*parts[:3])
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error})") from None
    return value


def _url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


# one line of text: titles, names, places
Name = Annotated[str, _free_text(NAME_MAX)]
SourceTitle = Annotated[str, _free_text(SOURCE_TITLE_MAX)]
# prose that may run over several lines
Summary = Annotated[str, _free_text(SUMMARY_MAX, multiline=True)]
Detail = Annotated[str, _free_text(DETAIL_MAX, multiline=True)]
Note = Annotated[str, _free_text(NOTE_MAX, multiline=True)]
# the length and character check runs first, so the pattern never scans a huge string
Url = Annotated[str, _free_text(URL_MAX), AfterValidator(_url)]
PartialDate = Annotated[str, AfterValidator(_partial_date)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    url: Url
    title: SourceTitle
    publisher: Name | None = None
    seen: dt.date


class ConflictRef(Strict):
    field: Literal[
        "started",
        "mechanism",
        "mechanism_detail",
        "lead_organization",
        "summary",
        "status",
        "history",
    ]
    value: Detail
    source: Url
    note: Note | None = None


def _phone(value: str) -> str:
    if not re.fullmatch(r"(\+|\()?[0-9][0-9 ().\-]{6,}[0-9]( (ext\.?|x) ?[0-9]{1,6})?", value):
        raise ValueError(f"{value!r} is not a phone number like 404-555-0100 or +1 (615) 555-0100")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value, flags=re.IGNORECASE):
        raise ValueError(f"{value!r} is not an email address")
    return value


Phone = Annotated[str, _free_text(40), AfterValidator(_phone)]
Email = Annotated[str, _free_text(NAME_MAX), AfterValidator(_email)]


class Contact(Strict):
    """A public route to the people who run an initiative: never a private person's details."""

    url: Url | None = None
    phone: Phone | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _something(self) -> Contact:
        if not (self.url or self.phone or self.email):
            raise ValueError("give at least one of url, phone or email, or leave contact null")
        return self


class HistoryEntry(Strict):
    """One dated change of an initiative: a rename, a merger, a closure, a renewal."""

    date: PartialDate
    event: Detail
    source: Url


class InitiativeProperties(Strict):
    id: Slug
    title: Name
    category: Slug
    place: Name
    place_type: Literal[PLACE_TYPES]  # type: ignore[valid-type]
    geocode_as: Name | None = None
    state: StateCode
    summary: Annotated[
        str,
        _free_text(INITIATIVE_SUMMARY_MAX, multiline=True, minimum=INITIATIVE_SUMMARY_MIN),
    ]
    started: PartialDate | None = None
    mechanism: Literal[MECHANISMS] | None = None  # type: ignore[valid-type]
    mechanism_detail: Detail | None = None
    lead_organization: Name | None = None
    website: Url | None = None
    status: Literal[STATUSES]  # type: ignore[valid-type]
    status_date: PartialDate | None = None
    history: list[HistoryEntry] = []
    contact: Contact | None = None
    member_type: Literal[MEMBER_TYPES] | None = None  # type: ignore[valid-type]
    unconfirmed: list[Literal[UNCONFIRMABLE]] = []  # type: ignore[valid-type]
    conflicts: list[ConflictRef] = []
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    added: dt.date
    last_verified: dt.date

    @model_validator(mode="after")
    def _added_before_verified(self) -> InitiativeProperties:
        if self.added > self.last_verified:
            raise ValueError(
                f"added ({self.added}) is after last_verified ({self.last_verified}): "
                "a record is checked on or after the day it was first seen"
            )
        return self


class PointGeometry(Strict):
    type: Literal["Point"]
    coordinates: Annotated[list[float], Field(min_length=2, max_length=2)]


class InitiativeFeature(Strict):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: InitiativeProperties


class ReportedCount(Strict):
    """How many places a source said the programme counted on a date (a chart's point)."""

    date: PartialDate
    count: Annotated[int, Field(ge=0, le=100_000)]
    source: Url
    title: SourceTitle


class ProgressGoal(Strict):
    """A programme's public commitment: ``count`` places by the end of year ``by``."""

    count: Annotated[int, Field(ge=1, le=100_000)]
    by: Annotated[int, Field(ge=1900, le=2100)]
    source: Url
    title: SourceTitle


class CategoryFrontMatter(Strict):
    name: Name
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
    icon: Slug
    order: Annotated[int, Field(ge=1, le=6)]
    summary: Summary
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    # the guide's progress chart (Certified Welcoming): a goal and the counts sources gave
    goal: ProgressGoal | None = None
    reported_counts: list[ReportedCount] = []


# the languages a guide's opening may be written in besides English (data/categories/<language>/)
TRANSLATED_LANGUAGES = ("es",)


class CategoryTranslationFrontMatter(Strict):
    """A guide's name, one-line description and opening sections in another language."""

    name: Name
    summary: Summary


class EventSource(Strict):
    url: Url
    title: SourceTitle


class AltDate(Strict):
    date: PartialDate
    source: Url


class TimelineEntry(Strict):
    date: PartialDate
    event: Detail
    sources: Annotated[list[EventSource], Field(min_length=1)]
    alt_dates: list[AltDate] = []


class CaseStudyFrontMatter(Strict):
    title: Name
    place: Name
    state: StateCode
    summary: Summary
    initiatives: Annotated[list[Slug], Field(min_length=1)]
    timeline: Annotated[list[TimelineEntry], Field(min_length=1)]
    last_verified: dt.date
