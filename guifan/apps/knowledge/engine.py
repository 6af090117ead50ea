"""The full-text engine under the knowledge search, one per database vendor (ADR 0014).

SQLite: an FTS5 table over ``knowledge_articleindex`` (external content), kept in step by
triggers, ranked by ``bm25`` with the title weighted above the body. PostgreSQL: a stored
generated ``tsvector`` column (``simple`` configuration: lower-case, split on spaces, no
stemming, which is what jieba-segmented Chinese needs) with a GIN index, ranked by the sum of
each query word's ``ts_rank`` over title-weighted vectors times the word's IDF. Both index
the same space-separated jieba words.

Caution: Django's SQLite schema editor rebuilds a table to alter it, which drops triggers;
a later migration that alters ``ArticleIndex`` must run ``install`` again.
"""

from __future__ import annotations

import math
from typing import Any

FTS_TABLE = "knowledge_article_fts"
INDEX_TABLE = "knowledge_articleindex"
WORK_TYPE_TABLE = "knowledge_articleworktype"
# bm25 column weights (title, body) and ts_rank weights {D, C, B, A}: a word in the title
# counts several times one in the body; ts_rank's normalization 1 divides by 1 + log(length)
# so that long articles do not win by length alone (measured in bench/knowledge_search.py).
TITLE_WEIGHT = 4.0
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
PG_NORMALIZATION = 1

SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, body, content='{INDEX_TABLE}', content_rowid='article_id', tokenize='unicode61'
    )""",
    f"""CREATE TRIGGER {INDEX_TABLE}_ai AFTER INSERT ON {INDEX_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, body)
        VALUES (new.article_id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER {INDEX_TABLE}_ad AFTER DELETE ON {INDEX_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
        VALUES ('delete', old.article_id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER {INDEX_TABLE}_au AFTER UPDATE ON {INDEX_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
        VALUES ('delete', old.article_id, old.title, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, body)
        VALUES (new.article_id, new.title, new.body);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {INDEX_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {INDEX_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {INDEX_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
PG_INSTALL = [
    f"""ALTER TABLE {INDEX_TABLE} ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
    ) STORED""",
    f"CREATE INDEX {INDEX_TABLE}_tsv ON {INDEX_TABLE} USING GIN (tsv)",
]
PG_UNINSTALL = [
    f"DROP INDEX IF EXISTS {INDEX_TABLE}_tsv",
    f"ALTER TABLE {INDEX_TABLE} DROP COLUMN IF EXISTS tsv",
]


def install(connection: Any) -> None:
    statements = SQLITE_INSTALL if connection.vendor == "sqlite" else PG_INSTALL
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    statements = SQLITE_UNINSTALL if connection.vendor == "sqlite" else PG_UNINSTALL
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _work_type_filter(service_type: str | None, kind: str | None) -> tuple[str, list[Any]]:
    """SQL restricting ``{id}`` to articles fitting the work type (a blank kind fits all)."""
    if service_type is None and kind is None:
        return "", []
    parts, params = [], []
    if service_type is not None:
        parts.append("w.service_type = %s")
        params.append(service_type)
    if kind is not None:
        parts.append("w.kind IN (%s, '')")
        params.append(kind)
    sql = (
        f" AND {{id}} IN (SELECT w.article_id FROM {WORK_TYPE_TABLE} w WHERE {' AND '.join(parts)})"
    )
    return sql, params


def _pg_quoted(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


# Per database: (article count, last update, sum of versions) -> each word's document
# frequency, and the article count.
_frequencies: dict[str, tuple[tuple[Any, ...], dict[str, int], int]] = {}


def _document_frequencies(connection: Any) -> tuple[dict[str, int], int]:
    """How many articles hold each word, read with ``ts_stat`` (about 0.5 s on 10,000
    articles) and kept until the articles change (count, latest update or a version)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(updated_at), sum(version) FROM knowledge_article")
        stamp = tuple(cursor.fetchone())
        cached = _frequencies.get(connection.alias)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        cursor.execute(f"SELECT word, ndoc FROM ts_stat('SELECT tsv FROM {INDEX_TABLE}')")
        frequencies = {str(word): int(ndoc) for word, ndoc in cursor.fetchall()}
    _frequencies[connection.alias] = (stamp, frequencies, int(stamp[0]))
    return frequencies, int(stamp[0])


def _pg_query(
    connection: Any, terms: list[str], service_type: str | None, kind: str | None, limit: int
) -> tuple[str, list[Any]]:
    """``ts_rank`` knows no inverse document frequency, so a common word (电话, 宽带) would
    outweigh a rare one: the score is each word's ``ts_rank`` times its bm25 IDF (ADR 0014)."""
    frequencies, total = _document_frequencies(connection)
    scores, score_args = [], []
    for term in terms:
        df = frequencies.get(term, 0)
        scores.append(
            f"%s * ts_rank('{PG_WEIGHTS}', i.tsv, to_tsquery('simple', %s), {PG_NORMALIZATION})"
        )
        score_args += [math.log(1 + (total - df + 0.5) / (df + 0.5)), _pg_quoted(term)]
    where, params = _work_type_filter(service_type, kind)
    sql = (
        f"SELECT i.article_id, {' + '.join(scores)} AS score "
        f"FROM {INDEX_TABLE} i WHERE i.tsv @@ to_tsquery('simple', %s)"
        f"{where.format(id='i.article_id')} ORDER BY score DESC, i.article_id LIMIT %s"
    )
    expr = " | ".join(_pg_quoted(t) for t in terms)
    return sql, [*score_args, expr, *params, limit]


def match(
    connection: Any,
    terms: list[str],
    *,
    service_type: str | None = None,
    kind: str | None = None,
    limit: int = 10,
) -> list[tuple[int, float]]:
    """(article id, score) best first for articles holding any of ``terms`` (higher is
    better). ``terms`` must be words of ``\\w`` characters only (``segment.query_words``)."""
    if not terms:
        return []
    if connection.vendor == "sqlite":
        # Each term a quoted string: NEAR, AND, OR, NOT, * and brackets stay plain words.
        expr = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        where, params = _work_type_filter(service_type, kind)
        sql = (
            f"SELECT rowid, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s{where.format(id='rowid')} ORDER BY score DESC LIMIT %s"
        )
        args: list[Any] = [expr, *params, limit]
    else:
        sql, args = _pg_query(connection, terms, service_type, kind, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
