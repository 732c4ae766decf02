"""Full-text search over the initiatives: one interface, SQLite FTS5 or PostgreSQL.

Both databases keep a search index beside the catalog, written by every load in
the load's transaction (``store_index``), and answer the same three questions:
which initiatives match a query (``matching_ids``, for filters), which match
what someone is typing (``suggest_initiatives``, prefix matches, best first),
and which communities do (``suggest_places``).

Text is folded before it is indexed and before it is searched: accents are
dropped and case ignored, so "San Jose" finds San José and "SAN JOSÉ" finds it
too. Both indexes stem English words ("offices" finds "office").

- SQLite: an FTS5 table ``initiative_search`` (tokenizer ``porter unicode61``),
  ranked with ``bm25``. The query language of the search box (the one of
  PostgreSQL's ``websearch_to_tsquery``: words, "quoted phrases", ``or`` and
  ``-excluded``) is translated into FTS5's, every word quoted, so nothing a
  visitor types is FTS5 syntax.
- PostgreSQL: a table ``initiative_search`` of ``tsvector`` documents with a GIN
  index, queried with ``websearch_to_tsquery`` (full queries) or ``to_tsquery``
  built from plain words (prefixes), ranked with ``ts_rank``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import column
from sqlalchemy import func
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import table
from sqlalchemy import text
from sqlalchemy.orm import Session

TABLE = "initiative_search"
# the configuration of PostgreSQL's stemmer and stop words
PG_CONFIG = "english"
# column weights: what a record is called and where it is count most
SQLITE_WEIGHTS = (0.0, 10.0, 10.0, 4.0, 1.0)  # id, title, place, lead, body
QUERY_MAX = 200  # characters of a query that are read; the rest is ignored

_index = table(TABLE, column("initiative_id"), column("document"))
_WORD = re.compile(r"[^\W_]+")
# one term of the search box's language: an optional minus, then a quoted phrase or a word
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Document:
    """The text of one initiative that search reads, in four weighted parts."""

    initiative_id: str
    title: str
    place: str
    lead: str
    body: str


def owns_table(name: str) -> bool:
    """Tell whether a table is the index or, on SQLite, one of FTS5's own tables for it."""
    return name == TABLE or name.startswith(f"{TABLE}_")


def include_in_autogenerate(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the index out of Alembic's comparison of models and database (``include_name``)."""
    return not (type_ == "table" and name is not None and owns_table(name))


def fold(value: str) -> str:
    """Return ``value`` without accents and in lower case: ``São José`` -> ``sao jose``."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(value: str) -> list[str]:
    """Return the folded words of ``value``, punctuation dropped."""
    return _WORD.findall(fold(value[:QUERY_MAX]))


def clear_index(session: Session) -> None:
    """Empty the search index (in the caller's transaction), before its initiatives go."""
    session.execute(text(f"DELETE FROM {TABLE}"))


def store_index(session: Session, documents: Iterable[Document]) -> None:
    """Fill the emptied search index with ``documents`` (in the caller's transaction)."""
    rows = [
        {
            "id": d.initiative_id,
            "title": fold(d.title),
            "place": fold(d.place),
            "lead": fold(d.lead),
            "body": fold(d.body),
        }
        for d in documents
    ]
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        weighted = " || ".join(
            f"setweight(to_tsvector('{PG_CONFIG}', :{name}), '{weight}')"
            for name, weight in (("title", "A"), ("place", "A"), ("lead", "B"), ("body", "C"))
        )
        statement = f"INSERT INTO {TABLE} (initiative_id, document) VALUES (:id, {weighted})"
    else:
        statement = (
            f"INSERT INTO {TABLE} (initiative_id, title, place, lead, body) "
            "VALUES (:id, :title, :place, :lead, :body)"
        )
    session.execute(text(statement), rows)


def fts5_query(query: str, *, prefix: bool = False) -> str:
    """Translate the search box's language into an FTS5 query ("" when nothing is left).

    Each word becomes a quoted string, so FTS5 reads no operator a visitor did
    not mean; ``or`` between terms is FTS5's ``OR``; ``-word`` excludes (FTS5's
    ``NOT`` needs something before it, so a query of exclusions alone matches
    everything it does not exclude... which FTS5 cannot say: those are dropped).
    With ``prefix`` every word also matches longer words (type-ahead).
    """
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for match in _TERM.finditer(query[:QUERY_MAX]):
        minus = match.group(1) or match.group(3)
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        if not minus and raw.lower() == "or" and match.group(2) is None:
            pending_or = bool(positive)
            continue
        terms = words(raw)
        if not terms:
            continue
        star = "*" if prefix else ""
        phrase = " ".join(f'"{t}"{star}' for t in terms) if prefix else f'"{" ".join(terms)}"'
        if len(terms) > 1 and prefix:
            phrase = f"({phrase})"
        if minus:
            negative.append(phrase)
        elif pending_or:
            positive[-1] = f"{positive[-1]} OR {phrase}"
            pending_or = False
        else:
            positive.append(phrase)
    if not positive:
        return ""
    expression = " AND ".join(f"({p})" if " OR " in p else p for p in positive)
    for phrase in negative:
        expression = f"({expression}) NOT {phrase}"
    return expression


def pg_prefix_query(query: str) -> str:
    """Return a ``to_tsquery`` text in which every word is a prefix ("" for none)."""
    return " & ".join(f"{word}:*" for word in words(query))


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def matching_ids(session: Session, query: str) -> Select:
    """Return a ``SELECT`` of the ids of the initiatives that match ``query``.

    A query with no word in it (only punctuation, say) matches nothing.
    """
    if _is_postgresql(session):
        tsquery = func.websearch_to_tsquery(PG_CONFIG, bindparam("q", fold(query[:QUERY_MAX])))
        return select(_index.c.initiative_id).where(_index.c.document.op("@@")(tsquery))
    expression = fts5_query(query)
    fts = table(TABLE, column("initiative_id"))
    statement = select(fts.c.initiative_id)
    if not expression:
        return statement.where(literal_column("0") == 1)
    return statement.where(literal_column(TABLE).op("MATCH")(bindparam("q", expression)))


def suggest_initiatives(session: Session, query: str, limit: int) -> list[str]:
    """Return the ids of the initiatives that best match ``query`` as a prefix, best first."""
    if _is_postgresql(session):
        prefix = pg_prefix_query(query)
        if not prefix:
            return []
        tsquery = func.to_tsquery(PG_CONFIG, bindparam("q", prefix))
        rank = func.ts_rank(_index.c.document, tsquery)
        statement = (
            select(_index.c.initiative_id)
            .where(_index.c.document.op("@@")(tsquery))
            .order_by(rank.desc(), _index.c.initiative_id)
        )
    else:
        expression = fts5_query(query, prefix=True)
        if not expression:
            return []
        fts = table(TABLE, column("initiative_id"))
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        statement = (
            select(fts.c.initiative_id)
            .where(literal_column(TABLE).op("MATCH")(bindparam("q", expression)))
            .order_by(literal_column(f"bm25({TABLE}, {weights})"), fts.c.initiative_id)
        )
    return list(session.scalars(statement.limit(limit)))


def place_matches(name: str, state_name: str, query: str) -> bool:
    """Tell whether every word typed starts a word of the community's name or state."""
    typed = words(query)
    have = words(f"{name} {state_name}")
    return bool(typed) and all(any(w.startswith(t) for w in have) for t in typed)
