"""The suggestion form, the curators' forms, and the catalog's own rules applied to them.

Every check is the catalog's (``app/catalog/schema.py``): USPS codes from the states index,
category slugs from the database, the URL rule, partial dates and the text limits, so that
what a visitor may send is what a record may hold. Messages say what to do, GOV.UK-style,
and each belongs to one field (the page lists them at the top too, linked to the fields).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from pydantic import TypeAdapter
from pydantic import ValidationError
from wtforms import BooleanField
from wtforms import Field
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.widgets import EmailInput

from app.catalog import schema
from app.suggestions.models import KINDS

SOURCE_FIELDS = 3
EMAIL_MAX = 254
REASON_MAX = schema.NOTE_MAX
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_URL = TypeAdapter(schema.Url)
_PARTIAL_DATE = TypeAdapter(schema.PartialDate)


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Return ``(value, label)`` pairs as the options of a select or a group of radios."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_to_none(value: Any) -> Any:
    value = _strip(value)
    return value or None


STRIP = [_strip]
OPTIONAL = [_blank_to_none]


def text_error(label: str, value: str, limit: int, *, multiline=False, minimum=0) -> str | None:
    """Return the catalog's complaint about a piece of text, as a sentence, or None.

    The catalog (``schema.text_problem``) judges the text; the sentence is said here, in the
    page's language, with ``label`` (the field, as a sentence's subject) first.
    """
    problem = schema.text_problem(value, limit=limit, multiline=multiline, minimum=minimum)
    if problem is None:
        return None
    value = value.strip()
    length = len(value)
    if length > limit:
        return _(
            "%(field)s is %(length)s characters long; the limit is %(limit)s",
            field=label,
            length=format_decimal(length),
            limit=format_decimal(limit),
        )
    if length < minimum:
        if not value:
            return _("%(field)s is empty", field=label)
        return ngettext(
            "%(field)s is %(length)s character long; the minimum is %(minimum)s",
            "%(field)s is %(length)s characters long; the minimum is %(minimum)s",
            length,
            field=label,
            length=format_decimal(length),
            minimum=format_decimal(minimum),
        )
    return _character_error(label, value, problem, multiline=multiline)


def _character_error(label: str, value: str, problem: str, *, multiline: bool) -> str:
    """Say which character of ``value`` the catalog refuses, where, and what to do."""
    bad = schema.bad_character(value, multiline=multiline)
    if bad is None:  # a rule of the catalog's that this does not know: say it as it does
        return f"{label} {problem}"
    index, character = bad.start(), bad.group()
    if multiline:
        line = value.count("\n", 0, index) + 1
        column = index - value.rfind("\n", 0, index)
        where = _("line %(line)d, column %(column)d", line=line, column=column)
    else:
        where = _("position %(position)d", position=index + 1)
    code = f"U+{ord(character):04X}"
    if "\ud800" <= character <= "\udfff":
        return _(
            "%(field)s contains an unpaired surrogate (%(code)s) at %(where)s, which is not a "
            "character; fix the \\u escape or remove it",
            field=label,
            code=code,
            where=where,
        )
    names = {"\t": _("a tab"), "\n": _("a line break"), "\r": _("a carriage return")}
    name = names.get(character, _("a control character"))
    if character in "\t\n":
        return _(
            "%(field)s contains %(character)s (%(code)s) at %(where)s; replace it with a space",
            field=label,
            character=name,
            code=code,
            where=where,
        )
    return _(
        "%(field)s contains %(character)s (%(code)s) at %(where)s; remove it",
        field=label,
        character=name,
        code=code,
        where=where,
    )


def url_error(label: str, value: str) -> str | None:
    """Return why ``value`` is not a source URL the catalog accepts, or None."""
    too_long = text_error(label, value, schema.URL_MAX)
    if too_long:
        return too_long
    try:
        _URL.validate_python(value)
    except ValidationError:
        return _(
            "%(field)s must be a web address starting with https:// or http://, "
            "like https://www.example.gov/new-americans",
            field=label,
        )
    return None


def started_error(value: str) -> str | None:
    """Return why ``value`` is not a year, month or date the catalog accepts, or None."""
    try:
        _PARTIAL_DATE.validate_python(value)
    except ValidationError:
        return _("Enter the year it started, like 2014, or a month or date: 2014-09 or 2014-09-22")
    if int(value[:4]) > dt.date.today().year:
        return _("The year it started must not be in the future")
    return None


def email_error(value: str) -> str | None:
    if len(value) > EMAIL_MAX or not _EMAIL.fullmatch(value):
        return _("Enter an email address like name@example.org, or leave it empty")
    return None


def record_id_from(value: str) -> str | None:
    """Read a record id from what a visitor pasted: the id, or the address of its page."""
    value = value.strip()
    if "#" in value:
        value = value.rsplit("#", 1)[1]
    elif "/initiatives/" in value:
        value = value.rstrip("/").rsplit("/", 1)[1]
    return value if len(value) <= 120 and _SLUG.fullmatch(value) else None


class SuggestionForm(FlaskForm):
    """What a visitor tells us; the view sets the state and category choices."""

    kind = RadioField(
        _l("What are you telling us about?"), choices=options(KINDS.items()), validate_choice=False
    )
    record = StringField(_l("Which record is it about?"), filters=STRIP)
    place = StringField(_l("Community"), filters=STRIP)
    state = SelectField(_l("State"), validate_choice=False)
    category = SelectField(_l("Kind of initiative"), validate_choice=False)
    title = StringField(_l("Name of the initiative"), filters=STRIP)
    summary = TextAreaField(_l("What it is"), filters=STRIP)
    started = StringField(_l("Year started"), filters=STRIP)
    sources = FieldList(
        StringField(_l("Source"), filters=STRIP),
        min_entries=SOURCE_FIELDS,
        max_entries=SOURCE_FIELDS,
    )
    email = StringField(_l("Your email address"), filters=STRIP, widget=EmailInput())
    message = TextAreaField(_l("Anything else we should know"), filters=STRIP)
    # the honeypot: hidden from people (CSS, aria-hidden, no tab stop); bots fill it in
    homepage = StringField(_l("Leave this field empty"), filters=STRIP)

    def validate_all(self, states: Iterable[str], categories: Iterable[str], record: Any) -> bool:
        """Check every field with the catalog's rules; ``record`` is the correction's record.

        For a correction or an ended initiative, a field left empty keeps the record's
        value (the view fills it in before calling this).
        """
        self.validate()  # the CSRF token (the app's CSRFProtect has checked it already)
        for field in self:
            if field.name != "csrf_token":
                _clear(field)
        kind = self.kind.data
        if kind not in KINDS:
            self.kind.errors.append(
                _(
                    "Choose whether this is a new initiative, a correction or news that one has "
                    "ended"
                )
            )
        elif kind != "new" and record is None:
            self.record.errors.append(
                _("Choose the record this is about")
                if not self.record.data
                else _(
                    "No record in the catalog has that id or address: use the "
                    "“Suggest a correction” link beside the initiative"
                )
            )
        self._check_place(states)
        if self.category.data not in set(categories):
            self.category.errors.append(_("Choose the kind of initiative"))
        self._check_text()
        self._check_sources()
        if self.started.data:
            problem = started_error(self.started.data)
            if problem:
                self.started.errors.append(problem)
        if self.email.data:
            problem = email_error(self.email.data)
            if problem:
                self.email.errors.append(problem)
        return not field_errors(self)

    def _check_place(self, states: Iterable[str]) -> None:
        if not self.place.data:
            self.place.errors.append(_("Enter the community, for example Boise or Ada County"))
        else:
            problem = text_error(_("Community"), self.place.data, schema.NAME_MAX)
            if problem:
                self.place.errors.append(problem)
        if self.state.data not in set(states):
            self.state.errors.append(_("Choose the state, DC or Puerto Rico"))

    def _check_text(self) -> None:
        if not self.title.data:
            self.title.errors.append(_("Enter the name of the initiative"))
        else:
            problem = text_error(_("The name"), self.title.data, schema.NAME_MAX)
            if problem:
                self.title.errors.append(problem)
        if not self.summary.data:
            self.summary.errors.append(
                _(
                    "Say what it is and what it does, in %(minimum)s to %(maximum)s characters",
                    minimum=format_decimal(schema.INITIATIVE_SUMMARY_MIN),
                    maximum=format_decimal(schema.INITIATIVE_SUMMARY_MAX),
                )
            )
        else:
            problem = text_error(
                _("The description"),
                self.summary.data,
                schema.INITIATIVE_SUMMARY_MAX,
                multiline=True,
                minimum=schema.INITIATIVE_SUMMARY_MIN,
            )
            if problem:
                self.summary.errors.append(problem)
        if self.message.data:
            problem = text_error(
                _("The message"), self.message.data, schema.NOTE_MAX, multiline=True
            )
            if problem:
                self.message.errors.append(problem)

    def _check_sources(self) -> None:
        entries = list(self.sources)
        if not any(entry.data for entry in entries):
            entries[0].errors.append(
                _("Enter the address of a public page that states this, starting with https://")
            )
        for number, entry in enumerate(entries, start=1):
            if entry.data:
                problem = url_error(_("Source %(number)d", number=number), entry.data)
                if problem:
                    entry.errors.append(problem)

    def source_urls(self) -> list[str]:
        """Return the sources given, in order, without repeats."""
        return list(dict.fromkeys(entry.data for entry in self.sources if entry.data))

    def error_list(self) -> list[tuple[str, str]]:
        """Return ``(field id, message)`` for the error summary, in the page's order."""
        return field_errors(self)


