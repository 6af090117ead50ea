"""The knowledge search (ADR 0014): relevance on labelled queries and latency on 10,000 articles.

Run: .venv/bin/python bench/knowledge_search.py [--articles 10000] [--rounds 5] [--pg URL]

For each database (a fresh SQLite file; PostgreSQL at --pg, default the ``guifan_kb`` database,
skipped when unreachable) the script migrates (which loads the real seed articles), then
compares three ways to search the same articles:

- ``jieba-fts``: the product, ``knowledge_search`` (jieba search-mode words; FTS5 bm25 on
  SQLite, tsvector 'simple' + GIN + ts_rank on PostgreSQL);
- ``bigram-fts``: the naive alternative without a segmenter: every overlapping pair of Chinese
  characters is a token, in the same engine with the same ranking;
- ``like``: ``LIKE '%query%'`` over the raw text (title hits first).

Relevance: precision@1, MRR@10 and recall@3 of each on ``LABELLED`` (query -> the articles a
technician wants; written by hand against the seed articles), measured on the seed articles
alone and again after ``--articles`` generated ones are added. Latency: p50/p95/max of each
query of ``LABELLED`` plus ``DESCRIPTIONS`` (whole fault descriptions, as ``knowledge_suggest``
sends them), ``--rounds`` times each, over the seed plus generated articles. Writes
bench/results/knowledge_search.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/guifan_kb"

# query -> slugs of the articles that answer it (any of them counts as a hit).
LABELLED: list[tuple[str, set[str]]] = [
    ("拨号提示691", {"dial-691"}),
    ("账号密码错误上不了网", {"dial-691"}),
    ("宽带欠费停机后拨号失败", {"dial-691"}),
    ("错误678", {"dial-678"}),
    ("远程计算机没有响应", {"dial-678"}),
    ("电脑拨号报651", {"dial-651"}),
    ("调制解调器报告错误", {"dial-651"}),
    ("拨号错误769", {"dial-769"}),
    ("网卡被禁用", {"dial-769"}),
    ("上网时断时续", {"dropping-weak-light", "dropping-home-network"}),
    ("光功率低 弱光", {"dropping-weak-light"}),
    ("网速很慢达不到带宽", {"slow-speed"}),
    ("千兆宽带只有一百兆", {"slow-speed", "network-cable"}),
    ("光猫红灯闪", {"los-red"}),
    ("光纤断了", {"los-red"}),
    ("PON灯闪烁光猫注册不上", {"pon-unregistered"}),
    ("无线信号差卧室搜不到WiFi", {"wifi-coverage"}),
    ("水晶头怎么做线序", {"network-cable"}),
    ("换光猫", {"ont-replace"}),
    ("电视黑屏显示无信号", {"stb-tv-no-signal"}),
    ("华为悦盒认证失败", {"stb-huawei-auth"}),
    ("中兴机顶盒死机", {"stb-zte-freeze"}),
    ("看直播有马赛克", {"iptv-mosaic"}),
    ("固话没有拨号音", {"ims-no-dial-tone", "fixed-line-copper"}),
    ("打电话对方听不到我说话", {"ims-one-way-audio"}),
    ("电话有杂音", {"ims-noise-echo"}),
    ("电话打不进来", {"ims-no-incoming"}),
    ("新装宽带流程", {"install-broadband"}),
    ("移机", {"move-open-before-remove"}),
    ("机顶盒安装", {"install-iptv"}),
    ("客户不在家联系不上", {"no-contact-note"}),
    ("鞋套 服务卡片", {"five-ones"}),
    ("客户让修电脑", {"computer-out-of-scope"}),
    ("故障修不好要上报", {"escalation"}),
    ("设备带回去修", {"appliance-bring-back"}),
]
DESCRIPTIONS = [
    "客户反映宽带从昨天晚上开始无法上网，电脑拨号提示错误691，已确认缴费",
    "用户报障：光猫LOS灯一直闪红，电视和电话都不能用，楼道最近有装修",
    "家里WiFi信号很差，主卧和书房经常断线，看视频卡顿，办理的是500M宽带",
    "IPTV机顶盒开机后提示认证失败，电视只能看到开机画面，型号华为EC6108V9",
    "固话打出去对方听不到声音，我这边能听到对方，已经好几天了",
]

# Words a generated article adds to a real one's vocabulary (vendors, models, places).
VARIANTS = [
    "华为 HG8245H",
    "中兴 F663N",
    "烽火 HG6543C",
    "天邑 TEWA-700G",
    "华为悦盒 EC6110",
    "中兴 B860AV2",
    "创维 E900",
    "老旧小区",
    "新建楼盘",
    "农村自建房",
    "高层住宅",
    "写字楼",
    "城中村",
    "别墅",
    "复式",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def bigrams(text: str) -> str:
    """Overlapping pairs of Chinese characters; other words whole, lower-cased."""
    out = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", text):
        if run[0].isascii():
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def article_text(article: Any) -> tuple[str, str]:
    from guifan.apps.knowledge.seed import article_body

    steps = [s.text for s in article.steps.all()]
    body = article_body(
        symptoms=article.symptoms, summary=article.summary, keywords=article.keywords, steps=steps
    )
    return article.title, body


# --- The two baselines, in the same database -------------------------------------------------


def baselines_build(connection: Any) -> None:
    """Tables for the baselines, filled from every article (real and generated)."""
    from guifan.apps.knowledge.models import Article

    rows = []
    for a in Article.objects.prefetch_related("steps").iterator(chunk_size=2000):
        title, body = article_text(a)
        rows.append((a.id, title, body, bigrams(title), bigrams(body)))
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_plain")
        c.execute(
            "CREATE TABLE bench_plain (article_id integer primary key, title text, body text)"
        )
        c.executemany(
            "INSERT INTO bench_plain VALUES (%s, %s, %s)", [(r[0], r[1], r[2]) for r in rows]
        )
        if connection.vendor == "sqlite":
            c.execute("DROP TABLE IF EXISTS bench_bigram")
            c.execute("CREATE VIRTUAL TABLE bench_bigram USING fts5(title, body)")
            c.executemany(
                "INSERT INTO bench_bigram(rowid, title, body) VALUES (%s, %s, %s)",
                [(r[0], r[3], r[4]) for r in rows],
            )
        else:
            c.execute("DROP TABLE IF EXISTS bench_bigram")
            c.execute("CREATE TABLE bench_bigram (article_id integer primary key, tsv tsvector)")
            c.executemany(
                "INSERT INTO bench_bigram VALUES (%s, setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B'))",
                [(r[0], r[3], r[4]) for r in rows],
            )
            c.execute("CREATE INDEX bench_bigram_tsv ON bench_bigram USING GIN (tsv)")
            c.execute("ANALYZE bench_bigram")
            c.execute("ANALYZE bench_plain")


def bigram_search(connection: Any, query: str, limit: int = 10) -> list[int]:
    from guifan.apps.knowledge import engine

    terms = list(dict.fromkeys(bigrams(query).split()))[:32]
    if not terms:
        return []
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            expr = " OR ".join(f'"{t}"' for t in terms)
            c.execute(
                f"SELECT rowid FROM bench_bigram WHERE bench_bigram MATCH %s "
                f"ORDER BY bm25(bench_bigram, {engine.TITLE_WEIGHT}, 1.0) LIMIT %s",
                [expr, limit],
            )
        else:
            expr = " | ".join(f"'{t}'" for t in terms)
            c.execute(
                f"SELECT article_id FROM bench_bigram, to_tsquery('simple', %s) q "
                f"WHERE tsv @@ q ORDER BY ts_rank('{engine.PG_WEIGHTS}', tsv, q, "
                f"{engine.PG_NORMALIZATION}) DESC, article_id"
                f" LIMIT %s",
                [expr, limit],
            )
        return [int(r[0]) for r in c.fetchall()]


def like_search(connection: Any, query: str, limit: int = 10) -> list[int]:
    q = query.strip()
    if not q:
        return []
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as c:
        c.execute(
            "SELECT article_id FROM bench_plain WHERE title LIKE %s ESCAPE '\\' "
            "OR body LIKE %s ESCAPE '\\' "
            "ORDER BY CASE WHEN title LIKE %s ESCAPE '\\' THEN 0 ELSE 1 END, article_id LIMIT %s",
            [pattern, pattern, pattern, limit],
        )
        return [int(r[0]) for r in c.fetchall()]


def jieba_search(connection: Any, query: str, limit: int = 10) -> list[int]:
    """Segmentation and the engine's query, as the baselines (no articles read)."""
    from guifan.apps.knowledge import engine
    from guifan.apps.knowledge.segment import query_words

    return [i for i, _ in engine.match(connection, query_words(query), limit=limit)]


