"""Read and check the catalog files in ``data/``, reporting every problem at once."""

from __future__ import annotations

import errno
import json
import re
import stat
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic import ValidationError

from app.catalog import CATEGORY_SLUGS
from app.catalog.schema import BODY_MAX
from app.catalog.schema import TRANSLATED_LANGUAGES
from app.catalog.schema import CaseStudyFrontMatter
from app.catalog.schema import CategoryFrontMatter
from app.catalog.schema import CategoryTranslationFrontMatter
from app.catalog.schema import InitiativeFeature
from app.catalog.schema import InitiativeProperties
from app.catalog.schema import text_problem
from app.geo import StateIndex
from app.geocode import normalize

CATALOG_FILE = "catalog.geojson"
_COORDINATES = re.compile(r"\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]")
# a line of three or more dashes, the YAML front matter, another such line, then the Markdown
_FRONT_MATTER = re.compile(r"\A-{3,}[ \t]*\n(?P<yaml>.*?)^-{3,}[ \t]*$", re.DOTALL | re.MULTILINE)
# Lists and mappings inside each other in front matter; the schema needs 5 (the fields, the
# timeline, an event, its sources, a source). PyYAML recurses once per level, and thousands of
# levels end in a RecursionError or, as seen on CPython 3.11, a crash of the interpreter itself.
YAML_NESTING_LIMIT = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalog: where it is and what to fix."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


class CatalogError(Exception):
    """The catalog has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalog")
        self.problems = problems


@dataclass(frozen=True)
class CategoryTranslation:
    """A guide's name, summary and opening sections (``body``) in one more language."""

    meta: CategoryTranslationFrontMatter
    body: str


@dataclass(frozen=True)
class CategoryDoc:
    slug: str
    meta: CategoryFrontMatter
    body: str
    # {language: translation}, from data/categories/<language>/<slug>.md
    translations: dict[str, CategoryTranslation] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseStudyDoc:
    slug: str
    meta: CaseStudyFrontMatter
    body: str


@dataclass(frozen=True)
class Record:
    """One initiative with its point ``(longitude, latitude)``."""

    properties: InitiativeProperties
    point: tuple[float, float]


@dataclass
class Catalog:
    categories: list[CategoryDoc] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    case_studies: list[CaseStudyDoc] = field(default_factory=list)
    # the names of the state codes records use: search finds "Tennessee" too
    state_names: dict[str, str] = field(default_factory=dict)


def place_slug(name: str, state: str) -> str:
    """Return the URL slug of a community: ``san-jose-ca`` for San José, CA."""
    return f"{normalize(name).replace(' ', '-')}-{state.lower()}"


