from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guifan.cli import app

runner = CliRunner()


def run(stdin: bytes | str, *args: str):
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = runner.invoke(app, ["transcripts", "check", *args], input=data)
    lines = [json.loads(line) for line in result.stdout_bytes.decode("utf-8").splitlines()]
    return result, lines


def line(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


GOOD = {
    "id": "t1",
    "channel": "phone",
    "turns": [
        {"speaker": "staff", "text": "您好，我是中国电信的小王。我也不清楚啊，谢谢"},
        {"speaker": "customer", "text": "不关我的事！"},
    ],
}


def test_contract_output_for_one_transcript():
    result, lines = run(line(GOOD))
    assert result.exit_code == 0
    assert lines == [
        {
            "id": "t1",
            "findings": [
                {
                    "norm": "LNG-02",
                    "turn": 0,
                    "start": 13,
                    "end": 18,
                    "text": "我也不清楚",
                    "phrase": "我也不清楚",
                }
            ],
            "courtesy": {"您好": 1, "请": 0, "对不起": 0, "谢谢": 1, "再见": 0},
            "missing": ["confirm_person", "reason", "confirm_time", "farewell"],
            "score": 100 - 20 - 4 * 8,
        }
    ]
    assert list(lines[0]) == ["id", "findings", "courtesy", "missing", "score"]
    turn = GOOD["turns"][0]["text"]
    assert turn[13:18] == "我也不清楚"


def test_reads_a_file_argument_and_dash_for_stdin(tmp_path):
    path = tmp_path / "calls.jsonl"
    path.write_text(line(GOOD) + line({**GOOD, "id": "t2"}), encoding="utf-8")
    result = runner.invoke(app, ["transcripts", "check", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["t1", "t2"]
    _, lines = run(path.read_text("utf-8"), "-")
    assert [x["id"] for x in lines] == ["t1", "t2"]


BAD_LINES = [
    ("{not json", None, "invalid JSON"),
    ("[1, 2]", None, "expected a JSON object"),
    (line({"id": "b1", "channel": "phone"}), "b1", "turns: missing"),
    (line({"id": "b2", "channel": "phone", "turns": "hi"}), "b2", "turns: expected a list"),
    (
        line({"id": "b3", "channel": "hall", "turns": [{"speaker": "robot", "text": "x"}]}),
        "b3",
        "turns[0].speaker: unknown speaker 'robot'",
    ),
    (line({"id": "b4", "channel": "fax", "turns": []}), "b4", "channel: expected one of"),
    (line({"channel": "hall", "turns": []}), None, "id: expected"),
    (line({"id": "b5", "channel": "hall", "turns": [{"speaker": "staff"}]}), "b5", "text"),
    ("[" * 100000 + "]" * 100000, None, "invalid JSON"),
]


@pytest.mark.parametrize(("bad", "ident", "message"), BAD_LINES)
def test_bad_line_yields_an_error_and_the_run_goes_on(bad, ident, message):
    stdin = line(GOOD) + bad.rstrip("\n") + "\n" + line({**GOOD, "id": "after"})
    result, lines = run(stdin)
    assert result.exit_code == 1
    assert [x["id"] for x in lines] == ["t1", ident, "after"]
    assert message in lines[1]["error"]
    assert lines[1]["error"].startswith("line 2: ")
    assert set(lines[1]) == {"id", "error"}


def test_invalid_utf8_is_a_per_line_error():
    stdin = line(GOOD).encode() + b'{"id": "\xff\xfe"}\n' + line(GOOD).encode()
    result, lines = run(stdin)
    assert result.exit_code == 1
    assert "not valid UTF-8" in lines[1]["error"]
    assert len(lines) == 3


def test_empty_text_empty_turns_and_blank_lines_give_clean_results():
    stdin = (
        line({"id": "e1", "channel": "visit", "turns": [{"speaker": "staff", "text": ""}]})
        + "\n   \n"
        + line({"id": "e2", "channel": "hall", "turns": []})
    )
    result, lines = run(stdin)
    assert result.exit_code == 0
    assert [x["id"] for x in lines] == ["e1", "e2"]
    assert lines[1]["missing"] == ["greeting", "ask_need", "farewell"]
    assert lines[1]["findings"] == []


def test_control_characters_other_scripts_and_surrogates_are_clean_results():
    texts = [
        "\u0000\u0007我也\u001b不清楚\u200b",
        "Здравствуйте, مرحبا, こんにちは, 안녕하세요 😀",
        "\ud800 lone surrogate 不关我的事",
    ]
    obj = {"id": "c", "channel": "hall", "turns": [{"speaker": "staff", "text": t} for t in texts]}
    result, lines = run(json.dumps(obj) + "\n")  # ASCII escapes, as other producers write them
    assert result.exit_code == 0
    findings = lines[0]["findings"]
    assert [(f["turn"], f["phrase"]) for f in findings] == [(0, "我也不清楚"), (2, "不关我的事!")]
    assert findings[0]["text"] == texts[0][findings[0]["start"] : findings[0]["end"]]
    assert findings[0]["text"] == "我也\u001b不清楚"


def test_a_ten_megabyte_line_is_checked():
    text = "您好，请问您办理什么业务？" * 280_000 + "我也不清楚"
    obj = {"id": "big", "channel": "hall", "turns": [{"speaker": "staff", "text": text}]}
    data = line(obj)
    assert len(data.encode("utf-8")) > 10_000_000
    result, lines = run(data + line(GOOD))
    assert result.exit_code == 0
    assert lines[0]["findings"][0]["start"] == len(text) - 5
    assert lines[0]["courtesy"]["您好"] == 280_000
    assert lines[1]["id"] == "t1"


def test_supervisor_phrases_file_adds_phrases(tmp_path):
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"forbidden": [{"phrase": "爱办不办"}]}), encoding="utf-8")
    obj = {"id": "s", "channel": "hall", "turns": [{"speaker": "staff", "text": "爱办不办"}]}
    result, lines = run(line(obj), "--phrases", str(extra))
    assert result.exit_code == 0
    assert lines[0]["findings"][0]["phrase"] == "爱办不办"
    for content in ("[]", "{", json.dumps({"forbidden": [{"phrase": "啊！"}]})):
        bad = tmp_path / "bad.json"
        bad.write_text(content, encoding="utf-8")
        result, _ = run(line(obj), "--phrases", str(bad))
        assert result.exit_code == 2


def test_unknown_format_and_missing_file_are_usage_errors():
    result, _ = run(line(GOOD), "--format", "csv")
    assert result.exit_code == 2
    result = runner.invoke(app, ["transcripts", "check", "/nonexistent/calls.jsonl"])
    assert result.exit_code == 2


def test_channel_and_speaker_are_read_case_insensitively():
    obj = {"id": "k", "channel": " Hall ", "turns": [{"speaker": "STAFF", "text": "我也不清楚"}]}
    result, lines = run(line(obj))
    assert result.exit_code == 0
    assert lines[0]["findings"][0]["phrase"] == "我也不清楚"


def test_script_command_prints_the_moment_with_surname_and_title():
    args = ["transcripts", "script", "arrival", "--surname", "陈", "--title", "小姐"]
    result = runner.invoke(app, [*args, "--staff", "小王"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("陈小姐，您好，我是")
    result = runner.invoke(app, ["transcripts", "script", "lunch"])
    assert result.exit_code == 2
