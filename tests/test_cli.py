"""The `replylint check` command line, run through the real typer app (CliRunner): inputs,
output formats, selection, packs, exit codes, broken packs, suppression and the examples."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from replylint.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LIBRARIES = EXAMPLES / "libraries"
NL_PACK = ROOT / "rules" / "nl"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = ROOT / "replylint" / "data" / "report.schema.json"

BAD_NL = "Hoi,\n\nDat weet ik niet.\n"
GOOD_NL = ("Beste mevrouw De Vries,\n\n"
           "Dank u wel voor uw bericht, en wat vervelend dat uw pakket nog niet is aangekomen.\n"
           "Ik heb het nagevraagd: het wordt morgen vóór 17.00 uur bij u bezorgd, en ik stuur u "
           "vanmiddag de nieuwe track-en-tracecode.\n\n"
           "Heeft u nog vragen? Laat het me gerust weten.\n\n"
           "Met vriendelijke groet,\nSanne\n")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Every test runs in its own folder, outside GitHub Actions, without colour."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")


def run(*args, input: str | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def nl(tmp_path) -> list[str]:
    """Options for a Dutch-only run (does not depend on the English pack)."""
    cfg = tmp_path / "nl-only.yaml"
    cfg.write_text(f"default_packs: false\npacks: [{NL_PACK}]\n", encoding="utf-8")
    return ["--config", str(cfg)]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def report(result) -> dict:
    return json.loads(result.stdout)


def rules_of(data: dict, reply_id: str | None = None) -> list[str]:
    return [f["rule"] for f in data["findings"] if reply_id is None or f["reply_id"] == reply_id]


# ------------------------------------------------------------------------------------ inputs

def test_txt_file_reports_finding_with_position_and_exits_1(tmp_path, nl):
    write(tmp_path / "draft.txt", BAD_NL)
    r = run("check", *nl, "--format", "json", "draft.txt")
    assert r.exit_code == 1, r.stderr
    data = report(r)
    assert data["replies"] == 1
    hit = [f for f in data["findings"] if f["rule"] == "nl.brush-off.weet-niet"]
    assert len(hit) == 1
    f = hit[0]
    assert (f["reply_id"], f["source"], f["line"], f["column"]) == ("draft.txt", "draft.txt", 3, 5)
    assert f["match"] == "weet ik niet"
    assert (f["start"], f["end"]) == (10, 22)
    assert f["suggestions"], "a brush-off finding must carry a rewrite"


def test_text_format_shows_location_rule_message_span_and_rewrite(tmp_path, nl):
    write(tmp_path / "draft.txt", BAD_NL)
    r = run("check", *nl, "draft.txt")
    assert r.exit_code == 1
    out = r.stdout
    assert "draft.txt:3:5: warning brush-off [nl.brush-off.weet-niet]" in out
    assert "Dat weet ik niet." in out  # the line in context
    assert "^~~~~~~~~~~~" in out       # the span underlined (12 characters)
    assert "→ Goede vraag" in out      # the rewrite


def test_clean_draft_exits_0(tmp_path, nl):
    write(tmp_path / "goed.txt", GOOD_NL)
    r = run("check", *nl, "--format", "json", "goed.txt")
    assert r.exit_code == 0, r.stdout
    assert report(r)["findings"] == []


def test_stdin(nl):
    r = run("check", *nl, "--format", "json", "-", input="Dat weet ik niet.\n")
    assert r.exit_code == 1
    data = report(r)
    assert data["replies"] == 1
    weet = [f for f in data["findings"] if f["rule"] == "nl.brush-off.weet-niet"]
    assert [(f["reply_id"], f["source"], f["line"], f["column"]) for f in weet] == [("-", "-", 1, 5)]


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_empty_input_has_no_findings_and_exits_0(tmp_path, nl, how):
    if how == "file":
        write(tmp_path / "empty.txt", "")
        r = run("check", *nl, "--format", "json", "empty.txt")
    else:
        r = run("check", *nl, "--format", "json", "-", input="")
    assert r.exit_code == 0, r.stderr
    assert report(r)["findings"] == []
    assert report(r)["errors"] == []


def test_jsonl_bad_line_reported_with_line_number_rest_linted(tmp_path, nl):
    write(tmp_path / "lib.jsonl",
          '{"id": "a", "text": "Dat weet ik niet."}\n'
          'not json at all\n'
          '{"id": "c"}\n'
          '{"id": "d", "text": "Geen idee, sorry."}\n')
    r = run("check", *nl, "--format", "json", "lib.jsonl")
    assert r.exit_code == 2
    data = report(r)
    assert data["replies"] == 2
    assert "nl.brush-off.weet-niet" in rules_of(data, "a")
    assert "nl.brush-off.weet-niet" in rules_of(data, "d")
    assert {f["line"] for f in data["findings"] if f["reply_id"] == "d"} == {4}
    errs = {(e["source"], e["line"]) for e in data["errors"]}
    assert errs == {("lib.jsonl", 2), ("lib.jsonl", 3)}
    assert "lib.jsonl:2:" in r.stderr and "lib.jsonl:3:" in r.stderr


def test_csv_rows_with_text_and_id_columns(tmp_path, nl):
    write(tmp_path / "replies.csv",
          "ticket,agent,antwoord\n"
          "T-1,sanne,\"Beste klant,\n\nDank voor uw bericht. Dat weet ik niet.\"\n"
          "T-2,ruben,\"" + GOOD_NL.replace('"', '""') + "\"\n")
    r = run("check", *nl, "--format", "json", "--text-column", "antwoord", "--id-column", "ticket",
            "replies.csv")
    assert r.exit_code == 1, r.stderr
    data = report(r)
    assert data["replies"] == 2
    assert "nl.brush-off.weet-niet" in rules_of(data, "T-1")
    assert rules_of(data, "T-2") == []
    assert {f["line"] for f in data["findings"] if f["reply_id"] == "T-1"} == {2}  # the row's line


def test_directory_is_walked_recursively(tmp_path, nl):
    write(tmp_path / "lib" / "a.txt", BAD_NL)
    write(tmp_path / "lib" / "sub" / "b.md", GOOD_NL)
    write(tmp_path / "lib" / "sub" / "c.jsonl", '{"id": "c1", "text": "Geen idee."}\n')
    write(tmp_path / "lib" / ".hidden" / "d.txt", BAD_NL)
    write(tmp_path / "lib" / "notes.bin", b"\x00\x01")
    r = run("check", *nl, "--format", "json", "lib")
    assert r.exit_code == 1
    data = report(r)
    assert data["replies"] == 3
    sources = {Path(f["source"]).as_posix() for f in data["findings"]}
    assert sources == {"lib/a.txt", "lib/sub/c.jsonl"}


def test_helpdesk_export(nl):
    r = run("check", *nl, "--format", "json", LIBRARIES / "zendesk.json")
    assert r.exit_code == 1
    data = report(r)
    assert data["replies"] == 3
    assert "nl.placeholder.broken" in rules_of(data, "900000000002")
    assert "nl.brush-off.weet-niet" in rules_of(data, "900000000002")


def test_unreadable_and_invalid_utf8_files_named_others_still_linted(tmp_path, nl):
    write(tmp_path / "a.txt", BAD_NL)
    write(tmp_path / "latin1.txt", "Dag meneer, één vraag".encode("latin-1"))
    r = run("check", *nl, "--format", "json", "a.txt", "missing.txt", "latin1.txt")
    assert r.exit_code == 2
    data = report(r)
    assert "nl.brush-off.weet-niet" in rules_of(data, "a.txt")  # still linted
    msgs = {e["source"]: e["message"] for e in data["errors"]}
    assert set(msgs) == {"missing.txt", "latin1.txt"}
    assert "cannot read" in msgs["missing.txt"]
    assert "UTF-8" in msgs["latin1.txt"]
    assert "missing.txt" in r.stderr and "latin1.txt" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_text_format_lists_input_errors_and_exits_2(tmp_path, nl):
    write(tmp_path / "a.txt", BAD_NL)
    r = run("check", *nl, "a.txt", "missing.txt")
    assert r.exit_code == 2
    assert "a.txt:3:5:" in r.stdout
    assert "missing.txt" in r.stdout + r.stderr


# ------------------------------------------------------------------------------------ formats

def _lib(tmp_path) -> Path:
    write(tmp_path / "lib" / "a.txt", BAD_NL)
    write(tmp_path / "lib" / "b.jsonl",
          '{"id": "b1", "text": "Volgens ons beleid kan dat niet."}\n'
          '{"id": "b2", "text": "' + GOOD_NL.replace("\n", "\\n") + '"}\n')
    return tmp_path / "lib"


def test_json_report_validates_against_schema(tmp_path, nl):
    _lib(tmp_path)
    r = run("check", *nl, "--format", "json", "--statistics", "lib")
    assert r.exit_code == 1
    data = report(r)
    jsonschema.validate(data, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    assert data["version"] == 1 and data["replies"] == 3
    by_rule = {x["rule"]: x for x in data["statistics"]["by_rule"]}
    assert by_rule["nl.brush-off.weet-niet"]["count"] == 1
    assert by_rule["nl.policy.beleid"]["category"] == "policy"
    assert sum(x["count"] for x in by_rule.values()) == len(data["findings"])


def test_sarif_output_validates_against_official_schema(tmp_path, nl):
    _lib(tmp_path)
    r = run("check", *nl, "--format", "sarif", "-o", "out.sarif", "lib")
    assert r.exit_code == 1
    assert r.stdout == ""
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(sarif)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    results = run0["results"]
    weet = [x for x in results if x["ruleId"] == "nl.brush-off.weet-niet"]
    assert len(weet) == 1
    loc = weet[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("lib/a.txt")
    assert (loc["region"]["startLine"], loc["region"]["startColumn"]) == (3, 5)
    ids = {d["id"] for d in run0["tool"]["driver"]["rules"]}
    assert {x["ruleId"] for x in results} <= ids


def test_jsonl_output_one_finding_per_line(tmp_path, nl):
    _lib(tmp_path)
    r = run("check", *nl, "--format", "jsonl", "lib")
    assert r.exit_code == 1
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert lines and all("rule" in x and "line" in x for x in lines)
    assert ("nl.brush-off.weet-niet", 3) in {(x["rule"], x["line"]) for x in lines}
    json_r = run("check", *nl, "--format", "json", "lib")
    assert len(lines) == len(report(json_r)["findings"])


def test_github_format_and_auto_detection(tmp_path, nl, monkeypatch):
    _lib(tmp_path)
    explicit = run("check", *nl, "--format", "github", "lib")
    assert explicit.exit_code == 1
    assert re.search(r"^::warning file=lib/a\.txt,line=3,col=5,.*title=nl\.brush-off\.weet-niet",
                     explicit.stdout, re.M)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    auto = run("check", *nl, "lib")
    assert auto.exit_code == 1
    assert auto.stdout == explicit.stdout
    assert all(line.startswith("::") for line in auto.stdout.splitlines())


def test_junit_output_parses_one_testcase_per_reply(tmp_path, nl):
    from junitparser import JUnitXml
    _lib(tmp_path)
    r = run("check", *nl, "--format", "junit", "-o", "junit.xml", "lib")
    assert r.exit_code == 1
    xml = JUnitXml.fromfile(str(tmp_path / "junit.xml"))
    cases = [c for suite in xml for c in suite]
    assert len(cases) == 3
    failed = [c for c in cases if c.result]
    assert len(failed) == 2  # a.txt and b1; b2 is clean


def test_statistics_text(tmp_path, nl):
    _lib(tmp_path)
    r = run("check", *nl, "--statistics", "lib")
    assert r.exit_code == 1
    assert re.search(r"^\s*1\s+nl\.brush-off\.weet-niet\s+brush-off\s+warning", r.stdout, re.M)
    assert re.search(r"^\s*1\s+policy\s*$", r.stdout, re.M)  # per category
    assert "Dat weet ik niet" not in r.stdout  # counts instead of the findings


def test_output_file_is_written_and_stdout_empty(tmp_path, nl):
    write(tmp_path / "a.txt", BAD_NL)
    r = run("check", *nl, "--format", "json", "-o", "report.json", "a.txt")
    assert r.exit_code == 1 and r.stdout == ""
    assert "nl.brush-off.weet-niet" in rules_of(json.loads((tmp_path / "report.json").read_text()))


# ----------------------------------------------------------------------- selection and exit codes

def test_select_and_ignore_by_prefix_and_category(tmp_path, nl):
    write(tmp_path / "a.txt", BAD_NL)
    all_rules = set(rules_of(report(run("check", *nl, "-f", "json", "a.txt"))))
    assert {"nl.brush-off.weet-niet", "nl.greeting.missing"} - all_rules == set() or \
        "nl.brush-off.weet-niet" in all_rules
    by_cat = rules_of(report(run("check", *nl, "-f", "json", "--select", "brush-off", "a.txt")))
    assert by_cat == ["nl.brush-off.weet-niet"]
    by_prefix = rules_of(report(run("check", *nl, "-f", "json", "--select", "nl.brush-off", "a.txt")))
    assert by_prefix == ["nl.brush-off.weet-niet"]
    ignored = set(rules_of(report(run("check", *nl, "-f", "json", "--ignore", "brush-off,closing",
                                      "a.txt"))))
    assert ignored == all_rules - {"nl.brush-off.weet-niet", "nl.closing.missing"}
    r = run("check", *nl, "-f", "json", "--ignore", "nl.brush-off.weet-niet", "--select", "brush-off",
            "a.txt")
    assert r.exit_code == 0 and report(r)["findings"] == []


def test_unknown_selector_is_a_usage_error(tmp_path, nl):
    write(tmp_path / "a.txt", BAD_NL)
    r = run("check", *nl, "--select", "brushoff", "a.txt")
    assert r.exit_code == 2
    assert "'brushoff' matches no rule" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("level,code", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(tmp_path, nl, level, code):
    write(tmp_path / "a.txt", BAD_NL)  # warnings and infos, no errors
    r = run("check", *nl, "-f", "json", "--fail-on", level, "a.txt")
    sev = {f["severity"] for f in report(r)["findings"]}
    assert "error" not in sev and "warning" in sev
    assert r.exit_code == code


def test_fail_on_info_with_only_info_findings(tmp_path, nl):
    write(tmp_path / "a.txt", GOOD_NL.replace("Heeft u nog vragen? Laat het me gerust weten.\n\n", ""))
    base = report(run("check", *nl, "-f", "json", "a.txt"))
    assert {f["severity"] for f in base["findings"]} == {"info"}
    assert run("check", *nl, "a.txt").exit_code == 0
    assert run("check", *nl, "--fail-on", "info", "a.txt").exit_code == 1


def test_exit_zero(tmp_path, nl):
    write(tmp_path / "a.txt", BAD_NL)
    assert run("check", *nl, "--exit-zero", "a.txt").exit_code == 0


@pytest.mark.parametrize("args", [
    ["check", "--format", "xml", "a.txt"],
    ["check", "--fail-on", "fatal", "a.txt"],
    ["check", "--no-such-option", "a.txt"],
    ["check", "--formality", "jij", "a.txt"],
    ["check", "--dialect", "zendsk", "a.txt"],
    ["check"],
])
def test_usage_errors_exit_2(tmp_path, args):
    write(tmp_path / "a.txt", BAD_NL)
    r = run(*args)
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_pack_adds_rule_and_relevels_shipped(tmp_path, nl):
    write(tmp_path / "team" / "pack.yaml",
          "name: team\nlanguage: nl\nversion: 1.0.0\nextends: []\n"
          "severity:\n  nl.brush-off.weet-niet: error\n")
    write(tmp_path / "team" / "woorden.yaml",
          "rules:\n  blauwe-kaas:\n    kind: existence\n    category: jargon\n    severity: warning\n"
          "    message: \"'{match}' kent de klant niet.\"\n    patterns: [blauwe kaas]\n"
          "    suggestions: [kaas]\n")
    write(tmp_path / "a.txt", "Hoi,\n\nDat weet ik niet, want ik eet blauwe kaas.\n")
    r = run("check", *nl, "--pack", "team", "-f", "json", "a.txt")
    assert r.exit_code == 1, r.stderr
    found = {f["rule"]: f for f in report(r)["findings"]}
    assert found["team.woorden.blauwe-kaas"]["match"] == "blauwe kaas"
    assert found["nl.brush-off.weet-niet"]["severity"] == "error"
    assert run("check", *nl, "--pack", "team", "--fail-on", "error", "a.txt").exit_code == 1


# ----------------------------------------------------------------------------- broken packs

PACK_HEAD = "name: broken\nlanguage: nl\nversion: 1.0.0\n"
RULE = ("rules:\n  a:\n    kind: existence\n    category: brush-off\n    severity: warning\n"
        "    message: x\n")


@pytest.mark.parametrize("body,line,col,needle", [
    ("rules:\n  a:\n    kind: existence\n    patterns: [foo\n", 5, 1, "YAML syntax error"),
    (RULE + "    patterns: [foo]\n    bogus: 1\n", 8, 5, "unknown field 'bogus'"),
    (RULE + "    patterns: 5\n", 7, 15, "'patterns' must be a list of strings"),
    (RULE + "    regex: ['foo((']\n", 7, 13, "does not compile"),
    (RULE.replace("existence", "nosuchkind"), 3, 11, "unknown kind 'nosuchkind'"),
])
def test_broken_pack_exits_2_with_position_before_linting(tmp_path, nl, body, line, col, needle):
    write(tmp_path / "broken" / "pack.yaml", PACK_HEAD)
    bad = write(tmp_path / "broken" / "r.yaml", body)
    write(tmp_path / "a.txt", BAD_NL)
    r = run("check", *nl, "--pack", "broken", "a.txt")
    assert r.exit_code == 2
    assert r.stdout == ""  # nothing linted
    assert "Traceback" not in r.stderr
    first = r.stderr.strip().splitlines()[0]
    m = re.match(r"replylint: (.+?):(\d+):(\d+): (.+)", first)
    assert m, first
    assert Path(m.group(1)) == bad.resolve()
    assert (int(m.group(2)), int(m.group(3))) == (line, col)
    assert needle in m.group(4)


def test_broken_pack_subprocess_no_traceback(tmp_path):
    """The installed console script behaves the same (no typer/rich traceback)."""
    import subprocess
    import sys
    write(tmp_path / "broken" / "pack.yaml", PACK_HEAD)
    write(tmp_path / "broken" / "r.yaml", RULE + "    patterns: 5\n")
    write(tmp_path / "a.txt", BAD_NL)
    p = subprocess.run([sys.executable, "-m", "replylint.cli", "check", "--isolated",
                        "--pack", "broken", "a.txt"], capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 2
    assert p.stdout == ""
    assert re.match(r"replylint: .*r\.yaml:7:15: ", p.stderr)
    assert "Traceback" not in p.stderr


# ------------------------------------------------------------------------------- suppression

SUPPRESSED = ("Beste klant,\n\n"
              "{% comment %} replylint: disable=nl.brush-off.weet-niet -- klant vroeg om een "
              "eerlijk antwoord {% endcomment %}\n"
              "Dank voor uw bericht. Dat weet ik niet. Volgens ons beleid kan dat niet.\n")


def test_inline_liquid_suppression_only_named_rule(tmp_path, nl):
    write(tmp_path / "s.txt", SUPPRESSED)
    write(tmp_path / "u.txt", SUPPRESSED.replace("{% comment %}", "").replace("{% endcomment %}", "")
          .replace("replylint: disable=nl.brush-off.weet-niet -- klant vroeg om een eerlijk antwoord", ""))
    plain = rules_of(report(run("check", *nl, "-f", "json", "u.txt")))
    suppressed = rules_of(report(run("check", *nl, "-f", "json", "s.txt")))
    assert "nl.brush-off.weet-niet" in plain
    assert "nl.brush-off.weet-niet" not in suppressed
    assert "nl.policy.beleid" in plain and "nl.policy.beleid" in suppressed
    assert sorted(set(plain) - {"nl.brush-off.weet-niet"}) == sorted(set(suppressed))


def test_html_comment_suppression(tmp_path, nl):
    write(tmp_path / "h.md", "Beste klant,\n<!-- replylint: disable=brush-off -->\n"
          "Dank voor uw bericht. Dat weet ik niet.\n")
    data = report(run("check", *nl, "-f", "json", "h.md"))
    assert not any(f["category"] == "brush-off" for f in data["findings"])


def test_record_field_suppression(tmp_path, nl):
    write(tmp_path / "lib.jsonl",
          '{"id": "a", "text": "Dat weet ik niet.", "replylint_disable": "nl.brush-off.weet-niet"}\n'
          '{"id": "b", "text": "Dat weet ik niet."}\n')
    data = report(run("check", *nl, "-f", "json", "lib.jsonl"))
    a, b = rules_of(data, "a"), rules_of(data, "b")
    assert "nl.brush-off.weet-niet" in b and "nl.brush-off.weet-niet" not in a
    assert sorted(a) == sorted(r for r in b if r != "nl.brush-off.weet-niet")


def test_unused_suppression_reported_with_position_and_reason(tmp_path, nl):
    write(tmp_path / "s.txt", "Beste klant,\n\n"
          "{% comment %} replylint: disable=nl.blame -- oude tekst {% endcomment %}\n"
          "Dank voor uw bericht. Dat weet ik niet.\n")
    r = run("check", *nl, "-f", "json", "s.txt")
    assert r.exit_code == 1
    assert ("s.txt:3:1: unused suppression: disable=nl.blame suppresses nothing in this reply "
            "(reason: oude tekst)") in r.stderr
    json.loads(r.stdout)  # the report on stdout stays valid JSON
    # a suppression that is used is not reported
    write(tmp_path / "t.txt", SUPPRESSED)
    assert "suppression" not in run("check", *nl, "-f", "json", "t.txt").stderr


def test_unused_suppression_of_deselected_rule_not_reported(tmp_path, nl):
    write(tmp_path / "s.txt", SUPPRESSED)
    r = run("check", *nl, "--select", "greeting", "s.txt")
    assert "suppression" not in r.stderr


def test_suppression_naming_unknown_rule_is_reported(tmp_path, nl):
    write(tmp_path / "lib.jsonl",
          '{"id": "a", "text": "Beste klant, dank u.", "replylint_disable": "nl.brsh-off"}\n'
          '{"id": "b", "text": "Beste klant, dank u.", "replylint_disable": "nl.blame"}\n')
    r = run("check", *nl, "-f", "json", "lib.jsonl")
    assert "lib.jsonl:1:22: suppression names no known rule: nl.brsh-off [reply a]" in r.stderr
    assert ("lib.jsonl:2:22: unused suppression: replylint_disable=nl.blame suppresses nothing "
            "in this reply [reply b]") in r.stderr


def test_unused_suppression_as_github_notice(tmp_path, nl):
    write(tmp_path / "s.txt", "Beste klant,\n{% comment %} replylint: disable=nl.blame {% endcomment %}\n"
          "Dank u.\n")
    r = run("check", *nl, "-f", "github", "s.txt")
    assert re.search(r"^::notice file=s\.txt,line=2,col=1,title=replylint%3A unused suppression::",
                     r.stderr, re.M)


def test_suppression_reason_is_kept():
    from replylint.textprep import prepare
    sups = prepare(SUPPRESSED).suppressions
    assert [(s.rules, s.reason) for s in sups] == [
        (("nl.brush-off.weet-niet",), "klant vroeg om een eerlijk antwoord")]


# ----------------------------------------------------------------------------- rules commands

def test_rules_list_json_and_explain(nl):
    r = run("rules", "list", *nl, "--format", "json")
    assert r.exit_code == 0
    rules = json.loads(r.stdout)
    ids = {x["id"] for x in rules}
    assert "nl.brush-off.weet-niet" in ids
    assert all(x["lang"] == "nl" for x in rules)
    e = run("rules", "explain", *nl, "nl.brush-off.weet-niet")
    assert e.exit_code == 0
    assert e.stdout.startswith("nl.brush-off.weet-niet  (brush-off, warning")
    assert "Suggested rewrites:" in e.stdout
    missing = run("rules", "explain", *nl, "nl.brush-off.weet-nit")
    assert missing.exit_code == 2
    assert "Did you mean: nl.brush-off.weet-niet" in missing.stderr


def test_rules_test_on_a_user_pack(tmp_path):
    write(tmp_path / "p" / "pack.yaml", "name: p\nlanguage: nl\nversion: 1.0.0\n")
    write(tmp_path / "p" / "r.yaml",
          "rules:\n  kaas:\n    kind: existence\n    category: jargon\n    severity: warning\n"
          "    message: x\n    patterns: [blauwe kaas]\n"
          "    examples:\n      fail: [Ik eet blauwe kaas.]\n      pass: [Ik eet kaas.]\n")
    r = run("rules", "test", "--isolated", "p")
    assert r.exit_code == 0, r.stdout
    assert r.stdout.strip().endswith("2 passed, 0 failed")
    (tmp_path / "p" / "r.yaml").write_text((tmp_path / "p" / "r.yaml").read_text()
                                           .replace("pass: [Ik eet kaas.]", "pass: [Ik eet blauwe kaas!]"))
    r = run("rules", "test", "--isolated", "p")
    assert r.exit_code == 1
    assert "FAIL p.r.kaas" in r.stdout


# ----------------------------------------------------------------------------------- examples

def test_example_drafts():
    """The README's first command: good drafts are clean, bad ones show real findings."""
    r = run("check", "--isolated", "-f", "json", EXAMPLES / "goed.txt", EXAMPLES / "good-en.txt",
            EXAMPLES / "slecht.txt", EXAMPLES / "bad-en.txt", EXAMPLES / "library.jsonl")
    assert r.exit_code == 1, r.stderr
    data = report(r)
    assert data["errors"] == []
    by_src: dict[str, set] = {}
    for f in data["findings"]:
        by_src.setdefault(Path(f["source"]).name + "#" + f["reply_id"].rsplit("/", 1)[-1], set()).add(f["rule"])
    assert "goed.txt#goed.txt" not in by_src
    assert "good-en.txt#good-en.txt" not in by_src
    assert {"nl.brush-off.weet-niet", "nl.blame.had-moeten", "nl.policy.beleid"} <= by_src["slecht.txt#slecht.txt"]
    assert {"en.brush-off.not-possible", "en.blame.should-have", "en.policy.per-policy"} <= by_src["bad-en.txt#bad-en.txt"]
    lib = {k.split("#")[1]: v for k, v in by_src.items() if k.startswith("library.jsonl#")}
    assert {"nl-001", "nl-003", "nl-008", "en-001", "en-004"}.isdisjoint(lib)  # the good ones
    assert "nl.blame.had-moeten" in lib["nl-002"]
    assert "nl.policy.beleid" in lib["nl-004"]
    assert "nl.jargon.vakjargon" in lib["nl-005"]
    assert "en.brush-off.dont-know" in lib["en-002"]
    assert "en.policy.per-policy" in lib["en-003"]
    assert "en.condescension.obviously" in lib["en-005"]
    n = sum(1 for _ in (EXAMPLES / "library.jsonl").open(encoding="utf-8"))
    assert 10 <= n <= 15