def service_search(connection: Any, query: str, limit: int = 10) -> list[int]:
    """The whole service call the API and pages make (articles read too)."""
    from guifan.apps.knowledge.search import knowledge_search

    return [h.article.id for h in knowledge_search(query, limit=limit)]


def plain_rank_search(connection: Any, query: str, limit: int = 10) -> list[int]:
    """PostgreSQL only: the same words ranked by plain ``ts_rank``, without the IDF weight."""
    from guifan.apps.knowledge import engine
    from guifan.apps.knowledge.segment import query_words

    terms = query_words(query)
    if not terms:
        return []
    expr = " | ".join(f"'{t}'" for t in terms)
    with connection.cursor() as c:
        c.execute(
            f"SELECT i.article_id FROM {engine.INDEX_TABLE} i, to_tsquery('simple', %s) q "
            f"WHERE i.tsv @@ q ORDER BY ts_rank('{engine.PG_WEIGHTS}', i.tsv, q, "
            f"{engine.PG_NORMALIZATION}) DESC, i.article_id LIMIT %s",
            [expr, limit],
        )
        return [int(r[0]) for r in c.fetchall()]


METHODS: dict[str, Callable[[Any, str, int], list[int]]] = {
    "jieba-fts": jieba_search,
    "bigram-fts": bigram_search,
    "like": like_search,
}
PG_ONLY: dict[str, Callable[[Any, str, int], list[int]]] = {
    "jieba-plain-ts_rank": plain_rank_search
}