def read_catalog(data_dir: Path, states: StateIndex) -> Catalog:
    """Read and check every file under ``data_dir``.

    :raise CatalogError: listing every problem found, each naming its file,
        record and field.
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    features = _load_features(
        data_dir / CATALOG_FILE, _rel(data_dir / CATALOG_FILE, data_dir), problems
    )
    file_problems = bool(problems)
    catalog = Catalog(
        categories=_read_categories(data_dir, problems),
        records=_read_records(features, data_dir, states, problems),
        case_studies=_read_case_studies(data_dir, problems),
        state_names=states.names(),
    )
    # a record that failed its own checks still counts as existing, so one
    # mistake is reported once rather than again by every reference to it
    ids = {_record_id(feature) for feature in features} - {None}
    problems += _cross_check(catalog, data_dir, ids, check_references=not file_problems)
    if problems:
        raise CatalogError(problems)
    return catalog


def _rel(path: Path, data_dir: Path) -> str:
    return str(Path(data_dir.name) / path.relative_to(data_dir))


def _validation_problems(
    error: ValidationError, file: str, record: str, strip: tuple[str, ...] = ()
) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        while loc and loc[0] in strip:
            loc.pop(0)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "required field is missing"
        elif item["type"] == "extra_forbidden":
            message = "unknown field (see data/README.md for the fields)"
        problems.append(Problem(file, record, ".".join(loc) or "(record)", message))
    return problems


def _read_text(path: Path, file: str, record: str, problems: list[Problem]) -> str | None:
    """Return the text of a catalog file, or None after adding a Problem that says why not.

    Every catalog file is read here, so a folder, a looping or broken symbolic link, an
    unreadable file or one not in UTF-8 is reported like any other mistake, not as a traceback.
    """
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            # reading a pipe or a device could wait for ever
            what = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            problems.append(Problem(file, record, "(file)", f"is {what}, not a file"))
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(file, record, "(file)", _unreadable(path, error)))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(
            Problem(
                file,
                record,
                "(file)",
                f"is not UTF-8: byte 0x{data[error.start]:02X} at offset {error.start:,} "
                f"(line {line}) cannot be decoded; save the file as UTF-8",
            )
        )
        return None
    # the newlines of open() in text mode, so a file saved with CRLF reads as before
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unreadable(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "is a symbolic link that loops back on itself; replace it with the file"
    if isinstance(error, FileNotFoundError):
        if path.is_symlink():
            return f"is a symbolic link to {path.readlink()}, which does not exist"
        return "missing"
    if isinstance(error, PermissionError):
        return "cannot be read: permission denied; make it readable"
    return f"cannot be read: {error.strerror or error}"


def _load_yaml(text: str) -> Any:
    """Parse front matter, refusing deep nesting before PyYAML's recursive composer sees it.

    :raise yaml.YAMLError: for invalid YAML or nesting beyond ``YAML_NESTING_LIMIT``.
    """
    depth = 0
    # the parser's event stream is produced without recursion, whatever the depth
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > YAML_NESTING_LIMIT:
                raise yaml.MarkedYAMLError(
                    problem=f"lists and mappings are nested more than {YAML_NESTING_LIMIT} "
                    "levels deep",
                    problem_mark=event.start_mark,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.safe_load(text)


def _yaml_message(error: yaml.YAMLError, first_line: int) -> str:
    """Describe a YAML error on one line, at its line and column in the file."""
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return f"invalid YAML: {' '.join(str(error).split())}"

    def where(mark: yaml.Mark) -> str:
        return f"line {mark.line + first_line}, column {mark.column + 1}"

    message = f"invalid YAML at {where(error.problem_mark)}: {error.problem}"
    if error.context and error.context_mark:
        message += f" ({error.context} at {where(error.context_mark)})"
    return message


def _read_front_matter(
    path: Path, data_dir: Path, model: type[BaseModel], problems: list[Problem]
) -> tuple[Any, str] | None:
    """Read a Markdown file with front matter: its checked metadata and its body."""
    file = _rel(path, data_dir)
    text = _read_text(path, file, path.stem, problems)
    if text is None:
        return None
    parts = _FRONT_MATTER.match(text)
    if parts is None:
        problems.append(
            Problem(
                file,
                path.stem,
                "(front matter)",
                "missing: the file must start with a line ---, the fields in YAML "
                "and another line ---",
            )
        )
        return None
    rest = text[parts.end() :]
    body = rest.strip()
    body_line = text.count("\n", 0, len(text) - len(rest.lstrip())) + 1
    body_problem = text_problem(body, limit=BODY_MAX, multiline=True, first_line=body_line)
    if body_problem:
        problems.append(Problem(file, path.stem, "(body)", body_problem))
    try:
        # the YAML starts on line 2, after the first line of dashes
        metadata = _load_yaml(parts["yaml"])
    except yaml.YAMLError as error:
        problems.append(Problem(file, path.stem, "(front matter)", _yaml_message(error, 2)))
        return None
    if not isinstance(metadata, dict):
        problems.append(
            Problem(file, path.stem, "(front matter)", "must be YAML fields, `name: value`")
        )
        return None
    try:
        meta = model.model_validate(metadata)
    except ValidationError as error:
        problems += _validation_problems(error, file, path.stem)
        return None
    return None if body_problem else (meta, body)


def _read_categories(data_dir: Path, problems: list[Problem]) -> list[CategoryDoc]:
    folder = data_dir / "categories"
    found = {path.stem: path for path in sorted(folder.glob("*.md"))}
    docs = []
    for slug in CATEGORY_SLUGS:
        if slug not in found:
            problems.append(
                Problem(f"{data_dir.name}/categories/{slug}.md", slug, "(file)", "missing")
            )
            continue
        parsed = _read_front_matter(found[slug], data_dir, CategoryFrontMatter, problems)
        if parsed:
            docs.append(CategoryDoc(slug, *parsed, _read_translations(folder, slug, problems)))
    problems += _unknown_translations(data_dir)
    for slug in sorted(set(found) - set(CATEGORY_SLUGS)):
        problems.append(
            Problem(
                _rel(found[slug], data_dir),
                slug,
                "(file)",
                f"unknown category; expected one of {', '.join(CATEGORY_SLUGS)}",
            )
        )
    return docs


def _read_translations(
    folder: Path, slug: str, problems: list[Problem]
) -> dict[str, CategoryTranslation]:
    """Read the guide ``slug`` in each language that has it: ``categories/es/<slug>.md``."""
    translations = {}
    for language in TRANSLATED_LANGUAGES:
        path = folder / language / f"{slug}.md"
        if not path.exists():
            continue
        parsed = _read_front_matter(path, folder.parent, CategoryTranslationFrontMatter, problems)
        if parsed:
            translations[language] = CategoryTranslation(*parsed)
    return translations


def _unknown_translations(data_dir: Path) -> list[Problem]:
    """Name every file in a language folder of ``categories/`` that is not a guide's."""
    problems = []
    for language in TRANSLATED_LANGUAGES:
        for path in sorted((data_dir / "categories" / language).glob("*.md")):
            if path.stem not in CATEGORY_SLUGS:
                problems.append(
                    Problem(
                        _rel(path, data_dir),
                        path.stem,
                        "(file)",
                        f"unknown category; expected one of {', '.join(CATEGORY_SLUGS)}",
                    )
                )
    return problems


