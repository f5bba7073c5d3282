"""The library API and the engine's text awareness, on concrete replies."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import replylint
from replylint.config import Config
from replylint.engine import Linter
from replylint.finding import Finding, Severity
from replylint.records import Record
from replylint.yamlpos import ConfigError

NL_ONLY = Config(default_packs=False, packs=[str(Path(__file__).resolve().parents[1] / "rules" / "nl")])


@pytest.fixture(scope="module")
def linter():
    return Linter(Config())


def cats(findings):
    return {f.category for f in findings}


def rules(findings):
    return {f.rule for f in findings}


def test_lint_api_returns_immutable_findings_with_offsets():
    text = "Dat weet ik niet."
    findings = replylint.lint(text, lang="nl")
    brush = [f for f in findings if f.category == "brush-off"]
    assert len(brush) == 1
    f = brush[0]
    assert isinstance(f, Finding)
    assert text[f.start:f.end] == f.match == "weet ik niet"
    assert (f.line, f.column, f.end_line, f.end_column) == (1, 5, 1, 17)
    assert f.suggestions and f.severity is Severity.WARNING
    with pytest.raises(AttributeError):
        f.start = 3  # frozen


def test_inflections_are_one_rule(linter):
    for text in ("Dat wist ik niet.", "Dat weten wij niet.", "Daar weet ik helaas niets van."):
        assert "nl.brush-off.weet-niet" in rules(linter.lint(text, "nl")), text


def test_whole_reply_findings_point_at_first_line(linter):
    text = "Je wachtwoord is gereset.\nMeer regels."
    greeting = [f for f in linter.lint(text, "nl") if f.category == "greeting"]
    assert len(greeting) == 1
    assert (greeting[0].line, greeting[0].column, greeting[0].start) == (1, 1, 0)


def test_good_reply_is_clean(linter):
    text = textwrap.dedent("""\
        Beste meneer Van Dijk,

        Bedankt voor uw bericht. Vervelend dat uw pakket nog niet is aangekomen.
        Ik heb de vervoerder gevraagd het te zoeken en stuur u vandaag een nieuw exemplaar;
        dat heeft u uiterlijk donderdag in huis. Heeft u nog vragen, laat het me gerust weten.

        Met vriendelijke groet,
        Karin
        Webshop Noord""")
    assert linter.lint(text, "nl") == []


def test_quoted_customer_text_is_not_held_against_the_agent(linter):
    text = ("Hoi Sanne,\n\nBedankt voor je bericht. Je schreef dat je het niet meer weet; "
            "geen probleem, ik stuur je vandaag de link.\n\n> Ik weet het niet meer, dit is belachelijk\n\n"
            "Groetjes,\nTijn")
    found = linter.lint(text, "nl")
    assert "brush-off" not in cats(found)
    assert "greeting" not in cats(found) and "reassurance" not in cats(found)


def test_reply_history_below_header_is_ignored(linter):
    text = ("Beste Jan,\n\nBedankt voor uw vraag; ik stuur u morgen de factuur.\n\nGroet,\nEva\n\n"
            "Op 3 mei 2024 om 10:12 schreef Jan <jan@example.nl>:\nDat weet ik niet, geen idee.\n")
    assert "brush-off" not in cats(linter.lint(text, "nl"))


def test_placeholders_are_never_jargon_or_broken(linter):
    text = ("Beste {{ticket.requester.first_name | default: 'klant'}},\n\nBedankt voor je bericht over "
            "ticket #{ticket.number} en bestelling {{var order.increment_id}}. Je retour is binnen en je "
            "krijgt het bedrag uiterlijk woensdag terug.\n\nGroeten,\n{{current_user.first_name}}")
    found = linter.lint(text, "nl")
    assert "jargon" not in cats(found)
    assert "greeting" not in cats(found)


def test_broken_placeholder_is_flagged(linter):
    found = linter.lint("Beste {{ticket.requester.first_name},\n\nBedankt voor je bericht.", "nl")
    ph = [f for f in found if f.category == "placeholder"]
    assert ph and ph[0].severity is Severity.ERROR
    assert ph[0].match.startswith("{{")


def test_signature_is_not_a_greeting(linter):
    found = linter.lint("Uw pas is verstuurd.\n\nMet vriendelijke groet,\nKarin", "nl")
    assert "greeting" in cats(found)


def test_formality_mix(linter):
    found = [f for f in linter.lint("Dank voor uw mail. Je pakket is onderweg.", "nl") if f.category == "formality"]
    assert [f.match for f in found] == ["Je"]


def test_formality_setting_requires_one_form():
    lin = Linter(Config(formality="je"))
    found = [f for f in lin.lint("Hoi Tim, bedankt voor uw vraag. Uw pakket komt morgen.", "nl")
             if f.category == "formality"]
    assert [f.match for f in found] == ["uw", "Uw"]


def test_language_detection_on_short_texts(linter):
    assert linter.detect_language("Geen idee.") == "nl"
    assert linter.detect_language("No idea, sorry.") == "en"
    assert linter.detect_language("Dank je wel!") == "nl"
    assert linter.detect_language("Thanks a lot!") == "en"
    res = linter.lint_record(Record(id="x", text="I don't know."))
    assert res.lang == "en" and "brush-off" in cats(res.findings)


def test_select_and_ignore_by_prefix_and_category():
    assert cats(Linter(Config(select=["brush-off"])).lint("Dat weet ik niet.", "nl")) == {"brush-off"}
    assert "greeting" not in cats(Linter(Config(ignore=["nl.greeting"])).lint("Dat weet ik niet.", "nl"))


def test_severity_override():
    lin = Linter(Config(severity={"brush-off": "error"}))
    f = [f for f in lin.lint("Dat weet ik niet.", "nl") if f.category == "brush-off"][0]
    assert f.severity is Severity.ERROR


def test_inline_suppression_with_reason(linter):
    text = ("{% comment %} replylint: disable=nl.brush-off -- quoted from policy doc {% endcomment %}"
            "Dat weet ik niet.")
    res = linter.lint_record(Record(id="m1", text=text, lang="nl"))
    assert "brush-off" not in cats(res.findings)
    assert "greeting" in cats(res.findings)  # only the named rule is suppressed
    assert res.unused_suppressions == []


def test_unused_suppression_is_reported(linter):
    text = "<!-- replylint: disable=nl.jargon -->Beste Jan, bedankt! Ik stuur het vandaag."
    res = linter.lint_record(Record(id="m2", text=text, lang="nl"))
    assert len(res.unused_suppressions) == 1
    assert res.unused_suppressions[0].rules == ("nl.jargon",)


def test_record_field_suppression(linter):
    res = linter.lint_record(Record(id="m3", text="Dat weet ik niet.", lang="nl", suppress=("brush-off",)))
    assert "brush-off" not in cats(res.findings)


def test_positions_map_through_record_locator(linter):
    from replylint.records import TextLocator
    rec = Record(id="r", text="Hallo,\nDat weet ik niet.", source="lib.txt", lang="nl",
                 locator=TextLocator("Hallo,\nDat weet ik niet.", base_line=10, base_column=3))
    f = [f for f in linter.lint_record(rec).findings if f.category == "brush-off"][0]
    assert (f.source, f.line, f.column) == ("lib.txt", 11, 5)


def test_lint_records_streams_in_order(linter):
    recs = (Record(id=str(i), text="Dat weet ik niet." if i % 2 else "Hoi! Top, ik regel het morgen.", lang="nl")
            for i in range(600))
    ids = [r.record.id for r in linter.lint_records(recs)]
    assert ids == [str(i) for i in range(600)]


def test_user_pack_adds_disables_and_relevels(tmp_path):
    pack = tmp_path / "acme.yaml"
    pack.write_text(textwrap.dedent("""\
        pack:
          name: acme
          language: nl
          disable: [nl.greeting]
          severity: {nl.brush-off: info}
        rules:
          concurrent:
            kind: existence
            category: internal-talk
            patterns: ["(bol.com|coolblue)"]
            message: "Noem geen concurrent: {match}"
            examples: {fail: ["Bij bol.com is het goedkoper."], pass: ["Bij ons is het goedkoper."]}
        """), encoding="utf-8")
    lin = Linter(Config(packs=[str(pack)]))
    found = lin.lint("Dat weet ik niet. Bij Coolblue is het goedkoper.", "nl")
    assert "acme.concurrent" in rules(found)
    assert "greeting" not in cats(found)
    brush = [f for f in found if f.category == "brush-off"][0]
    assert brush.severity is Severity.INFO


def test_pack_extends_shipped_pack(tmp_path):
    d = tmp_path / "formal"
    d.mkdir()
    (d / "pack.yaml").write_text("name: formal\nlanguage: nl\nextends: [nl]\n", encoding="utf-8")
    (d / "extra.yaml").write_text(textwrap.dedent("""\
        rules:
          hoi:
            kind: existence
            category: formality
            scope: all
            patterns: ["=hoi"]
            message: "Gebruik een formele aanhef."
            examples: {fail: ["Hoi Jan,"], pass: ["Beste Jan,"]}
        """), encoding="utf-8")
    lin = Linter(Config(default_packs=False, packs=[str(d)]))
    assert {p.name for p in lin.packs} == {"nl", "formal"}
    assert "formal.extra.hoi" in rules(lin.lint("Hoi Jan, dat weet ik niet.", "nl"))


@pytest.mark.parametrize("yaml_text, expect", [
    ("rules:\n  x:\n    kind: existence\n    category: blame\n    message: m\n    patterns: [a\n",
     "bad.yaml:7:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence that started "
     "at line 6, column 15)"),
    ("rules:\n  x:\n    kind: existence\n    category: blame\n    mesage: m\n    patterns: [a]\n",
     "bad.yaml:5:5: unknown field 'mesage' in rule bad.bad.x (did you mean 'message'?)"),
    ("rules:\n  x:\n    kind: existence\n    category: blame\n    message: m\n    regex: ['(a']\n",
     "bad.yaml:6:13: regex: regular expression '(a' does not compile"),
    ("rules:\n  x:\n    kind: nonsense\n    category: blame\n    message: m\n",
     "bad.yaml:3:11: rule bad.bad.x: unknown kind 'nonsense'"),
    ("rules:\n  x:\n    kind: existence\n    category: rudeness\n    message: m\n    patterns: [a]\n",
     "bad.yaml:4:15: rule bad.bad.x: 'category' must be one of"),
    ("rules:\n  x:\n    kind: existence\n    category: blame\n    message: m\n    patterns: [a, 5]\n",
     "bad.yaml:6:19: rule bad.bad.x: 'patterns'[1] must be a string"),
])
def test_broken_pack_names_file_line_column(tmp_path, yaml_text, expect):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "pack.yaml").write_text("name: bad\nlanguage: nl\n", encoding="utf-8")
    (d / "bad.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        Linter(Config(default_packs=False, packs=[str(d)]))
    assert expect in str(exc.value)
    assert str(exc.value).startswith(str(d / "bad.yaml"))


def test_regex_engine_cannot_hang(tmp_path):
    # catastrophic backtracking in a backtracking engine; RE2 is linear
    d = tmp_path / "re"
    d.mkdir()
    (d / "pack.yaml").write_text("name: re\nlanguage: nl\n", encoding="utf-8")
    (d / "r.yaml").write_text(
        "rules:\n  evil:\n    kind: existence\n    category: blame\n    message: m\n"
        "    regex: ['(a+)+$']\n    examples: {fail: [aaa], pass: [b]}\n", encoding="utf-8")
    lin = Linter(Config(default_packs=False, packs=[str(d)]))
    text = "a" * 5000 + "!"
    assert lin.lint(text, "nl") == []  # returns (quickly) instead of hanging


def test_pattern_groups_and_defines(tmp_path):
    d = tmp_path / "g"
    d.mkdir()
    (d / "pack.yaml").write_text("name: g\nlanguage: nl\ndefine: {kanaal: 'bellen|mailen'}\n", encoding="utf-8")
    (d / "r.yaml").write_text(textwrap.dedent("""\
        rules:
          kanaal:
            kind: existence
            category: channel-switch
            patterns: ["alleen (per post|via het formulier)", "moeten u $kanaal"]
            message: m
        """), encoding="utf-8")
    lin = Linter(Config(default_packs=False, packs=[str(d)]))
    assert [f.match for f in lin.lint("Dat kan alleen per post.", "nl")] == ["alleen per post"]
    assert [f.match for f in lin.lint("Dan moet u mailen.", "nl")] == ["moet u mailen"]
    assert [f.match for f in lin.lint("Dan moest u bellen.", "nl")] == ["moest u bellen"]
    assert lin.lint("Dan moet u schrijven.", "nl") == []


def test_nl_only_config_loads_only_dutch():
    lin = Linter(NL_ONLY)
    assert {p.name for p in lin.packs} == {"nl"}


def test_list_define_splices_into_unless_and_num_covers_clock_times(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "pack.yaml").write_text("name: d\nlanguage: nl\ndefine: {alternatief: [uitzoeken, '=wel']}\n",
                                 encoding="utf-8")
    (d / "r.yaml").write_text(textwrap.dedent("""\
        rules:
          weet:
            kind: existence
            category: brush-off
            patterns: ["weten ik niet"]
            unless: [$alternatief, navragen]
            message: m
          tijd:
            kind: existence
            category: vague-timing
            patterns: ["om #num"]
            message: m
        """), encoding="utf-8")
    lin = Linter(Config(default_packs=False, packs=[str(d)]))
    rule = next(r for r in lin.all_rules if r.id == "d.r.weet")
    assert len(rule.unless.phrases) == 3  # uitzoeken, =wel, navragen
    assert rules(lin.lint("Dat weet ik niet.", "nl")) == {"d.r.weet"}
    assert lin.lint("Dat weet ik niet, ik ga het uitzoeken.", "nl") == []
    assert lin.lint("Dat weet ik niet, ik ga het navragen.", "nl") == []
    assert [f.match for f in lin.lint("Ik bel u om 09:15.", "nl")] == ["om 09:15"]
    assert lin.lint("Ik bel u om een uur of tien.", "nl") == []


def test_short_quotes_stay_visible_long_quotes_are_masked(linter):
    found = linter.lint('Hoi Sam,\n\nDe "gratis" installatie is een lachertje hier. Ik stuur morgen de pas.', "nl")
    assert "internal-talk" in cats(found)
    found = linter.lint('Hoi Sam,\n\nJe schreef: "Dit is een lachertje, echt waardeloos." Ik stuur morgen de pas.',
                        "nl")
    assert "internal-talk" not in cats(found)


def test_lint_keyword_calls_reuse_a_linter_and_leave_config_alone():
    first = replylint.lint("Dat weet ik niet.", "nl", select=["brush-off"])
    again = replylint.lint("Geen idee.", "nl", select=["brush-off"])
    assert cats(first) == cats(again) == {"brush-off"}
    from replylint import engine
    assert len([k for k in engine._KEYED if k[1] == ("brush-off",)]) == 1
    cfg = Config(formality="u")
    found = replylint.lint("Dat weet ik niet.", "nl", config=cfg, select=["greeting"])
    assert cats(found) == {"greeting"}
    assert cfg.select == []  # the caller's object is untouched