def methods(connection: Any) -> dict[str, Callable[[Any, str, int], list[int]]]:
    return METHODS if connection.vendor == "sqlite" else {**METHODS, **PG_ONLY}


# --- Generated articles ----------------------------------------------------------------------


def generate(n: int, seed: int = 14) -> float:
    """Add ``n`` articles remixed from the real ones' sentences and vocabulary; seconds taken."""
    from django.db import transaction

    from guifan.apps.knowledge.models import (
        Article,
        ArticleIndex,
        ArticleStep,
        ArticleWorkType,
    )
    from guifan.apps.knowledge.seed import article_body
    from guifan.apps.knowledge.segment import index_text
    from guifan.clock import now

    started = time.perf_counter()
    rng = random.Random(seed)
    real = list(Article.objects.prefetch_related("steps", "work_types"))
    all_steps = [s.text for a in real for s in a.steps.all()]
    at = now()
    for start in range(0, n, 1000):
        batch = range(start, min(n, start + 1000))
        with transaction.atomic():
            plans = []
            for i in batch:
                base = rng.choice(real)
                variant = rng.choice(VARIANTS)
                steps = rng.sample(all_steps, 2) + [s.text for s in base.steps.all()][:3]
                rng.shuffle(steps)
                plans.append((i, base, variant, steps))
            articles = Article.objects.bulk_create(
                Article(
                    slug=f"gen-{i:05d}-{base.slug}",
                    title=f"{base.title}（{variant}案例{i}）",
                    topic=base.topic,
                    fault_type=base.fault_type,
                    symptoms=f"{variant}：{base.symptoms}",
                    summary=base.summary,
                    keywords=base.keywords,
                    updated_at=at,
                )
                for i, base, variant, steps in plans
            )
            ArticleStep.objects.bulk_create(
                ArticleStep(article=a, position=k, text=t)
                for a, (_, _, _, steps) in zip(articles, plans, strict=True)
                for k, t in enumerate(steps, 1)
            )
            ArticleWorkType.objects.bulk_create(
                ArticleWorkType(article=a, service_type=w.service_type, kind=w.kind)
                for a, (_, base, _, _) in zip(articles, plans, strict=True)
                for w in base.work_types.all()
            )
            ArticleIndex.objects.bulk_create(
                ArticleIndex(
                    article=a,
                    title=index_text(a.title),
                    body=index_text(
                        article_body(
                            symptoms=a.symptoms,
                            summary=a.summary,
                            keywords=a.keywords,
                            steps=steps,
                        )
                    ),
                )
                for a, (_, _, _, steps) in zip(articles, plans, strict=True)
            )
    return time.perf_counter() - started


