"""Precision, recall and throughput of the transcript checker on a labelled set.

    python bench/transcripts_gen.py --n 400 --seed 7 --out var/bench/transcripts
    python bench/transcripts_eval.py var/bench/transcripts --min-mb 20

A finding is correct when ``id``, ``turn`` and ``phrase`` match a label and the spans overlap
(each label is matched at most once). Throughput is the UTF-8 size of all turn texts divided by
the wall time of the CLI's own loop (parse each JSON line, check it, render the result line) on
one core, with the labelled set repeated until at least ``--min-mb`` of text has gone through.
Writes ``bench/results/transcripts-<date>.{md,json,csv}``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from guifan.compliance.checker import Checker, checker_build  # noqa: E402
from guifan.compliance.phrases import catalog_load  # noqa: E402
from guifan.compliance.records import lines_check, result_dumps  # noqa: E402


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return int(a["start"]) < int(b["end"]) and int(b["start"]) < int(a["end"])


def score(
    results: dict[str, dict[str, Any]], labels: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Match findings to labels; return the figures and the list of errors."""
    tp = fp = fn = 0
    by_kind: Counter[str] = Counter()
    hit_kind: Counter[str] = Counter()
    fp_negative: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for lab in labels:
        found = list(results[lab["id"]].get("findings", []))
        used = [False] * len(found)
        for want in lab["findings"]:
            by_kind[want["kind"]] += 1
            for k, got in enumerate(found):
                ok = got["turn"] == want["turn"] and got["phrase"] == want["phrase"]
                if not used[k] and ok and overlap(got, want):
                    used[k] = True
                    tp += 1
                    hit_kind[want["kind"]] += 1
                    break
            else:
                fn += 1
                errors.append({"type": "missed", "id": lab["id"], **want})
        negative_turns = {n["turn"]: n["kind"] for n in lab["negatives"]}
        for k, got in enumerate(found):
            if not used[k]:
                fp += 1
                cause = negative_turns.get(got["turn"], "other")
                fp_negative[cause] += 1
                errors.append({"type": "false", "id": lab["id"], "cause": cause, **got})
    negatives = Counter(n["kind"] for lab in labels for n in lab["negatives"])
    figures = {
        "transcripts": len(labels),
        "labelled_findings": tp + fn,
        "hard_negatives": sum(negatives.values()),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "recall_by_kind": {k: [hit_kind[k], by_kind[k]] for k in sorted(by_kind)},
        "false_positives_by_negative_kind": dict(fp_negative),
        "negatives_by_kind": dict(negatives),
    }
    return figures, errors


def run_checker(checker: Checker, lines: list[bytes]) -> dict[str, dict[str, Any]]:
    return {r.payload["id"]: r.payload for r in lines_check(lines, checker)}


def throughput(
    checker: Checker, lines: list[bytes], text_bytes: int, min_mb: float, runs: int = 5
) -> dict[str, float]:
    """MB/s of turn text by CPU time of this process and by wall time (the machine is shared).

    ``min_mb`` of text is processed in ``runs`` equal runs; the median and the range are kept.
    """
    repeat = max(1, int(min_mb * 1e6 / text_bytes / runs) + 1)
    stream = lines * repeat
    cpu_rates, wall_rates = [], []
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        for result in lines_check(stream, checker):
            result_dumps(result.payload)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        cpu_rates.append(text_bytes * repeat / cpu / 1e6)
        wall_rates.append(text_bytes * repeat / wall / 1e6)
    return {
        "cpu": statistics.median(cpu_rates),
        "cpu_min": min(cpu_rates),
        "cpu_max": max(cpu_rates),
        "wall": statistics.median(wall_rates),
        "mb": text_bytes * repeat * runs / 1e6,
    }


def cli_time(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from guifan.cli import main; main()",
            "transcripts",
            "check",
            str(path),
        ],
        stdout=subprocess.DEVNULL,
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def row(name: str, f: dict[str, Any]) -> str:
    return (
        f"| {name} | {f['precision']:.3f} | {f['recall']:.3f} | {f['true_positives']} "
        f"| {f['false_positives']} | {f['false_negatives']} |"
    )


def cli_rate(data: Path, lines: list[bytes], text_bytes: int, mb: float) -> dict[str, float]:
    """Wall-time MB/s of the whole ``guifan transcripts check`` process on a big file."""
    repeat = max(1, int(mb * 1e6 / text_bytes) + 1)
    big = data / "throughput.jsonl"
    big.write_bytes(b"".join(lines) * repeat)
    seconds = cli_time(big)
    big.unlink()
    return {
        "cli_big_mb": text_bytes * repeat / 1e6,
        "cli_big_mb_per_s": text_bytes * repeat / seconds / 1e6,
    }


