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


@dataclass(frozen=True)
class Query:
    """A search in the search box's language, parsed: each phrase a list of folded words.

    ``groups`` must all match (AND); within a group any phrase may (OR);
    ``excluded`` phrases must not. Punctuation only separates words, so no
    database's query syntax survives the parse.
    """

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, query: str) -> Query:
        groups: list[list[tuple[str, ...]]] = []
        excluded: list[tuple[str, ...]] = []
        pending_or = False
        for match in _TERM.finditer(query[:QUERY_MAX]):
            minus = match.group(1) or match.group(3)
            raw = match.group(2) if match.group(2) is not None else match.group(4)
            if not minus and match.group(2) is None and raw.lower() == "or":
                pending_or = bool(groups)
                continue
            phrase = tuple(words(raw))
            if not phrase:
                continue
            if minus:
                excluded.append(phrase)
            elif pending_or:
                groups[-1].append(phrase)
            else:
                groups.append([phrase])
            pending_or = False
        return cls(tuple(tuple(g) for g in groups), tuple(excluded))

    def websearch(self) -> str:
        """Write the query for PostgreSQL's ``websearch_to_tsquery`` ("" if nothing is asked).

        Only exclusions ask for nothing: on both databases they match nothing.
        """
        if not self.groups:
            return ""
        quoted = [" or ".join(f'"{" ".join(p)}"' for p in group) for group in self.groups]
        return " ".join(quoted + [f'-"{" ".join(p)}"' for p in self.excluded])

    def fts5(self, *, prefix: bool = False) -> str:
        """Write the query for FTS5's ``MATCH`` ("" if nothing is asked).

        Every word is a quoted string; with ``prefix`` each also matches longer
        words (type-ahead). FTS5's ``NOT`` needs something before it, which the
        groups are.
        """
        if not self.groups:
            return ""

        def phrase(words: tuple[str, ...]) -> str:
            if prefix:
                joined = " AND ".join(f'"{w}"*' for w in words)
                return f"({joined})" if len(words) > 1 else joined
            return f'"{" ".join(words)}"'

        parts = []
        for group in self.groups:
            either = " OR ".join(phrase(p) for p in group)
            parts.append(f"({either})" if len(group) > 1 else either)
        expression = " AND ".join(parts)
        for words in self.excluded:
            expression = f"({expression}) NOT {phrase(words)}"
        return expression


def fts5_query(query: str, *, prefix: bool = False) -> str:
    """Translate the search box's language into an FTS5 query ("" when nothing is asked)."""
    return Query.parse(query).fts5(prefix=prefix)


def pg_prefix_query(query: str) -> str:
    """Return a ``to_tsquery`` text in which every word is a prefix ("" for none)."""
    return " & ".join(f"{word}:*" for word in words(query))


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def matching_ids(session: Session, query: str) -> Select:
    """Return a ``SELECT`` of the ids of the initiatives that match ``query``.

    A query with no word in it (only punctuation, say) matches nothing.
    """
    parsed = Query.parse(query)
    if _is_postgresql(session):
        if not parsed.groups:
            return select(_index.c.initiative_id).where(literal_column("0") == 1)
        tsquery = func.websearch_to_tsquery(PG_CONFIG, bindparam("q", parsed.websearch()))
        return select(_index.c.initiative_id).where(_index.c.document.op("@@")(tsquery))
    expression = parsed.fts5()
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