# --- Measures -------------------------------------------------------------------------------


def relevance(connection: Any) -> dict[str, dict[str, float]]:
    from guifan.apps.knowledge.models import Article

    # A generated article counts as its base article: same title and symptoms, a case of it.
    slug_of = {
        i: re.sub(r"^gen-\d+-", "", slug) for i, slug in Article.objects.values_list("id", "slug")
    }
    out: dict[str, Any] = {}
    for name, method in methods(connection).items():
        p1 = mrr = r3 = 0.0
        misses = []
        for query, wanted in LABELLED:
            got = [slug_of[i] for i in method(connection, query, 10)]
            ranks = [k for k, slug in enumerate(got, 1) if slug in wanted]
            if not ranks or ranks[0] != 1:
                misses.append(f"{query} -> {got[0] if got else '-'}")
            p1 += 1.0 if ranks and ranks[0] == 1 else 0.0
            mrr += 1.0 / ranks[0] if ranks else 0.0
            r3 += 1.0 if ranks and ranks[0] <= 3 else 0.0
        n = len(LABELLED)
        out[name] = {
            "p_at_1": p1 / n,
            "mrr_at_10": mrr / n,
            "recall_at_3": r3 / n,
            "misses": misses,
        }
    return out


def latency(connection: Any, rounds: int) -> dict[str, dict[str, float]]:
    queries = [q for q, _ in LABELLED] + DESCRIPTIONS
    out = {}
    for name, method in {**methods(connection), "service": service_search}.items():
        method(connection, queries[0], 10)  # warm: jieba's dictionary, the page cache
        times = []
        for _ in range(rounds):
            for q in queries:
                t = time.perf_counter()
                method(connection, q, 10)
                times.append((time.perf_counter() - t) * 1000)
        out[name] = {
            "n": len(times),
            "p50_ms": statistics.median(times),
            "p95_ms": percentile(times, 95),
            "max_ms": max(times),
        }
    return out