def field_errors(form: Form) -> list[tuple[str, str]]:
    """Return ``(field id, message)`` for every error of ``form``, in field order."""
    found: list[tuple[str, str]] = []

    def walk(field: Field) -> None:
        if isinstance(field, FieldList | FormField):
            for sub in field:
                walk(sub)
            if isinstance(field, FormField):
                return
        if isinstance(field.errors, list | tuple):
            # a group of radios is reached through its first one
            target = f"{field.id}-0" if isinstance(field, RadioField) else field.id
            found.extend((target, message) for message in field.errors)

    for field in form:
        if field.name != "csrf_token":
            walk(field)
    return found


class LoginForm(FlaskForm):
    email = StringField(_l("Email address"), filters=STRIP, widget=EmailInput())
    password = PasswordField(_l("Password"))
    next = StringField()


class LogoutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""


class SourceForm(Form):
    """One source as the record will cite it."""

    url = StringField(_l("Address"), filters=STRIP)
    title = StringField(_l("Title of the page or document"), filters=STRIP)
    publisher = StringField(_l("Publisher"), filters=OPTIONAL)


class AcceptForm(FlaskForm):
    """What the curator confirms or fixes before the suggestion becomes a catalog edit."""

    record_id = StringField(_l("Record id"), filters=STRIP)
    title = StringField(_l("Title"), filters=STRIP)
    category = SelectField(_l("Kind of initiative"), validate_choice=False)
    place = StringField(_l("Community"), filters=STRIP)
    # the options of the schema's lists are its values, as the catalog's files write them
    place_type = SelectField(
        _l("Kind of community"),
        choices=options((t, t) for t in schema.PLACE_TYPES),
        validate_choice=False,
    )
    geocode_as = StringField(_l("Place the pin as (gazetteer name)"), filters=OPTIONAL)
    state = SelectField(_l("State"), validate_choice=False)
    summary = TextAreaField(_l("Summary (our own words)"), filters=STRIP)
    started = StringField(_l("Started"), filters=OPTIONAL)
    mechanism = SelectField(
        _l("How it was established"),
        choices=options([("", _l("not confirmed"))] + [(m, m) for m in schema.MECHANISMS]),
        validate_choice=False,
    )
    mechanism_detail = TextAreaField(_l("Details of how it was established"), filters=OPTIONAL)
    lead_organization = StringField(_l("Lead organisation"), filters=OPTIONAL)
    website = StringField(_l("Website"), filters=OPTIONAL)
    status = SelectField(
        _l("Status"), choices=options((s, s) for s in schema.STATUSES), validate_choice=False
    )
    sources = FieldList(FormField(SourceForm), min_entries=1, max_entries=20)
    checked = BooleanField(_l("I opened the sources and they state these facts"))

    def validate_all(self, states: Iterable[str], categories: Iterable[str]) -> bool:
        """Check what the schema would refuse, field by field (the validator runs after)."""
        self.validate()
        for field in self:
            if field.name != "csrf_token":
                _clear(field)
        if not self.record_id.data or not _SLUG.fullmatch(self.record_id.data):
            self.record_id.errors.append(_("Use a-z, 0-9 and single hyphens, e.g. boise-id-office"))
        elif len(self.record_id.data) > 120:
            self.record_id.errors.append(
                _("The id is longer than %(limit)s characters", limit=format_decimal(120))
            )
        for field, label in ((self.title, _("The title")), (self.place, _("The community"))):
            problem = text_error(label, field.data or "", schema.NAME_MAX, minimum=1)
            if problem:
                field.errors.append(problem)
        if self.category.data not in set(categories):
            self.category.errors.append(_("Choose the kind of initiative"))
        if self.state.data not in set(states):
            self.state.errors.append(_("Choose the state"))
        if self.place_type.data not in schema.PLACE_TYPES:
            self.place_type.errors.append(_("Choose the kind of community"))
        if self.mechanism.data and self.mechanism.data not in schema.MECHANISMS:
            self.mechanism.errors.append(_("Choose how it was established"))
        if self.status.data not in schema.STATUSES:
            self.status.errors.append(_("Choose the status"))
        problem = text_error(
            _("The summary"),
            self.summary.data or "",
            schema.INITIATIVE_SUMMARY_MAX,
            multiline=True,
            minimum=schema.INITIATIVE_SUMMARY_MIN,
        )
        if problem:
            self.summary.errors.append(problem)
        if self.started.data:
            problem = started_error(self.started.data)
            if problem:
                self.started.errors.append(problem)
        if self.website.data:
            problem = url_error(_("The website"), self.website.data)
            if problem:
                self.website.errors.append(problem)
        self._check_optional_text()
        self._check_sources()
        if not self.checked.data:
            self.checked.errors.append(
                _("Confirm that you opened the sources and that they state these facts")
            )
        return not field_errors(self)

    def _check_optional_text(self) -> None:
        for field, label, limit, multiline in (
            (self.geocode_as, _("The gazetteer name"), schema.NAME_MAX, False),
            (self.lead_organization, _("The lead organisation"), schema.NAME_MAX, False),
            (self.mechanism_detail, _("The details"), schema.DETAIL_MAX, True),
        ):
            if field.data:
                problem = text_error(label, field.data, limit, multiline=multiline)
                if problem:
                    field.errors.append(problem)

    def _check_sources(self) -> None:
        for number, entry in enumerate(self.sources, start=1):
            source = entry.form
            problem = url_error(_("Source %(number)d", number=number), source.url.data or "")
            if problem:
                source.url.errors.append(problem)
            problem = text_error(
                _("The title of source %(number)d", number=number),
                source.title.data or "",
                schema.SOURCE_TITLE_MAX,
                minimum=1,
            )
            if problem:
                source.title.errors.append(problem)
            if source.publisher.data:
                problem = text_error(
                    _("The publisher of source %(number)d", number=number),
                    source.publisher.data,
                    schema.NAME_MAX,
                )
                if problem:
                    source.publisher.errors.append(problem)


def _clear(field: Field) -> None:
    """Forget the errors of ``field`` and of every field inside it."""
    if isinstance(field, FieldList | FormField):
        for sub in field:
            _clear(sub)
    if not isinstance(field, FormField):  # its errors are its form's, cleared above
        field.errors = []


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Why is it rejected?"), filters=STRIP)

    def validate_reason(self, field: Field) -> None:
        from wtforms.validators import ValidationError as FormError

        if not field.data:
            raise FormError(_("Say why, in a sentence the sender could read"))
        problem = text_error(_("The reason"), field.data, REASON_MAX, multiline=True)
        if problem:
            raise FormError(problem)
