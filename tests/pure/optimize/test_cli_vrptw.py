"""``guifan vrptw solve``: the issue 4 contract."""

from __future__ import annotations

import importlib.util
import time

from typer.testing import CliRunner

from guifan.cli import app

DATA = "/work/shared/bench-data/solomon"
runner = CliRunner()


def score_py():
    spec = importlib.util.spec_from_file_location("score", f"{DATA}/score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_it_writes_a_feasible_vrplib_solution(tmp_path):
    out = tmp_path / "R101.sol"
    t0 = time.perf_counter()
    res = runner.invoke(
        app,
        [
            "vrptw",
            "solve",
            f"{DATA}/instances/R101.txt",
            "--time-limit",
            "1",
            "--seed",
            "3",
            "--out",
            str(out),
        ],
    )
    elapsed = time.perf_counter() - t0
    assert res.exit_code == 0, res.output
    assert elapsed < 1.5
    score = score_py()
    routes, claimed = score.read_solution(str(out))
    verdict = score.score(score.read_instance(f"{DATA}/instances/R101.txt"), routes, claimed)
    assert verdict["feasible"], verdict["errors"]
    assert abs(verdict["distance"] - claimed) < 1e-6
    assert out.read_text().splitlines()[0].startswith("Route #1: ")


def test_a_malformed_file_names_line_and_field(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "B\n\nVEHICLE\nNUMBER CAPACITY\n 25 200\n\nCUSTOMER\nCUST NO.\n\n"
        " 0 1 2 0 0 100 0\n 1 4 5 x 0 50 10\n"
    )
    res = runner.invoke(
        app, ["vrptw", "solve", str(bad), "--time-limit", "1", "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 2
    assert "bad.txt:11: DEMAND" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "o").exists()


def test_the_time_limit_covers_the_whole_process(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "C101.sol"
    t0 = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "guifan"),
            "vrptw",
            "solve",
            f"{DATA}/instances/C101.txt",
            "--time-limit",
            "4",
            "--out",
            str(out),
        ],
        check=True,
    )
    elapsed = time.perf_counter() - t0
    assert 3.6 <= elapsed <= 4.4  # +-10 %
    assert out.read_text().startswith("Route #1:")


def test_unservable_customers_are_reported_not_dropped(tmp_path):
    inst = tmp_path / "u.txt"
    inst.write_text(
        "U\n\nVEHICLE\nNUMBER CAPACITY\n 2 30\n\nCUSTOMER\nCUST NO.\n\n"
        " 0 0 0 0 0 100 0\n 1 10 0 10 0 50 5\n 2 10 0 99 0 50 5\n 3 10 0 10 40 20 5\n"
    )
    out = tmp_path / "u.sol"
    res = runner.invoke(
        app, ["vrptw", "solve", str(inst), "--time-limit", "0.3", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "Route #1: 1\n" in text
    assert "Unassigned 2: demand 99 above vehicle capacity 30" in text
    assert "Unassigned 3: inverted time window [40, 20]" in text
    assert "customer 3" in res.output
