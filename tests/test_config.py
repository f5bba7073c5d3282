"""Configuration through the real CLI: discovery, errors with file:line, overrides per glob,
formality, vocabulary, dialect, and `replylint config show` origins."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint.cli import app

ROOT = Path(__file__).resolve().parents[1]
NL_PACK = ROOT / "rules" / "nl"
NL_ONLY = f"default_packs: false\npacks: [{NL_PACK}]\n"

U_REPLY = ("Beste meneer Jansen,\n\n"
           "Dank u wel voor uw bericht. Ik begrijp dat u graag snel uw bestelling wilt ontvangen. "
           "Ik heb uw pakket vandaag opnieuw verzonden; u ontvangt morgen een bevestiging van mij.\n\n"
           "Heeft u nog vragen? Laat het me gerust weten.\n\n"
           "Met vriendelijke groet,\nSanne\n")
BRAND_REPLY = ("Hoi Sanne,\n\nDank je voor je bericht. Open de ZVX-app en kies Bestellingen; "
               "ik heb je pakket vandaag verzonden en je krijgt morgen een mail van mij.\n\n"
               "Laat het me gerust weten als je nog vragen hebt.\n\nGroet,\nTom\n")
FRESHDESK_VAR = ("Hoi {{ticket.requester.firstname}},\n\nDank je voor je bericht. Ik heb je pakket "
                 "vandaag verzonden; je ontvangt morgen een bevestiging.\n\n"
                 "Laat het me gerust weten als je nog vragen hebt.\n\nGroet,\nTom\n")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def run(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def rules(result) -> list[str]:
    return [f["rule"] for f in findings(result)]


def error_line(result) -> tuple[str, int, int | None, str]:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    m = re.match(r"replylint: (.+?):(\d+)(?::(\d+))?: (.+)", result.stderr.strip().splitlines()[0])
    assert m, result.stderr
    return Path(m.group(1)).name, int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.group(4)


# ------------------------------------------------------------------------------ discovery

def test_replylint_yaml_found_from_cwd_upwards(tmp_path, monkeypatch):
    write(tmp_path / "team" / ".replylint.yaml", NL_ONLY + "fail_on: error\n")
    write(tmp_path / "team" / "lib" / "deep" / "a.txt", "Hoi,\n\nDat weet ik niet.\n")
    monkeypatch.chdir(tmp_path / "team" / "lib" / "deep")
    assert run("check", "a.txt").exit_code == 0        # only warnings; fail_on error
    assert run("check", "--isolated", "a.txt").exit_code == 1  # defaults: fail on warning
    show = run("config", "show")
    assert re.search(r"^fail_on\s+\"error\"\s+# .*team/\.replylint\.yaml:\d+$", show.stdout, re.M)


def test_pyproject_tool_table_found(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", f'[project]\nname = "x"\n\n[tool.replylint]\n'
          f'default_packs = false\npacks = ["{NL_PACK}"]\nfail_on = "never"\n')
    write(tmp_path / "sub" / "a.txt", "Dat weet ik niet.\n")
    monkeypatch.chdir(tmp_path / "sub")
    assert run("check", "a.txt").exit_code == 0
    show = run("config", "show", "--format", "json")
    data = json.loads(show.stdout)
    assert data["fail_on"] == {"value": "never", "origin": f"{tmp_path / 'pyproject.toml'}:7"}


def test_pyproject_without_table_is_skipped_for_one_higher_up(tmp_path, monkeypatch):
    write(tmp_path / ".replylint.yaml", "fail_on: info\n")
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path / "proj")
    data = json.loads(run("config", "show", "-f", "json").stdout)
    assert data["fail_on"]["value"] == "info"


def test_explicit_config_and_missing_config(tmp_path):
    write(tmp_path / "conf" / "team.yaml", "formality: je\n")
    data = json.loads(run("config", "show", "--config", "conf/team.yaml", "-f", "json").stdout)
    assert data["formality"] == {"value": "je", "origin": "conf/team.yaml:1"}
    r = run("check", "--config", "nope.yaml", "a.txt")
    assert r.exit_code == 2
    assert "nope.yaml: configuration file not found" in r.stderr


# ------------------------------------------------------------------------------ bad config

@pytest.mark.parametrize("name,text,line,col,needle", [
    (".replylint.yaml", "fail_on: error\nbogus: 1\n", 2, 1, "unknown field 'bogus'"),
    (".replylint.yaml", "fail_on: error\nformality: 5\n", 2, 12, "'formality' must be a string"),
    (".replylint.yaml", "fail_on: sometimes\n", 1, 10, "'fail_on' must be one of"),
    (".replylint.yaml", "select: [nl, 3]\n", 1, 14, "'select'[1] must be a string"),
    (".replylint.yaml", "severity:\n  nl.jargon: fatal\n", 2, 14, "severity of 'nl.jargon'"),
    (".replylint.yaml", "vocabulary:\n  accept: [ZVX]\n  rejct: [x]\n", 3, 3, "unknown field 'rejct'"),
    (".replylint.yaml", "dialect: zendsk\n", 1, 10, "'dialect' must be one of"),
    (".replylint.yaml", "variables:\n  zendsk: [a]\n", 2, 3, "unknown dialect 'zendsk'"),
    (".replylint.yaml", "overrides:\n  - files: ['*.md']\n    formalty: je\n", 3, 5,
     "unknown field 'formalty' in overrides[0] (did you mean 'formality'?)"),
    (".replylint.yaml", "overrides:\n  - formality: je\n", 2, 5, "missing required field 'files'"),
    (".replylint.yaml", "fail_on: [error\n", 2, 1, "YAML syntax error"),
    ("pyproject.toml", '[tool.replylint]\nfail_on = "error"\nbogus = 1\n', 3, 1, "unknown field 'bogus'"),
    ("pyproject.toml", '[tool.replylint]\n\n  fail_on = 3\n', 3, 3, "'fail_on' must be a string"),
    ("pyproject.toml", '[tool.replylint]\nfail_on = "error"\n\n[tool.replylint.vocabulary]\n'
                       'accept = ["ZVX"]\nbogus = ["x"]\n', 6, 1, "unknown field 'bogus'"),
    ("pyproject.toml", '[tool.replylint]\n\n[[tool.replylint.overrides]]\nfiles = ["*.md"]\n\n'
                       '[[tool.replylint.overrides]]\nfiles = ["*.txt"]\nformalty = "je"\n', 8, 1,
     "unknown field 'formalty' in overrides[1]"),
])
def test_config_errors_name_file_line_and_exit_2(tmp_path, name, text, line, col, needle):
    write(tmp_path / name, text)
    write(tmp_path / "a.txt", "Dat weet ik niet.\n")
    r = run("check", "a.txt")
    fname, l, c, msg = error_line(r)
    assert (fname, l, c) == (name, line, col)
    assert needle in msg
    assert r.stdout == ""
    # config show reports the same error
    assert error_line(run("config", "show"))[:3] == (name, line, col)


def test_toml_syntax_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.replylint\nfail_on = 1\n")
    r = run("config", "show")
    assert r.exit_code == 2
    assert "pyproject.toml: TOML syntax error" in r.stderr


# ------------------------------------------------------------------------------ semantics

def test_formality_je_flags_a_u_only_reply(tmp_path):
    write(tmp_path / ".replylint.yaml", NL_ONLY)
    write(tmp_path / "u.txt", U_REPLY)
    base = run("check", "-f", "json", "u.txt")
    assert base.exit_code == 0 and findings(base) == []
    write(tmp_path / ".replylint.yaml", NL_ONLY + "formality: je\n")
    r = run("check", "-f", "json", "u.txt")
    assert r.exit_code == 1
    forms = [f for f in findings(r) if f["category"] == "formality"]
    assert len(forms) == 7  # every u/uw of the reply
    assert {f["match"] for f in forms} == {"u", "uw"}
    assert all(f["severity"] in ("warning", "error") for f in forms)
    assert (forms[0]["line"], forms[0]["column"]) == (3, 6)
    # and from the command line
    assert run("check", "--config", ".replylint.yaml", "--formality", "u", "u.txt").exit_code == 0


def test_vocabulary_accept_stops_brand_name_being_jargon(tmp_path):
    write(tmp_path / ".replylint.yaml", NL_ONLY)
    write(tmp_path / "b.txt", BRAND_REPLY)
    r = run("check", "-f", "json", "b.txt")
    assert [(f["rule"], f["match"]) for f in findings(r) if f["category"] == "jargon"] == \
        [("nl.jargon.vakjargon", "ZVX-app")]
    write(tmp_path / ".replylint.yaml", NL_ONLY + "vocabulary:\n  accept: [ZVX]\n")
    r = run("check", "-f", "json", "b.txt")
    assert [f for f in findings(r) if f["category"] == "jargon"] == []
    assert r.exit_code == 0


def test_dialect_zendesk_flags_freshdesk_variable(tmp_path):
    write(tmp_path / ".replylint.yaml", NL_ONLY)
    write(tmp_path / "p.txt", FRESHDESK_VAR)
    plain = run("check", "-f", "json", "p.txt")
    assert "nl.placeholder.broken" not in rules(plain)
    write(tmp_path / ".replylint.yaml", NL_ONLY + "dialect: zendesk\n")
    r = run("check", "-f", "json", "p.txt")
    broken = [f for f in findings(r) if f["rule"] == "nl.placeholder.broken"]
    assert len(broken) == 1
    assert broken[0]["match"] == "{{ticket.requester.firstname}}"
    assert (broken[0]["line"], broken[0]["column"]) == (1, 5)
    assert "ticket.requester.first_name" in broken[0]["message"]
    assert broken[0]["severity"] == "error"
    # from the command line too
    assert "nl.placeholder.broken" in rules(run("check", "--isolated", "--pack", NL_PACK,
                                                "--dialect", "zendesk", "-f", "json", "p.txt"))


def test_config_variables_make_a_variable_known(tmp_path):
    write(tmp_path / ".replylint.yaml", NL_ONLY + "dialect: zendesk\nvariables:\n"
          "  zendesk: [ticket.requester.firstname]\n")
    write(tmp_path / "p.txt", FRESHDESK_VAR)
    r = run("check", "-f", "json", "p.txt")
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert "nl.placeholder.broken" not in rules(r)


def test_overrides_per_glob(tmp_path):
    write(tmp_path / ".replylint.yaml", NL_ONLY + "overrides:\n"
          "  - files: ['informeel/**']\n    formality: je\n"
          "  - files: ['*.md']\n    severity: {reassurance: error}\n    ignore: [closing]\n")
    write(tmp_path / "formeel" / "u.txt", U_REPLY)
    write(tmp_path / "informeel" / "sub" / "u.txt", U_REPLY)
    write(tmp_path / "x.txt", "Hoi,\n\nDat weet ik niet.\n")
    write(tmp_path / "notes" / "x.md", "Hoi,\n\nDat weet ik niet.\n")
    r = run("check", "-f", "json", ".")
    by_src: dict[str, list] = {}
    for f in findings(r):
        by_src.setdefault(Path(f["source"]).as_posix().removeprefix("./"), []).append(f)
    assert "formeel/u.txt" not in by_src
    assert {f["category"] for f in by_src["informeel/sub/u.txt"]} == {"formality"}
    txt = {f["rule"]: f["severity"] for f in by_src["x.txt"]}
    md = {f["rule"]: f["severity"] for f in by_src["notes/x.md"]}
    assert txt["nl.reassurance.missing"] == "warning" and md["nl.reassurance.missing"] == "error"
    assert "nl.closing.missing" in txt and "nl.closing.missing" not in md
    assert md["nl.brush-off.weet-niet"] == "warning"  # global settings still apply


def test_override_glob_relative_to_config_file(tmp_path, monkeypatch):
    write(tmp_path / ".replylint.yaml", NL_ONLY + "overrides:\n  - files: ['lib/informeel/*.txt']\n"
          "    formality: je\n")
    write(tmp_path / "lib" / "informeel" / "u.txt", U_REPLY)
    monkeypatch.chdir(tmp_path / "lib")
    r = run("check", "-f", "json", "informeel")
    assert {f["category"] for f in findings(r)} == {"formality"}


def test_config_show_origins(tmp_path):
    write(tmp_path / ".replylint.yaml", "# team settings\nformality: je\n\nvocabulary:\n  accept: [ZVX]\n"
          "ignore: [closing]\n")
    r = run("config", "show", "--fail-on", "error", "--ignore", "jargon", "--dialect", "zendesk")
    assert r.exit_code == 0, r.stderr
    rows = {}
    for line in r.stdout.splitlines():
        m = re.match(r"(\w+)\s+(.+?)\s+# (.+)$", line)
        assert m, line
        rows[m.group(1)] = (json.loads(m.group(2)), m.group(3))
    cfg = str(tmp_path / ".replylint.yaml")
    assert rows["formality"] == ("je", f"{cfg}:2")
    assert rows["vocabulary"] == ({"accept": ["ZVX"]}, f"{cfg}:5")
    assert rows["fail_on"] == ("error", "command line")
    assert rows["dialect"] == ("zendesk", "command line")
    assert rows["ignore"] == (["closing", "jargon"], f"{cfg}:6 + command line")
    assert rows["select"] == ([], "default")
    assert rows["default_packs"] == (True, "default")
    from replylint.config import SPEC
    assert list(rows) == list(SPEC)


def test_config_dialects_match_placeholder_data():
    from replylint.config import DIALECTS
    from replylint.placeholders import DIALECTS as SHIPPED
    assert DIALECTS == SHIPPED


def test_lang_without_pack_is_a_config_error(tmp_path):
    write(tmp_path / "a.txt", "Bonjour.\n")
    r = run("check", "--isolated", "--lang", "fr", "a.txt")
    assert r.exit_code == 2
    assert "lang 'fr' has no rule pack" in r.stderr


def test_cli_pack_path_relative_to_cwd_not_config(tmp_path, monkeypatch):
    write(tmp_path / ".replylint.yaml", NL_ONLY)
    write(tmp_path / "work" / "mypack" / "pack.yaml", "name: mine\nlanguage: nl\nversion: 1.0.0\n")
    write(tmp_path / "work" / "mypack" / "r.yaml",
          "rules:\n  kaas:\n    kind: existence\n    category: jargon\n    severity: warning\n"
          "    message: x\n    patterns: [blauwe kaas]\n")
    write(tmp_path / "work" / "a.txt", "Ik eet blauwe kaas.\n")
    monkeypatch.chdir(tmp_path / "work")
    r = run("check", "--pack", "mypack", "--select", "mine", "-f", "json", "a.txt")
    assert rules(r) == ["mine.r.kaas"]


@pytest.mark.parametrize("glob,source,hit", [
    ("*.md", "notes/deep/x.md", True),          # no slash: the file name anywhere
    ("*.md", "x.txt", False),
    ("informeel/*.txt", "informeel/a.txt", True),
    ("informeel/*.txt", "informeel/sub/a.txt", False),  # * stays within one folder
    ("informeel/**", "./informeel/sub/a.txt", True),
    ("**/en/*.txt", "lib/en/a.txt", True),
    ("**/en/*.txt", "en/a.txt", True),
    ("lib/", "lib/x/y.jsonl", True),
    ("*.md", "-", False),                        # stdin never matches
])
def test_override_globs(tmp_path, glob, source, hit):
    from replylint.config import Override
    assert Override([glob], {}, tmp_path).applies(source) is hit