def run_one(articles: int, rounds: int) -> dict[str, Any]:
    """In a child process with the database chosen by the environment."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from guifan.apps.knowledge.models import Article

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"vendor": connection.vendor}
    result["seed_articles"] = Article.objects.count()
    baselines_build(connection)
    result["relevance_seed"] = relevance(connection)
    result["generate_s"] = generate(articles)
    result["articles"] = Article.objects.count()
    t = time.perf_counter()
    baselines_build(connection)
    result["baselines_build_s"] = time.perf_counter() - t
    result["relevance_full"] = relevance(connection)
    result["latency"] = latency(connection, rounds)
    with connection.cursor() as c:
        c.execute(
            "SELECT version()" if connection.vendor != "sqlite" else "SELECT sqlite_version()"
        )
        result["engine_version"] = str(c.fetchone()[0]).split(" on ")[0]
    return result


def pg_reset(url: str) -> bool:
    """A fresh, empty database at ``url``; False when the server does not answer."""
    import psycopg

    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return False
    return True


def child(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--articles",
        str(args.articles),
        "--rounds",
        str(args.rounds),
    ]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "# Knowledge search: relevance and latency (ADR 0014)",
        "",
        f"Command: `python bench/knowledge_search.py --articles {args.articles} "
        f"--rounds {args.rounds}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other jobs, "
        f"Python {platform.python_version()}.  ",
        f"Labelled queries: {len(LABELLED)}; latency queries: {len(LABELLED)} labelled + "
        f"{len(DESCRIPTIONS)} whole fault descriptions, {args.rounds} rounds each.",
        "",
    ]
    for r in results:
        lines += [
            f"## {r['vendor']} ({r['engine_version']})",
            "",
            f"{r['seed_articles']} seed articles + {r['articles'] - r['seed_articles']} generated"
            f" = {r['articles']} (generating and indexing with jieba took "
            f"{r['generate_s']:.1f} s).",
            "",
            "| method | P@1 (seed) | MRR@10 (seed) | R@3 (seed) | P@1 (all) | MRR@10 (all) "
            "| p50 ms (all) | p95 ms (all) | max ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name in r["relevance_seed"]:
            s, f, lat = r["relevance_seed"][name], r["relevance_full"][name], r["latency"][name]
            lines.append(
                f"| {name} | {s['p_at_1']:.2f} | {s['mrr_at_10']:.2f} | {s['recall_at_3']:.2f} "
                f"| {f['p_at_1']:.2f} | {f['mrr_at_10']:.2f} "
                f"| {lat['p50_ms']:.2f} | {lat['p95_ms']:.2f} | {lat['max_ms']:.2f} |"
            )
        lat = r["latency"]["service"]
        lines += [
            f"| `knowledge_search` (whole call) | | | | | | {lat['p50_ms']:.2f} "
            f"| {lat['p95_ms']:.2f} | {lat['max_ms']:.2f} |",
            "",
            "Misses at P@1 on the seed articles (query -> what came first):",
            "",
        ]
        for name in r["relevance_seed"]:
            misses = "; ".join(r["relevance_seed"][name]["misses"]) or "none"
            lines.append(f"- {name}: {misses}")
        lines.append("")
    lines += [
        "Seed: the real articles only. All: seed plus generated articles; a generated article",
        "counts as the real one it was remixed from (same title and symptoms, other steps mixed",
        "in), like case write-ups of one fault. Latency rows of the methods: the query (and",
        "segmentation) alone; `knowledge_search`: the whole service call the API and the pages",
        "make, articles read. `jieba-plain-ts_rank` (PostgreSQL): the product's words and",
        "index ranked by plain `ts_rank`, without the IDF weight the product adds.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL URL; 'none' to skip")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "knowledge_search.md"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.articles, args.rounds)))
        return
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["DJANGO_SETTINGS_MODULE"] = "guifan.settings.dev"
    base["GUIFAN_DEBUG"] = "0"
    base["PYTHONPATH"] = str(ROOT)
    results = []
    sqlite_path = Path(tempfile.mkdtemp()) / "kb.sqlite3"
    results.append(child({**base, "GUIFAN_SQLITE_PATH": str(sqlite_path)}, args))
    print(json.dumps(results[-1], indent=1), file=sys.stderr)
    if args.pg != "none" and pg_reset(args.pg):
        results.append(child({**base, "DATABASE_URL": args.pg}, args))
        print(json.dumps(results[-1], indent=1), file=sys.stderr)
    text = report(results, args)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
