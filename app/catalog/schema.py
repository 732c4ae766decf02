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
UNCONFIRMABLE = ("started", "mechanism", "mechanism_detail", "lead_organization", "website")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


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
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, AfterValidator(_url)]
PartialDate = Annotated[str, AfterValidator(_partial_date)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    url: Url
    title: Text
    publisher: Text | None = None
    seen: dt.date


class ConflictRef(Strict):
    field: Literal["started", "mechanism", "mechanism_detail", "lead_organization", "summary"]
    value: Text
    source: Url
    note: Text | None = None


class InitiativeProperties(Strict):
    id: Slug
    title: Text
    category: Slug
    place: Text
    place_type: Literal[PLACE_TYPES]  # type: ignore[valid-type]
    geocode_as: Text | None = None
    state: StateCode
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=40, max_length=800)]
    started: PartialDate | None = None
    mechanism: Literal[MECHANISMS] | None = None  # type: ignore[valid-type]
    mechanism_detail: Text | None = None
    lead_organization: Text | None = None
    website: Url | None = None
    status: Literal["active", "ended", "unknown"]
    unconfirmed: list[Literal[UNCONFIRMABLE]] = []  # type: ignore[valid-type]
    conflicts: list[ConflictRef] = []
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    last_verified: dt.date


class PointGeometry(Strict):
    type: Literal["Point"]
    coordinates: Annotated[list[float], Field(min_length=2, max_length=2)]


class InitiativeFeature(Strict):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: InitiativeProperties


class CategoryFrontMatter(Strict):
    name: Text
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
    icon: Slug
    order: Annotated[int, Field(ge=1, le=6)]
    summary: Text
    sources: Annotated[list[SourceRef], Field(min_length=1)]


class EventSource(Strict):
    url: Url
    title: Text


class AltDate(Strict):
    date: PartialDate
    source: Url


class TimelineEntry(Strict):
    date: PartialDate
    event: Text
    sources: Annotated[list[EventSource], Field(min_length=1)]
    alt_dates: list[AltDate] = []


class CaseStudyFrontMatter(Strict):
    title: Text
    place: Text
    state: StateCode
    summary: Text
    initiatives: Annotated[list[Slug], Field(min_length=1)]
    timeline: Annotated[list[TimelineEntry], Field(min_length=1)]
    last_verified: dt.date