def _read_case_studies(data_dir: Path, problems: list[Problem]) -> list[CaseStudyDoc]:
    docs = []
    for path in sorted((data_dir / "case_studies").glob("*.md")):
        parsed = _read_front_matter(path, data_dir, CaseStudyFrontMatter, problems)
        if parsed:
            docs.append(CaseStudyDoc(path.stem, *parsed))
    return docs


def _load_features(path: Path, file: str, problems: list[Problem]) -> list[Any]:
    text = _read_text(path, file, "(file)", problems)
    if text is None:
        return []
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(
            Problem(
                file,
                "(file)",
                f"line {error.lineno}, column {error.colno}",
                f"invalid JSON: {error.msg}",
            )
        )
        return []
    except RecursionError:
        # json recurses once per level; the catalog needs 6
        problems.append(
            Problem(
                file,
                "(file)",
                "(file)",
                "invalid JSON: lists and objects are nested hundreds of levels deep",
            )
        )
        return []
    except ValueError:
        # the one other error of json.loads: an integer of more than 4,300 digits
        problems.append(
            Problem(file, "(file)", "(file)", "invalid JSON: a number has thousands of digits")
        )
        return []
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        problems.append(Problem(file, "(file)", "type", "expected a GeoJSON FeatureCollection"))
        return []
    features = collection.get("features")
    if not isinstance(features, list):
        problems.append(Problem(file, "(file)", "features", "expected a list of Features"))
        return []
    return features


def _record_id(feature: Any) -> str | None:
    props = feature.get("properties") if isinstance(feature, dict) else None
    record_id = props.get("id") if isinstance(props, dict) else None
    return record_id if isinstance(record_id, str) else None


def _record_label(index: int, feature: Any) -> str:
    record_id = _record_id(feature)
    return f"feature {index} ({record_id})" if record_id else f"feature {index}"


def _read_records(
    features: list[Any], data_dir: Path, states: StateIndex, problems: list[Problem]
) -> list[Record]:
    file = _rel(data_dir / CATALOG_FILE, data_dir)
    records = []
    for index, raw in enumerate(features):
        label = _record_label(index, raw)
        if isinstance(raw, dict) and raw.get("geometry") is None and "geometry" in raw:
            problems.append(
                Problem(
                    file,
                    label,
                    "geometry",
                    "no coordinates yet: run `python scripts/geocode.py` to fill them",
                )
            )
            raw = raw | {"geometry": {"type": "Point", "coordinates": [0.0, 0.0]}}
            skip_point = True
        else:
            skip_point = False
        try:
            feature = InitiativeFeature.model_validate(raw)
        except ValidationError as error:
            problems += _validation_problems(error, file, label, strip=("properties",))
            continue
        props = feature.properties
        lon, lat = feature.geometry.coordinates
        if props.state not in states:
            problems.append(
                Problem(
                    file, label, "state", f"{props.state!r} is not a USPS code of a state, DC or PR"
                )
            )
        elif not skip_point and not states.contains(props.state, lon, lat):
            inside = states.locate(lon, lat)
            where = f"it lies in {inside}" if inside else "it lies outside every state"
            problems.append(
                Problem(
                    file,
                    label,
                    "geometry",
                    f"point ({lon}, {lat}) is not in {props.state}: {where}",
                )
            )
        if not skip_point:
            records.append(Record(props, (lon, lat)))
    return records


