"""``guifan transcripts``: check call, visit and hall transcripts for service language (issue 5).

Contract: ``guifan transcripts check [FILE|-] [--format jsonl]`` reads JSON Lines
``{"id", "channel", "turns": [{"speaker", "text"}]}`` and writes one JSON line per transcript,
in input order: ``{"id", "findings": [{"norm", "turn", "start", "end", "text", "phrase"}],
"courtesy", "missing", "score"}``. ``end`` is exclusive: ``text == turns[turn].text[start:end]``.
A malformed line yields ``{"id", "error"}`` and the run goes on; the exit code is 1 if any line
failed. The checker is imported inside the command so that ``guifan`` starts fast.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import BinaryIO

import typer

app = typer.Typer(
    help="Check transcripts for service language (LNG-01/02, APT-09, LNG-06).",
    rich_markup_mode="markdown",
)


@app.callback()
def transcripts() -> None:
    """Service-language checks on call, visit and hall transcripts."""


@app.command("check")
def check(
    file: str = typer.Argument("-", help="JSON Lines file of transcripts, or - for stdin."),
    fmt: str = typer.Option("jsonl", "--format", help="Output format; only jsonl."),
    phrases: Path | None = typer.Option(
        None,
        "--phrases",
        help='Supervisor phrases and variants to add: {"forbidden": [{"phrase", "variants"}]}.',
    ),
) -> None:
    """Find forbidden phrases in staff turns, count courtesy words, list missing elements.

    Example:

        guifan transcripts check calls.jsonl > findings.jsonl
    """
    if fmt != "jsonl":
        raise typer.BadParameter("only jsonl is supported", param_hint="--format")
    from guifan.compliance.checker import checker_build
    from guifan.compliance.phrases import CatalogError, catalog_extend, catalog_load
    from guifan.compliance.records import lines_check, result_dumps

    catalog = catalog_load()
    try:
        if phrases is not None:
            catalog = catalog_extend(catalog, json.loads(phrases.read_text("utf-8")))
        checker = checker_build(catalog)
    except (OSError, ValueError, AttributeError) as exc:
        message = str(exc) if isinstance(exc, CatalogError | OSError) else f"invalid: {exc}"
        raise typer.BadParameter(message, param_hint="--phrases") from None
    stdout = sys.stdout.buffer
    # Under PYTHONUNBUFFERED the binary stdout is a raw FileIO: buffer it, a write per line
    # would cost a system call each.
    out = stdout if isinstance(stdout, io.BufferedIOBase) else io.BufferedWriter(stdout, 1 << 16)
    live = sys.stdout.isatty()  # someone is watching: show each line at once
    failed = 0
    try:
        with _open(file) as stream:
            for result in lines_check(stream, checker):
                out.write(result_dumps(result.payload))
                if live:
                    out.flush()
                failed += result.failed
        out.flush()
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as other Unix filters do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    finally:
        if out is not stdout:
            out.detach()  # leave sys.stdout open
    if failed:
        typer.echo(f"{failed} line(s) failed", err=True)
        raise typer.Exit(1)


def _open(file: str) -> BinaryIO:
    if file == "-":
        return sys.stdin.buffer
    try:
        return Path(file).open("rb")
    except OSError as exc:
        raise typer.BadParameter(f"cannot open {file}: {exc.strerror}", param_hint="FILE") from None


@app.command("script")
def script(
    moment: str = typer.Argument(..., help="booking, arrival, testing, leaving, running_late, ..."),
    *,
    surname: str = typer.Option("", help="Customer's surname (LNG-05), e.g. 陈."),
    title: str = typer.Option("", help="Title, e.g. 先生, 小姐, 女士, 阿姨."),
    age_group: str = typer.Option("", help="young, elderly or children when no title is known."),
    staff: str = typer.Option("", help="Staff name, e.g. 小王."),
    company: str = typer.Option("", help="Company; the catalog default otherwise."),
    time: str = typer.Option("", help="Agreed time, e.g. 明天上午十点."),
) -> None:
    """Print the LNG-03 script for a moment, addressing the customer as LNG-05 says.

    Example:

        guifan transcripts script booking --surname 陈 --title 先生 --time 明天上午十点
    """
    from guifan.compliance.scripts import scriptbook_load

    book = scriptbook_load()
    try:
        name = book.address(surname=surname, title=title, age_group=age_group)
        lines = book.render(moment, name=name, staff=staff, company=company, time=time)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc).strip("'\"")) from None
    for line in lines:
        typer.echo(line)