# expected (reply id, rule, matched text or None for a whole-reply finding) per library file
LIBRARY_EXPECTATIONS = {
    "zendesk.json": {"flawed": [("900000000002", "nl.placeholder.broken", "{{ticket.requester.firstname}}"),
                                ("900000000002", "nl.brush-off.weet-niet", "weet ik niet"),
                                ("900000000003", "en.blame.should-have", "You should have")],
                     "good": ["900000000001"]},
    "freshdesk.json": {"flawed": [("82000000101", "nl.policy.beleid", "Volgens ons beleid")],
                       "good": ["82000000102"]},
    "intercom.json": {"flawed": [("5002", "en.brush-off.dont-know", "I don't know")], "good": ["5001"]},
    "helpscout.json": {"flawed": [("700002", "nl.brush-off.niet-mijn-afdeling", None),
                                  ("700002", "nl.placeholder.fallback", "{%customer.firstName%}")],
                       "good": ["700001"]},
    "gorgias.json": {"flawed": [("31002", "en.condescension.obviously", "obviously")], "good": ["31001"]},
    "front.json": {"flawed": [("rsp_102", "nl.brush-off.niet-mogelijk", None)], "good": ["rsp_101"]},
    "zammad.csv": {"flawed": [("Zelf schuld", "nl.blame.had-moeten", None)], "good": ["Bedankt"]},
    "replies.csv": {"flawed": [("csv-2", "nl.blame.had-moeten", None), ("csv-3", "en.policy.per-policy", None)],
                    "good": ["csv-1", "csv-4"]},
    "replies.jsonl": {"flawed": [("jl-2", "en.brush-off.dont-know", "I don't know"),
                                 ("jl-3", "nl.brush-off.weet-niet", "weet ik niet")],
                      "good": ["jl-1", "jl-4"]},
    "macros.yaml": {"flawed": [("afwijzen", "nl.policy.beleid", "Volgens ons beleid"),
                               ("refund-late", "en.blame.should-have", "You should have")],
                    "good": ["welkom"]},
}