def _cross_check(
    catalog: Catalog, data_dir: Path, all_ids: set[str], *, check_references: bool
) -> list[Problem]:
    """Check what no single record can: uniqueness, references, consistency."""
    file = f"{data_dir.name}/{CATALOG_FILE}"
    problems = []
    seen_ids: set[str] = set()
    seen_titles: set[tuple[str, str, str]] = set()
    # the first record read of each community: every later one must agree with it
    first_of_place: dict[str, Record] = {}
    for record in catalog.records:
        props = record.properties
        label = f"id {props.id}"
        if props.id in seen_ids:
            problems.append(Problem(file, label, "id", "duplicate id; ids must be unique"))
        seen_ids.add(props.id)
        if props.category not in CATEGORY_SLUGS:
            problems.append(
                Problem(
                    file,
                    label,
                    "category",
                    f"unknown category {props.category!r}; expected one of "
                    f"{', '.join(CATEGORY_SLUGS)}",
                )
            )
        slug = place_slug(props.place, props.state)
        key = (slug, props.category, props.title.casefold())
        if key in seen_titles:
            problems.append(
                Problem(
                    file,
                    label,
                    "title",
                    "duplicate record: same place, category and title as another",
                )
            )
        seen_titles.add(key)
        first = first_of_place.setdefault(slug, record)
        # one community, one spelling: "San Jose" and "San José" would share a page and a pin
        # and the page would take whichever spelling it read first
        if first.properties.place != props.place:
            problems.append(
                Problem(
                    file,
                    label,
                    "place",
                    f"{props.place!r} is spelled {first.properties.place!r} in another record of "
                    f"the same community; use one spelling",
                )
            )
        if first.properties.place_type != props.place_type:
            problems.append(
                Problem(
                    file,
                    label,
                    "place_type",
                    f"{props.place}, {props.state} is a {first.properties.place_type} in another "
                    "record",
                )
            )
        if first.point != record.point:
            problems.append(
                Problem(
                    file,
                    label,
                    "geometry",
                    f"records of {props.place}, {props.state} must share one point {first.point}",
                )
            )
        urls = {source.url for source in props.sources}
        for n, conflict in enumerate(props.conflicts):
            if conflict.source not in urls:
                problems.append(
                    Problem(file, label, f"conflicts.{n}.source", "must also be listed in sources")
                )
        for n, entry in enumerate(props.history):
            if entry.source not in urls:
                problems.append(
                    Problem(file, label, f"history.{n}.source", "must also be listed in sources")
                )
        if props.member_type and props.category != "welcoming-network":
            problems.append(
                Problem(file, label, "member_type", "only welcoming-network records have one")
            )
        if props.status_date and props.status in ("active", "unknown"):
            problems.append(
                Problem(
                    file,
                    label,
                    "status_date",
                    f"dates a change of status; a record that is {props.status} has none",
                )
            )
        for n, name in enumerate(props.unconfirmed):
            if getattr(props, name) is not None:
                problems.append(
                    Problem(
                        file,
                        label,
                        f"unconfirmed.{n}",
                        f"{name} has a value; leave it null when it is unconfirmed",
                    )
                )
    # an unreadable catalog file is one problem, not one more per case study
    for study in catalog.case_studies if check_references else []:
        study_file = f"{data_dir.name}/case_studies/{study.slug}.md"
        for n, initiative_id in enumerate(study.meta.initiatives):
            if initiative_id not in all_ids:
                problems.append(
                    Problem(
                        study_file,
                        study.slug,
                        f"initiatives.{n}",
                        f"no catalog record has id {initiative_id!r}",
                    )
                )
        if place_slug(study.meta.place, study.meta.state) not in first_of_place:
            problems.append(
                Problem(
                    study_file,
                    study.slug,
                    "place",
                    f"{study.meta.place}, {study.meta.state} has no catalog record",
                )
            )
    return problems


def group_by_place(records: list[Record]) -> dict[str, list[Record]]:
    """Return records keyed by place slug, in catalog order."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[place_slug(record.properties.place, record.properties.state)].append(record)
    return dict(groups)


def read_features(path: Path) -> list[dict[str, Any]]:
    """Return the raw Features of a catalog file (for curation scripts)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["features"]


def write_features(features: list[dict[str, Any]], path: Path) -> None:
    """Write Features in the canonical form: sorted by id, two-space indent."""
    ordered = sorted(features, key=lambda f: f["properties"]["id"])
    collection = {"type": "FeatureCollection", "features": ordered}
    text = json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    # one line per coordinate pair keeps diffs of the curated file readable
    text = _COORDINATES.sub(r"[\1, \2]", text)
    Path(path).write_text(text, encoding="utf-8")