def write_results(figures: dict[str, Any], out: Path, command: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    label = f"{figures['set']}-" if figures["set"] else ""
    stem = out / f"transcripts-{label}{figures['date']}"
    stem.with_suffix(".json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
    with stem.with_suffix(".csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["config", "kind", "found", "labelled", "recall"])
        for config in ("full", "exact_only"):
            for kind, (hit, total) in figures[config]["recall_by_kind"].items():
                w.writerow([config, kind, hit, total, f"{hit / total:.3f}"])
    full, exact = figures["full"], figures["exact_only"]
    kinds = "\n".join(
        f"| {k} | {h}/{t} | {h / t:.3f} | {exact['recall_by_kind'][k][0]}/{t} |"
        for k, (h, t) in full["recall_by_kind"].items()
    )
    lo, hi = figures["mb_per_s_range"]
    fps = ", ".join(f"{k}: {v}" for k, v in full["false_positives_by_negative_kind"].items())
    negs = ", ".join(f"{k} {v}" for k, v in sorted(full["negatives_by_kind"].items()))
    title = f"Transcript checker benchmark {figures['set']}".rstrip()
    md = f"""# {title} ({figures["date"]}, {figures["commit"]})

Command (from the repository root, one core):

```sh
{command}
```

Labelled set: {full["transcripts"]} transcripts (phone, visit, hall), {full["labelled_findings"]}
labelled forbidden-phrase findings, {full["hard_negatives"]} hard negatives ({negs}).
A finding is correct when id, turn and phrase match a label and the spans overlap.

| configuration | precision | recall | TP | FP | FN |
|---|---|---|---|---|---|
{row("Aho-Corasick on normalised text + one-edit variant pass (shipped)", full)}
{row("exact match on normalised text only (variant pass off)", exact)}

False positives by the hard negative in the same turn: {fps or "none"}.

Recall by variant kind:

| kind | found (shipped) | recall | found (exact only) |
|---|---|---|---|
{kinds}

Throughput, one core ({figures["machine"]}): **{figures["mb_per_s"]:.1f} MB/s** of turn text
by CPU time, median of 5 runs (range {lo:.1f}–{hi:.1f}; {figures["mb_per_s_wall"]:.1f} MB/s by
wall time on the shared machine, load average {figures["load"]}), through the CLI's loop (JSON
parse, check, JSON render; {figures["throughput_mb"]:.0f} MB processed). The whole
`guifan transcripts check` process, start-up included, runs at
{figures["cli_big_mb_per_s"]:.1f} MB/s (wall) on {figures["cli_big_mb"]:.0f} MB of turn text and
takes {figures["cli_seconds"]:.2f} s on the labelled file alone{figures["env_note"]}.

Targets: precision ≥ 0.95, recall ≥ 0.90, ≥ 5 MB/s.
"""
    stem.with_suffix(".md").write_text(md, encoding="utf-8")
    return stem.with_suffix(".md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="folder written by transcripts_gen.py")
    parser.add_argument("--min-mb", type=float, default=20.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--errors", type=Path, help="write mismatches as JSON Lines here")
    parser.add_argument("--command", default="", help="the command line to record")
    parser.add_argument("--set", default="", help="name of the set, added to the file names")
    args = parser.parse_args()
    lines = (args.data / "transcripts.jsonl").read_bytes().splitlines(keepends=True)
    labels = [json.loads(x) for x in (args.data / "labels.jsonl").read_text("utf-8").splitlines()]
    text_bytes = sum(
        len(t["text"].encode("utf-8")) for line in lines for t in json.loads(line)["turns"]
    )
    checker = checker_build()
    full, errors = score(run_checker(checker, lines), labels)
    catalog = catalog_load()
    no_asr = replace(catalog.matching.asr, enabled=False)
    exact_catalog = replace(
        catalog, matching=replace(catalog.matching, fuzzy_min_length=10**6, asr=no_asr)
    )
    exact, _ = score(run_checker(checker_build(exact_catalog), lines), labels)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    rates = throughput(checker, lines, text_bytes, args.min_mb)
    figures = {
        "set": args.set,
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "commit": commit,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
        "full": full,
        "exact_only": exact,
        "mb_per_s": rates["cpu"],
        "mb_per_s_range": [rates["cpu_min"], rates["cpu_max"]],
        "mb_per_s_wall": rates["wall"],
        "throughput_mb": rates["mb"],
        "cli_seconds": cli_time(args.data / "transcripts.jsonl"),
        **cli_rate(args.data, lines, text_bytes, args.min_mb / 2),
        "env_note": (
            " (PYTHONDONTWRITEBYTECODE is set here, so every start compiles all modules)"
            if os.environ.get("PYTHONDONTWRITEBYTECODE")
            else ""
        ),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    if args.errors:
        args.errors.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors))
    command = args.command or " ".join(["python", *sys.argv])
    path = write_results(figures, args.out, command)
    print(path.read_text("utf-8"))


if __name__ == "__main__":
    main()