def test_every_library_format_is_present():
    assert sorted(p.name for p in LIBRARIES.iterdir() if p.is_file()) == sorted(LIBRARY_EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(LIBRARY_EXPECTATIONS))
def test_example_library(name):
    path = LIBRARIES / name
    r = run("check", "--isolated", "-f", "json", path)
    assert r.exit_code == 1, r.stderr
    data = report(r)
    assert data["errors"] == []
    lines = path.read_text(encoding="utf-8").splitlines()
    exp = LIBRARY_EXPECTATIONS[name]
    for reply, rule, match in exp["flawed"]:
        hits = [f for f in data["findings"] if f["reply_id"] == reply and f["rule"] == rule]
        assert hits, f"{name}: expected {rule} in reply {reply}; got {rules_of(data, reply)}"
        f = hits[0]
        assert f["source"] == str(path)
        assert 1 <= f["line"] <= len(lines)
        if match is not None and not name.endswith(".csv"):
            # the position points at the matched words in the file itself
            assert f["match"] == match
            assert lines[f["line"] - 1][f["column"] - 1:].startswith(match), (f, lines[f["line"] - 1])
    for reply in exp["good"]:
        serious = [f["rule"] for f in data["findings"]
                   if f["reply_id"] == reply and f["severity"] != "info"]
        assert serious == [], f"{name}: good reply {reply} flagged: {serious}"
