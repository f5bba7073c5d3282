"""Tests for replylint.formatters: every format is checked against a real consumer or schema."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from replylint.finding import CATEGORIES, Finding, Fix, InputError, Severity
from replylint.formatters import FORMATS, render
from replylint.formatters import github as gh
from replylint.formatters import sarif as sarif_mod
from replylint.formatters.json_report import report_schema
from replylint.records import LineLocator, Record
from replylint.results import ReplyResult, RuleInfo, RunResult

SHARED = Path(__file__).resolve().parents[2] / "shared"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ----------------------------------------------------------------------------- builders

def place(rec: Record, f: Finding) -> Finding:
    """Place a finding the way the linter does: through the record's locator."""
    line, col = rec.position(f.start)
    end_line, end_col = rec.position(f.end)
    return f.placed(reply_id=rec.id, source=rec.source, line=line, column=col,
                    end_line=end_line, end_column=end_col)


def find(rec: Record, needle: str, rule: str, category: str, severity: str = "warning",
         message: str = "msg", suggestions=(), fix: Fix | None = None, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = rec.text.index(needle, start + 1)
    f = Finding(rule=rule, category=category, severity=Severity(severity), message=message,
                start=start, end=start + len(needle), match=needle, suggestions=tuple(suggestions), fix=fix)
    return place(rec, f)


MAIL = ("Beste klant,\n"
        "Dat weet ik niet. Ten behoeve van uw aanvraag: 日本語 café.\n"
        "Met vriendelijke groet")


def mail_run() -> RunResult:
    """A plain-text file (verbatim locator), a JSONL source (line locator) and an input error."""
    r1 = Record("mail.txt", MAIL, source="mail.txt")
    tb = MAIL.index("Ten behoeve van")
    f1 = [
        find(r1, "Dat weet ik niet", "nl.brush-off.weet-niet", "brush-off", "error",
             'Zeg niet "weet ik niet": zoek het uit, 100%',
             ["Goede vraag, dat zoek ik voor u uit.", "Ik vraag het na; u hoort vandaag van mij."]),
        find(r1, "Ten behoeve van", "nl.readability.ten-behoeve", "readability", "warning",
             "Ambtelijk: 'ten behoeve van'", ["voor"], Fix(tb, tb + 15, "Voor", safe=True)),
        find(r1, "café", "nl.jargon.cafe", "jargon", "info", "regel één\nregel twee"),
        find(r1, "café.\nMet", "nl.timing.multi", "vague-timing", "warning", "over twee regels",
             ["binnen 24 uur"]),
    ]
    r2 = Record("r-2", "Hallo, dat is ons beleid.", source="replies.jsonl", locator=LineLocator(7))
    f2 = [find(r2, "ons beleid", "nl.policy.beleid", "policy", "warning", "Verschuil je niet achter beleid",
               ["Ik kijk wat ik wel voor u kan doen."], Fix(14, 24, "onze afspraak", safe=False))]
    r3 = Record("r-3", "Alles goed.", source="replies.jsonl", locator=LineLocator(8))
    rules = {
        "nl.policy.beleid": RuleInfo("nl.policy.beleid", "policy", Severity.WARNING,
                                     "Verschuil je niet achter beleid", "Beleid is geen antwoord.",
                                     "nl-core", "nl", "phrase", ("Ik kijk wat ik wel kan doen.",)),
        "nl.brush-off.weet-niet": RuleInfo("nl.brush-off.weet-niet", "brush-off", Severity.ERROR,
                                           "Zeg niet 'weet ik niet'"),
    }
    return RunResult(
        [ReplyResult(r1, f1, "nl"), ReplyResult(r2, f2, "nl"), ReplyResult(r3, [], "nl")],
        [InputError("replies.jsonl", "invalid JSON: Expecting ',' delimiter", 9, 14)],
        rules,
    )


def single_run(text: str, needle: str, **kw) -> RunResult:
    rec = Record("reply.txt", text, source="reply.txt")
    return RunResult([ReplyResult(rec, [find(rec, needle, kw.pop("rule", "en.test.rule"),
                                             kw.pop("category", "jargon"), **kw)])])


def rendered(fmt: str, run: RunResult, **kw) -> str:
    buf = io.StringIO()
    render(fmt, run, out=buf, **kw)
    return buf.getvalue()


EMPTY = RunResult([])


# ----------------------------------------------------------------------------- dispatch

def test_formats_and_unknown_format():
    assert FORMATS == ("text", "json", "jsonl", "sarif", "github", "junit")
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", EMPTY, out=io.StringIO())


def test_every_format_handles_empty_run():
    assert rendered("text", EMPTY, color=False) == "No replies to lint.\n"
    assert rendered("jsonl", EMPTY) == ""
    assert rendered("github", EMPTY) == ""
    assert json.loads(rendered("json", EMPTY))["findings"] == []
    assert json.loads(rendered("sarif", EMPTY))["runs"][0]["results"] == []
    assert rendered("junit", EMPTY).startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')


# ----------------------------------------------------------------------------- json

@pytest.fixture(scope="module")
def report_validator():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_report_schema_enums_match_contract():
    schema = json.loads((Path(__file__).resolve().parents[1] / "replylint" / "data" / "report.schema.json")
                        .read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["category"]["enum"] == list(CATEGORIES)
    assert schema["$defs"]["severity"]["enum"] == [s.value for s in Severity]


@pytest.mark.parametrize("statistics", [False, True])
def test_json_report_validates_and_round_trips(report_validator, statistics):
    run = mail_run()
    data = json.loads(rendered("json", run, statistics=statistics))
    report_validator.validate(data)
    expected_keys = ["version", "replies", "findings", "errors"] + (["statistics"] if statistics else [])
    assert list(data) == expected_keys
    assert data["version"] == 1
    assert data["replies"] == 3
    assert data["findings"] == [f.to_dict() for f in run.findings]
    assert [Finding.from_dict(d) for d in data["findings"]] == run.findings
    assert data["errors"] == [{"source": "replies.jsonl", "line": 9, "column": 14,
                               "message": "invalid JSON: Expecting ',' delimiter"}]
    # unicode is written as is, not \u-escaped
    out = rendered("json", run)
    assert "café" in out and "\\u00e9" not in out


def test_json_statistics_counts(report_validator):
    stats = json.loads(rendered("json", mail_run(), statistics=True))["statistics"]
    assert stats["replies"] == 3
    assert stats["replies_with_findings"] == 2
    assert stats["findings"] == 5
    assert stats["fixable"] == 1  # only the safe fix counts
    assert stats["errors"] == 1
    assert stats["by_severity"] == {"error": 1, "warning": 3, "info": 1}
    assert sum(stats["by_category"].values()) == 5
    assert stats["by_category"]["policy"] == 1
    by_rule = {d["rule"]: d for d in stats["by_rule"]}
    assert by_rule["nl.readability.ten-behoeve"] == {
        "rule": "nl.readability.ten-behoeve", "category": "readability", "severity": "warning",
        "count": 1, "fixable": 1}


def test_json_empty_run(report_validator):
    out = rendered("json", EMPTY)
    data = json.loads(out)
    report_validator.validate(data)
    assert data == {"version": 1, "replies": 0, "findings": [], "errors": []}


def test_json_schema_rejects_drift(report_validator):
    data = json.loads(rendered("json", mail_run()))
    data["findings"][0]["category"] = "rudeness"
    with pytest.raises(jsonschema.ValidationError):
        report_validator.validate(data)
    data = json.loads(rendered("json", mail_run()))
    data["findings"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        report_validator.validate(data)


# ----------------------------------------------------------------------------- jsonl

def test_jsonl_one_finding_per_line():
    run = mail_run()
    out = rendered("jsonl", run)
    lines = out.splitlines()
    assert out.endswith("\n")
    assert len(lines) == 5  # the multi-line message and match stay on one line each
    assert [json.loads(line) for line in lines] == [f.to_dict() for f in run.findings]
    assert rendered("jsonl", EMPTY) == ""


# ----------------------------------------------------------------------------- sarif

@pytest.fixture(scope="module")
def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"official SARIF 2.1.0 schema not found at {SARIF_SCHEMA} (expected the repo's ../shared)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def sarif_of(run: RunResult) -> dict:
    return json.loads(rendered("sarif", run))


def test_sarif_validates_against_official_schema(sarif_validator):
    for run in (mail_run(), EMPTY):
        sarif_validator.validate(sarif_of(run))


def test_sarif_driver_rules_and_results(sarif_validator):
    from replylint import __version__

    log = sarif_of(mail_run())
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "replylint"
    assert driver["version"] == __version__
    assert "informationUri" not in driver  # optional in SARIF; no public home page to point at yet
    assert run["columnKind"] == "unicodeCodePoints"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) == 5
    policy = rules[ids.index("nl.policy.beleid")]
    assert policy["name"] == "NlPolicyBeleid"
    assert policy["shortDescription"]["text"] == "Verschuil je niet achter beleid"
    assert policy["fullDescription"]["text"] == "Beleid is geen antwoord."
    assert "Ik kijk wat ik wel kan doen." in policy["help"]["text"]
    assert policy["defaultConfiguration"]["level"] == "warning"
    assert policy["properties"]["category"] == "policy"
    results = run["results"]
    assert len(results) == 5
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    levels = {res["ruleId"]: res["level"] for res in results}
    assert levels == {"nl.brush-off.weet-niet": "error", "nl.readability.ten-behoeve": "warning",
                      "nl.jargon.cafe": "note", "nl.timing.multi": "warning", "nl.policy.beleid": "warning"}
    # rules only known from findings still get a descriptor with their category
    cafe = rules[ids.index("nl.jargon.cafe")]
    assert cafe["properties"]["category"] == "jargon"
    assert cafe["defaultConfiguration"]["level"] == "note"


def test_sarif_locations_snippets_and_fixes():
    results = {r["ruleId"]: r for r in sarif_of(mail_run())["runs"][0]["results"]}
    weet = results["nl.brush-off.weet-niet"]
    loc = weet["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "mail.txt", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 17,
                             "snippet": {"text": "Dat weet ik niet"}}
    assert weet["message"]["text"].startswith('Zeg niet "weet ik niet"')
    assert "fixes" not in weet

    multi = results["nl.timing.multi"]["locations"][0]["physicalLocation"]["region"]
    assert (multi["startLine"], multi["endLine"], multi["endColumn"]) == (2, 3, 4)
    assert multi["snippet"]["text"] == "café.\nMet"

    (fix,) = results["nl.readability.ten-behoeve"]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "mail.txt"
    (rep,) = change["replacements"]
    assert rep["deletedRegion"] == {"startLine": 2, "startColumn": 19, "endLine": 2, "endColumn": 34}
    assert rep["insertedContent"] == {"text": "Voor"}
    # applying the replacement to the file text gives the fixed reply
    line = MAIL.split("\n")[1]
    dr = rep["deletedRegion"]
    assert line[:dr["startColumn"] - 1] + "Voor" + line[dr["endColumn"] - 1:] == line.replace("Ten behoeve van", "Voor")

    # a JSONL record sits on one line: no columns, no snippet, no fix (the file holds escaped text)
    pol = results["nl.policy.beleid"]
    assert pol["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "endLine": 7}
    assert "fixes" not in pol
    assert pol["properties"]["match"] == "ons beleid"
    assert pol["properties"]["replyId"] == "r-2"


def test_sarif_line_1_col_1_and_input_errors(sarif_validator):
    run = single_run("Dat is ons beleid.", "Dat", rule="nl.x", category="policy")
    run.errors.append(InputError("broken.csv", "unterminated quote"))
    run.errors.append(InputError("-", "bad line", 3, 1))
    log = sarif_of(run)
    sarif_validator.validate(log)
    (res,) = log["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert res["locations"][0]["physicalLocation"]["region"]["startColumn"] == 1
    (inv,) = log["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["unterminated quote", "bad line"]
    assert notes[0]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "broken.csv",
                                                                                 "uriBaseId": "%SRCROOT%"}}
    assert notes[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 1}
    assert "uri" not in notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]  # stdin
    assert all(n["level"] == "error" for n in notes)


def test_sarif_uris_relative_to_cwd(tmp_path, monkeypatch, sarif_validator):
    monkeypatch.chdir(tmp_path)
    inside = tmp_path / "mails" / "klacht één.txt"
    rec_in = Record(str(inside), "Geen idee.", source=str(inside))
    rec_out = Record("/elders/x.txt", "Geen idee.", source="/elders/x.txt")
    run = RunResult([ReplyResult(rec_in, [find(rec_in, "Geen idee", "nl.b", "brush-off")]),
                     ReplyResult(rec_out, [find(rec_out, "Geen idee", "nl.b", "brush-off")])])
    log = sarif_of(run)
    sarif_validator.validate(log)
    locs = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert locs[0] == {"uri": "mails/klacht%20%C3%A9%C3%A9n.txt", "uriBaseId": "%SRCROOT%"}
    assert locs[1] == {"uri": "file:///elders/x.txt"}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_fingerprints_stable_over_line_moves():
    a = single_run("Hallo.\nGeen idee.", "Geen idee", rule="nl.b", category="brush-off")
    b = single_run("Hallo.\n\n\nBeste,\nGeen idee.", "Geen idee", rule="nl.b", category="brush-off")
    c = single_run("Hallo.\nWeet ik niet.", "Weet ik niet", rule="nl.b", category="brush-off")
    fp = lambda run: sarif_of(run)["runs"][0]["results"][0]["partialFingerprints"]  # noqa: E731
    assert a.findings[0].line != b.findings[0].line
    assert fp(a) == fp(b)
    assert fp(a) != fp(c)
    # the same match twice in a reply: distinct fingerprints by occurrence
    rec = Record("r", "Geen idee. Echt geen idee? Geen idee.", source="r.txt")
    twice = RunResult([ReplyResult(rec, [find(rec, "Geen idee", "nl.b", "brush-off"),
                                         find(rec, "Geen idee", "nl.b", "brush-off", nth=1)])])
    fps = [r["partialFingerprints"]["replylint/v1"] for r in sarif_of(twice)["runs"][0]["results"]]
    assert fps[0] != fps[1] and fps[0].split(":")[0] == fps[1].split(":")[0]


def test_sarif_rule_name():
    assert sarif_mod.rule_name("nl.brush-off.weet-niet") == "NlBrushOffWeetNiet"


# ----------------------------------------------------------------------------- github

def test_github_escaping_matches_actions_toolkit():
    assert gh.escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert gh.escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"
    # '%' first, so an existing escape sequence is not decoded on the other side
    assert gh.escape_data("%0A") == "%250A"


def test_github_exact_lines():
    lines = rendered("github", mail_run()).splitlines()
    assert lines == [
        "::error file=mail.txt,line=2,col=1,endLine=2,endColumn=17,"
        "title=nl.brush-off.weet-niet (brush-off)::"
        'Zeg niet "weet ik niet": zoek het uit, 100%25'
        "%0A→ Goede vraag, dat zoek ik voor u uit.%0A→ Ik vraag het na; u hoort vandaag van mij.",
        "::warning file=mail.txt,line=2,col=19,endLine=2,endColumn=34,"
        "title=nl.readability.ten-behoeve (readability)::Ambtelijk: 'ten behoeve van'%0A→ voor",
        "::notice file=mail.txt,line=2,col=52,endLine=2,endColumn=56,"
        "title=nl.jargon.cafe (jargon)::regel één%0Aregel twee",
        # multi-line: no columns (GitHub ignores them when line != endLine)
        "::warning file=mail.txt,line=2,endLine=3,title=nl.timing.multi (vague-timing)::"
        "over twee regels%0A→ binnen 24 uur",
        # JSONL record: the line only
        "::warning file=replies.jsonl,line=7,endLine=7,title=nl.policy.beleid (policy)::"
        "Verschuil je niet achter beleid%0A→ Ik kijk wat ik wel voor u kan doen.",
        "::error file=replies.jsonl,line=9,col=14,title=replylint input error::"
        "invalid JSON: Expecting ',' delimiter",
    ]


def test_github_escapes_properties(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = str(tmp_path / "a,b:c%.txt")
    rec = Record(src, "Geen idee.", source=src)
    f = find(rec, "Geen", "rule:1,2", "brush-off", "error", "line1\r\nline2")
    out = rendered("github", RunResult([ReplyResult(rec, [f])], [InputError("-", "bad\nthing", 2)]))
    assert out.splitlines() == [
        "::error file=a%2Cb%3Ac%25.txt,line=1,col=1,endLine=1,endColumn=5,"
        "title=rule%3A1%2C2 (brush-off)::line1%0D%0Aline2",
        "::error title=replylint input error::-:2: bad%0Athing",
    ]


# ----------------------------------------------------------------------------- junit

def parse_junit(xml: str):
    from junitparser import JUnitXml

    return JUnitXml.fromstring(xml)


def test_junit_round_trip_with_junitparser():
    from junitparser import Error, Failure

    xml = parse_junit(rendered("junit", mail_run()))
    assert (xml.tests, xml.failures, xml.errors) == (4, 2, 1)
    suites = {s.name: s for s in xml}
    assert list(suites) == ["mail.txt", "replies.jsonl"]
    assert (suites["mail.txt"].tests, suites["mail.txt"].failures, suites["mail.txt"].errors) == (1, 1, 0)
    assert (suites["replies.jsonl"].tests, suites["replies.jsonl"].failures,
            suites["replies.jsonl"].errors) == (3, 1, 1)
    cases = {(c.classname, c.name): c for s in xml for c in s}
    assert list(cases) == [("mail.txt", "mail.txt"), ("replies.jsonl", "r-2"), ("replies.jsonl", "r-3"),
                           ("replies.jsonl", "input error:9:14")]
    (fail,) = cases["mail.txt", "mail.txt"].result
    assert isinstance(fail, Failure)
    assert fail.type == "error"
    # the info finding is below the default fail level (warning): not in the failure
    assert fail.message == "3 findings: nl.brush-off.weet-niet, nl.readability.ten-behoeve, nl.timing.multi"
    assert "mail.txt:2:1: error brush-off [nl.brush-off.weet-niet]" in fail.text
    assert "→ Goede vraag, dat zoek ik voor u uit." in fail.text
    assert "nl.jargon.cafe" not in fail.text
    assert "nl.jargon.cafe" in cases["mail.txt", "mail.txt"].system_out
    assert cases["replies.jsonl", "r-3"].is_passed
    (err,) = cases["replies.jsonl", "input error:9:14"].result
    assert isinstance(err, Error)
    assert err.message == "invalid JSON: Expecting ',' delimiter"
    # the counts we wrote agree with what junitparser recounts from the cases
    for s in xml:
        written = (s.tests, s.failures, s.errors)
        s.update_statistics()
        assert (s.tests, s.failures, s.errors) == written


def test_junit_fail_level():
    xml = parse_junit(rendered("junit", mail_run(), fail_level="error"))
    assert (xml.tests, xml.failures, xml.errors) == (4, 1, 1)
    xml = parse_junit(rendered("junit", mail_run(), fail_level=Severity.INFO))
    cases = {c.name: c for s in xml for c in s}
    assert cases["mail.txt"].result[0].message.startswith("4 findings")
    xml = parse_junit(rendered("junit", mail_run(), fail_level="never"))  # config fail_on = never
    assert (xml.tests, xml.failures, xml.errors) == (4, 0, 1)
    cases = {c.name: c for s in xml for c in s}
    assert cases["r-2"].is_passed and "nl.policy.beleid" in cases["r-2"].system_out


def test_junit_empty_and_invalid_xml_characters():
    xml = parse_junit(rendered("junit", EMPTY))
    assert (xml.tests, xml.failures, xml.errors) == (0, 0, 0)
    rec = Record("id\x01<&>\"", "Geen\x0b idee.", source="in.jsonl", locator=LineLocator(1))
    run = RunResult([ReplyResult(rec, [find(rec, "Geen\x0b", "nl.b", "brush-off", message='a "b" <c> & d\x00')])])
    xml = parse_junit(rendered("junit", run))
    (case,) = [c for s in xml for c in s]
    assert case.name == "id\ufffd<&>\""
    assert case.result[0].text.startswith('in.jsonl:1:1: warning brush-off [nl.b] a "b" <c> & d\ufffd')


# ----------------------------------------------------------------------------- text

def test_text_plain_finding_block():
    out = rendered("text", mail_run(), color=False)
    assert not ANSI.search(out)
    lines = out.splitlines()
    i = lines.index("mail.txt:2:1: error brush-off [nl.brush-off.weet-niet] "
                    'Zeg niet "weet ik niet": zoek het uit, 100%')
    assert lines[i + 1] == "   │ Dat weet ik niet. Ten behoeve van uw aanvraag: 日本語 café."
    assert lines[i + 2] == "   │ ^" + "~" * 15  # under all 16 characters of "Dat weet ik niet"
    assert lines[i + 3] == "   → Goede vraag, dat zoek ik voor u uit."
    assert lines[i + 4] == "   → Ik vraag het na; u hoort vandaag van mij."
    # a safe fix is marked [*] and shown
    j = lines.index("mail.txt:2:19: warning readability [nl.readability.ten-behoeve] "
                    "Ambtelijk: 'ten behoeve van' [*]")
    assert lines[j + 2] == "   │ " + " " * 18 + "^" + "~" * 14  # column 19, 15 characters
    assert lines[j + 4] == "   fix: 'Ten behoeve van' → 'Voor'"
    assert "   fix (unsafe): 'ons beleid' → 'onze afspraak'" in lines


def test_text_underline_wide_characters_and_multiline_match():
    lines = rendered("text", mail_run(), color=False).splitlines()
    k = lines.index("mail.txt:2:52: info jargon [nl.jargon.cafe] regel één")
    assert lines[k + 1] == "    regel twee"  # continuation of a multi-line message
    # the three CJK characters take two cells each, so the caret moves 3 cells right
    prefix = "Dat weet ik niet. Ten behoeve van uw aanvraag: 日本語 "
    assert lines[k + 3] == "   │ " + " " * (len(prefix) + 3) + "^~~~"
    m = lines.index("mail.txt:2:52: warning vague-timing [nl.timing.multi] over twee regels")
    assert lines[m + 2].endswith("^~~~~…")  # "café." then continues on the next line


def test_text_headers_summary_and_errors_at_end():
    out = rendered("text", mail_run(), color=False)
    lines = out.splitlines()
    assert "── mail.txt (nl) ──" in lines
    assert "── replies.jsonl · r-2 (nl) ──" in lines
    assert not any("r-3" in line for line in lines)  # clean replies get no header
    assert lines[-3] == "replies.jsonl:9:14: input error: invalid JSON: Expecting ',' delimiter"
    assert lines[-2] == "5 findings (1 error, 3 warnings, 1 info) in 2 of 3 replies. 1 input error."
    assert lines[-1] == "[*] 1 fixable with --fix (1 more fixable with --unsafe-fixes)."


def test_text_single_reply_line_1_col_1_no_header():
    out = rendered("text", single_run("Dat weet ik niet.", "Dat weet ik niet", rule="nl.b",
                                      category="brush-off", severity="error", message="m",
                                      suggestions=["Ik zoek het uit."]), color=False)
    assert out == ("reply.txt:1:1: error brush-off [nl.b] m\n"
                   "   │ Dat weet ik niet.\n"
                   "   │ ^~~~~~~~~~~~~~~~\n"
                   "   → Ik zoek het uit.\n"
                   "\n"
                   "1 finding (1 error) in 1 of 1 reply.\n")


def test_text_show_source_false():
    out = rendered("text", mail_run(), color=False, show_source=False)
    assert "│" not in out and "^~" not in out
    assert "mail.txt:2:1: error brush-off [nl.brush-off.weet-niet]" in out
    assert "   → Goede vraag, dat zoek ik voor u uit." in out


def test_text_long_lines_tabs_and_crlf_are_clipped_and_aligned():
    text = "x" * 300 + "\tGeen idee." + "y" * 300 + "\r\nnext"
    out = rendered("text", single_run(text, "Geen idee", category="brush-off"), color=False)
    ctx, marker = [line for line in out.splitlines() if line.startswith("   │ ")]
    assert ctx.startswith("   │ …") and ctx.endswith("…")
    assert len(ctx) < 150
    assert "\t" not in ctx and "\r" not in out
    assert ctx.index("Geen idee") == marker.index("^")
    assert marker.endswith("^~~~~~~~~")


def test_text_empty_runs():
    assert rendered("text", EMPTY, color=False) == "No replies to lint.\n"
    clean = RunResult([ReplyResult(Record("a", "Hoi!"), []), ReplyResult(Record("b", "Dag!"), [])])
    assert rendered("text", clean, color=False) == "No findings in 2 replies.\n"
    only_err = RunResult([], [InputError("x.jsonl", "unreadable")])
    assert rendered("text", only_err, color=False) == ("x.jsonl: input error: unreadable\n"
                                                       "No replies to lint. 1 input error.\n")


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_colour_rules(monkeypatch):
    run = mail_run()
    coloured = rendered("text", run, color=True)
    assert ANSI.search(coloured)
    # same text once the styling is stripped (colour adds no or loses no content)
    assert ANSI.sub("", coloured) == rendered("text", run, color=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    tty = FakeTTY()
    render("text", run, out=tty)
    assert ANSI.search(tty.getvalue())  # None + TTY -> colour
    assert not ANSI.search(rendered("text", run))  # None + not a TTY -> plain
    monkeypatch.setenv("NO_COLOR", "1")
    tty = FakeTTY()
    render("text", run, out=tty)
    assert not ANSI.search(tty.getvalue())  # NO_COLOR wins over a TTY
    assert ANSI.search(rendered("text", run, color=True))  # an explicit --color beats NO_COLOR


def test_text_statistics_table():
    rec = Record("r", "Geen idee. Geen idee. Dat is beleid.", source="r.txt")
    run = RunResult([ReplyResult(rec, [
        find(rec, "Geen idee", "nl.b.geen-idee", "brush-off", "error"),
        find(rec, "Geen idee", "nl.b.geen-idee", "brush-off", "error", nth=1),
        find(rec, "beleid", "nl.p.beleid", "policy", "warning", fix=Fix(29, 35, "afspraak", safe=True)),
    ])])
    lines = rendered("text", run, color=False, statistics=True).splitlines()
    assert lines[0].split() == ["count", "rule", "category", "severity", "fixable"]
    assert lines[1].split() == ["2", "nl.b.geen-idee", "brush-off", "error"]
    assert lines[2].split() == ["1", "nl.p.beleid", "policy", "warning", "1"]
    k = lines.index("count  category")
    assert [line.split() for line in lines[k + 1:k + 3]] == [["2", "brush-off"], ["1", "policy"]]
    assert "^~" not in "\n".join(lines)  # the table replaces the findings
    assert lines[-2] == "3 findings (2 errors, 1 warning) in 1 of 1 reply."


# ----------------------------------------------------------------------------- plumbing

def test_fast_finding_json_matches_to_dict():
    from replylint.formatters import _common

    assert _common.finding_json is _common._fast_finding_json  # the self-check passed
    run = mail_run()
    rec = Record("q", 'a\u2028b "c" \\ \x00\x1f é', source="q.txt")
    odd = find(rec, "a\u2028b", "r", "jargon", message="\ttab \u2029", suggestions=['"x"', ""],
               fix=Fix(0, 3, "\x7f", False))
    for f in [*run.findings, odd]:
        line = _common.finding_json(f)
        assert json.loads(line) == f.to_dict()
        assert list(json.loads(line)) == list(f.to_dict())
        assert len(line.splitlines()) == 1  # U+2028/2029/0085 are escaped too


def test_formatters_only_write_to_out(capsys):
    for fmt in FORMATS:
        render(fmt, mail_run(), out=io.StringIO(), color=True, statistics=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_json_formats_do_not_import_rich():
    import subprocess
    import sys

    code = ("import io, sys\n"
            "from replylint.formatters import render\n"
            "from replylint.results import RunResult\n"
            "for fmt in ('json', 'jsonl', 'sarif', 'github', 'junit'):\n"
            "    render(fmt, RunResult([]), out=io.StringIO())\n"
            "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n")
    root = Path(__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert res.stdout.strip() == "[]"
