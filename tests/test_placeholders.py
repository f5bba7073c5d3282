"""Tests for replylint.placeholders: spans in every syntax, dialect data, placeholder problems."""
from __future__ import annotations

import dataclasses
import glob
import json
import os

import pytest

from replylint.placeholders import (
    DIALECTS,
    PlaceholderProblem,
    check_placeholders,
    detect_dialect,
    load_dialect,
    template_spans,
)

CORPUS = "/work/shared/corpus/raw"


def spans_text(text):
    return [(text[s:e], k) for s, e, k in template_spans(text)]


def codes(problems):
    return [p.code for p in problems]


# --------------------------------------------------------------------------- spans

@pytest.mark.parametrize("text, expected", [
    # Liquid / Handlebars / Mustache variables, with filters and fallbacks
    ("Hoi {{first_name}}!", [(4, 18, "variable")]),
    ('Hi {{first_name | fallback: "there"}},', [(3, 37, "variable")]),
    ("Beste {{ticket.requester.first_name | default: 'klant'}},", [(6, 56, "variable")]),
    ("{{ signal.created_at|date:\"j F Y\" }}", [(0, 36, "variable")]),
    ("{{{body_html}}}", [(0, 15, "variable")]),
    ("Hi {{ ${first_name} | default: 'Valued User' }}", [(3, 47, "variable")]),
    # Liquid tags and comment blocks
    ("{% if ticket.requester.first_name %}x{% endif %}",
     [(0, 36, "tag"), (37, 48, "tag")]),
    ("a {% comment %}intern: niet sturen{% endcomment %} b", [(2, 50, "comment")]),
    ("{{!-- note --}}{{! kort }}{# django #}",
     [(0, 15, "comment"), (15, 26, "comment"), (26, 38, "comment")]),
    ("{{#if vip}}Dank!{{else}}Dank.{{/if}}",
     [(0, 11, "tag"), (16, 24, "tag"), (29, 36, "tag")]),
    # Help Scout
    ("Hi {%customer.firstName,fallback=there%},", [(3, 40, "variable")]),
    ("{%mailbox.email%}", [(0, 17, "variable")]),
    # Zammad, osTicket
    ("Ticket #{ticket.number} ontvangen", [(7, 23, "variable")]),
    ("#{config.http_type}://#{config.fqdn}/#ticket/zoom/#{ticket.id}",
     [(0, 19, "variable"), (22, 36, "variable"), (50, 62, "variable")]),
    ("Ticket %{ticket.number} - %{recipient.name.first}",
     [(7, 23, "variable"), (26, 49, "variable")]),
    # Magento
    ("Order {{var order.increment_id}}", [(6, 32, "variable")]),
    ("{{htmlescape var=$customer.name}}", [(0, 33, "variable")]),
    ('{{trans "Thank you, %name" name=$customer.name}}', [(0, 48, "variable")]),
    ("{{depend order.getEmailCustomerNote()}}<p>{{var order.getEmailCustomerNote()}}</p>{{/depend}}",
     [(0, 39, "tag"), (42, 78, "variable"), (82, 93, "tag")]),
    ('{{template config_path="design/email/header"}}', [(0, 46, "tag")]),
    # PrestaShop / generic single braces, municipal, $, brackets, percent
    ("Beste {firstname} {lastname}, {shop_name}",
     [(6, 17, "variable"), (18, 28, "variable"), (30, 41, "variable")]),
    ("Zaak {ZAAKNUMMER} van {INITIATOR}", [(5, 17, "variable"), (22, 33, "variable")]),
    ("Hi ${name},", [(3, 10, "variable")]),
    ("Dear [FIRSTNAME], order [ORDER_ID]", [(5, 16, "variable"), (24, 34, "variable")]),
    ("Dear %FIRSTNAME%, %%GLOBAL_ShopName%%", [(5, 16, "variable"), (18, 37, "variable")]),
    ("Graag voor [vul datum in] terugsturen", [(11, 25, "variable")]),
])
def test_spans_exact(text, expected):
    assert template_spans(text) == expected


def test_span_texts_are_the_whole_construct():
    text = "Beste {{ticket.requester.first_name}}, uw ticket #{ticket.number} is %{ticket.status}."
    assert spans_text(text) == [
        ("{{ticket.requester.first_name}}", "variable"),
        ("#{ticket.number}", "variable"),
        ("%{ticket.status}", "variable"),
    ]


@pytest.mark.parametrize("text", [
    "Zie [bijlage] voor de details.",
    "Lees [reacties van klanten] op onze site.",
    "Check the [DCO](https://developercertificate.org/) first.",
    "See [BUG][1] and [docs]: https://example.org",
    "Zie bijlage {zie hieronder} en {  }.",
    "Optie [A] of [B].",
    "Korting van 50% op alles, 20% extra.",
    "",
    "Gewone tekst zonder iets bijzonders.",
])
def test_prose_is_not_a_placeholder(text):
    assert template_spans(text) == []


def test_hash_before_plain_brace_is_prestashop_not_zammad():
    # "#{id_order_return}" in PrestaShop is a literal '#' followed by {id_order_return}
    text = "Retour #{id_order_return} is {state_order_return}."
    assert spans_text(text) == [("{id_order_return}", "variable"),
                                ("{state_order_return}", "variable")]


def test_spans_sorted_and_disjoint():
    text = "{{a}}{{b}} {%if x%}{{c | default: 'y'}}{%endif%} [NAME] %{d.e} #{f.g} ${h} {i}"
    sp = template_spans(text)
    assert [t[:2] for t in sp] == sorted(t[:2] for t in sp)
    assert all(a[1] <= b[0] for a, b in zip(sp, sp[1:]))
    assert len(sp) == 10


def _corpus_texts():
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                yield os.path.basename(path), rec.get("id"), rec["text"]


needs_corpus = pytest.mark.skipif(not glob.glob(os.path.join(CORPUS, "*.jsonl")),
                                  reason="shared corpus not present")


@needs_corpus
def test_corpus_no_brace_left_outside_spans():
    """Every placeholder in the shared corpus is recognised: no '{', '}', '#{' or '%{'
    remains outside a recognised span (there are no exceptions in the current corpus)."""
    leftovers = []
    n_spans = 0
    for fname, rid, text in _corpus_texts():
        sp = template_spans(text)
        n_spans += len(sp)
        covered = bytearray(len(text))
        for s, e, _ in sp:
            covered[s:e] = b"\x01" * (e - s)
        for i, ch in enumerate(text):
            if ch in "{}" and not covered[i]:
                leftovers.append((fname, rid, text[max(0, i - 20):i + 20]))
    assert leftovers == []
    assert n_spans > 800  # the corpus really is placeholder-rich


@needs_corpus
def test_corpus_real_placeholders_recognised():
    seen = {t for _, _, text in _corpus_texts() for t, _ in spans_text(text)}
    for expected in ["{{var order.increment_id}}", "{{htmlescape var=$customer.name}}",
                     "%{ticket.number}", "%{recipient.name.first}", "#{ticket.number}",
                     "#{config.fqdn}", "{firstname}", "{shop_name}", "{ZAAKNUMMER}",
                     "{{ signal.sia_id }}", '{{ signal.created_at|date:"DATETIME_FORMAT" }}',
                     "[vul datum in]", "[Vul email in]"]:
        assert expected in seen, expected


@needs_corpus
def test_corpus_only_real_bug_is_reported():
    """Without a dialect, the only problem in the whole corpus is the real osTicket NL bug
    ``% {ticket.name},`` (a space after the percent sign)."""
    found = []
    for fname, rid, text in _corpus_texts():
        for p in check_placeholders(text, None):
            found.append((fname, p.code, text[p.start:p.end], p.suggestion))
    assert found == [("nl_osticket_nl_language_pack.jsonl", "malformed", "% {ticket.name}",
                      "%{ticket.name}")]


@needs_corpus
def test_corpus_dialect_detection():
    by_file = {}
    for fname, _, text in _corpus_texts():
        by_file.setdefault(fname, []).append(detect_dialect(text))
    expect = {
        "en_openmage_magento_lts_email_templates.jsonl": "magento",
        "nl_magento1_ho_nl_NL_email_templates.jsonl": "magento",
        "en_osticket_templates.jsonl": "osticket",
        "nl_osticket_nl_language_pack.jsonl": "osticket",
        "en_zammad_triggers_and_text_modules.jsonl": "zammad",
        "en_thirtybees_prestashop16_mails.jsonl": "prestashop",
        "nl_prestashop17_MgWebNL_webshop_mails.jsonl": "prestashop",
    }
    for fname, dialect in expect.items():
        got = {g for g in by_file[fname] if g is not None}
        assert got == {dialect}, (fname, got)
    # Django templates and plain replies are not attributed to a helpdesk
    for fname in ("nl_amsterdam_signals_citizen_emails.jsonl",
                  "en_twitter_customer_support_sample_company_replies.jsonl",
                  "nl_project56_webshop_chatbot_replies.jsonl"):
        assert set(by_file[fname]) == {None}, fname


# --------------------------------------------------------------------------- dialects

@pytest.mark.parametrize("name", DIALECTS)
def test_dialect_files_load(name):
    d = load_dialect(name)
    assert d.name == name
    assert d.syntax
    assert d.variables
    assert d.name_variables
    # every name variable is itself a known variable
    assert all(d.knows(v) for v in d.name_variables), name
    assert d.fallback is None or ("VAR" in d.fallback and "FALLBACK" in d.fallback)


def test_dialect_yaml_cites_documentation():
    from importlib import resources
    for name in DIALECTS:
        head = resources.files("replylint").joinpath(
            "data", "dialects", f"{name}.yaml").read_text(encoding="utf-8").split("\nname:")[0]
        assert "https://" in head, name


def test_unknown_dialect_lists_known_ones():
    with pytest.raises(ValueError) as exc:
        load_dialect("kayako")
    msg = str(exc.value)
    assert "kayako" in msg
    for name in DIALECTS:
        assert name in msg


def test_load_dialect_is_cached_and_merges_extras():
    assert load_dialect("zendesk") is load_dialect("zendesk")
    d = load_dialect("zendesk", ["ticket.requester.loyalty_tier", "shop.*"])
    assert d.knows("ticket.requester.loyalty_tier")
    assert d.knows("shop.opening_hours")
    assert not load_dialect("zendesk").knows("ticket.requester.loyalty_tier")


@pytest.mark.parametrize("name, path, known", [
    ("zendesk", "ticket.ticket_field_360001234567", True),
    ("zendesk", "ticket.ticket_field_option_title_360001234567", True),
    ("zendesk", "dc.greeting_formal", True),
    ("zendesk", "ticket.requester.first_name", True),
    ("zendesk", "ticket.requester.firstname", False),
    ("freshdesk", "ticket.requester.firstname", True),
    ("freshdesk", "ticket.requester.first_name", False),
    ("intercom", "custom_attribute.plan_name", True),
    ("gorgias", "ticket.messages[].body_text", True),
    ("gorgias", "ticket.customer.integrations.shopify.orders[].name", True),
    ("zammad", "ticket.customer.firstname", True),
    ("osticket", "ticket.dept.name", True),
    ("magento", "order.getCustomerName()", True),
    ("prestashop", "firstname", True),
])
def test_known_variables_and_wildcards(name, path, known):
    assert load_dialect(name).knows(path) is known


# --------------------------------------------------------------------------- detection

@pytest.mark.parametrize("text, dialect", [
    ("Beste {{ticket.requester.first_name}}, ticket {{ticket.id}}", "zendesk"),
    ("Hallo {{ticket.requester.firstname}}, zie {{ticket.portal_url}}", "freshdesk"),
    ('Hi {{first_name | fallback: "there"}},', "intercom"),
    ("Hi {%customer.firstName,fallback=there%},", "helpscout"),
    ("Hi {{ticket.customer.firstname}}, {{current_user.firstname}}", "gorgias"),
    ("Hi {{recipient.first_name}}, {{user.first_name}}", "front"),
    ("Uw ticket #{ticket.number}", "zammad"),
    ("Ticket %{ticket.number}", "osticket"),
    ("Order {{var order.increment_id}}", "magento"),
    ("Beste {firstname} {lastname}", "prestashop"),
    ("Geen placeholders hier.", None),
    ("Zaak {ZAAKNUMMER}", None),
    ("{{ticket.id}}", None),            # zendesk, freshdesk and gorgias all know it
    ("{{ email }} {{ phone }}", None),  # bare names are too weak to decide
])
def test_detect_dialect(text, dialect):
    assert detect_dialect(text) == dialect


# --------------------------------------------------------------------------- problems

def test_problem_is_frozen_dataclass():
    p = PlaceholderProblem(0, 1, "malformed", "x", None)
    assert dataclasses.is_dataclass(p)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.code = "unbalanced"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(p)] == [
        "start", "end", "code", "message", "suggestion"]


@pytest.mark.parametrize("dialect", [None, "zendesk"])
def test_unbalanced_single_closing_brace(dialect):
    text = "Beste {{ticket.requester.first_name},\n\nBedankt."
    probs = check_placeholders(text, dialect)
    assert [(p.start, p.end, p.code, p.suggestion) for p in probs] == [
        (6, 36, "unbalanced", "{{ticket.requester.first_name}}")]


def test_unbalanced_extra_closing_brace():
    text = "Hoi {{name}}} hoe gaat het"
    probs = check_placeholders(text, None)
    assert [(p.start, p.end, p.code, p.suggestion) for p in probs] == [
        (4, 13, "unbalanced", "{{name}}")]


def test_unbalanced_never_closed_and_stray_closer():
    probs = check_placeholders("Hallo {{ticket.requester.name, tot ziens", None)
    assert [(p.code, p.start, p.suggestion) for p in probs] == [
        ("unbalanced", 6, "{{ticket.requester.name}}")]
    probs = check_placeholders("Hallo name}} daar", None)
    assert [(p.code, p.start, p.end) for p in probs] == [("unbalanced", 10, 12)]
    probs = check_placeholders("Ticket %{ticket.number is open", None)
    assert codes(probs) == ["unbalanced"]


def test_unbalanced_block_tags():
    probs = check_placeholders("{% if ticket.requester.first_name %}Beste x,", None)
    assert [(p.code, p.start, p.end, p.suggestion) for p in probs] == [
        ("unbalanced", 0, 36, "{% endif %}")]
    probs = check_placeholders("Dank {% endif %}", None)
    assert codes(probs) == ["unbalanced"]
    probs = check_placeholders("{{#if vip}}Dank!", None)
    assert [(p.code, p.suggestion) for p in probs] == [("unbalanced", "{{/if}}")]
    probs = check_placeholders("{{depend comment}}<p>{{var comment}}</p>", "magento")
    assert [(p.code, p.suggestion) for p in probs] == [("unbalanced", "{{/depend}}")]
    probs = check_placeholders("{% comment %} nooit gesloten", None)
    assert codes(probs) == ["unbalanced"]


@pytest.mark.parametrize("text", [
    "{% if ticket.requester.first_name %}Beste {{ticket.requester.first_name}},"
    "{% else %}Beste klant,{% endif %}",
    "{% for c in ticket.comments %}{{c.value}}{% endfor %}",
    "{% comment %}intern{% endcomment %}Beste klant,",
    "{{#if vip}}Dank!{{else}}Dank.{{/if}}",
    "{{depend comment}}<p>{{var comment}}</p>{{/depend}}",
    "{{{body}}} en {{body}}",
])
def test_balanced_blocks_raise_nothing(text):
    assert check_placeholders(text, None) == []


def test_malformed_empty_space_in_name_spaced_braces():
    text = "{{ }} en {{first name}} en { {name}}"
    probs = check_placeholders(text, None)
    assert [(p.start, p.end, p.code, p.suggestion) for p in probs] == [
        (0, 5, "malformed", None),
        (9, 23, "malformed", "{{first_name}}"),
        (27, 36, "malformed", "{{name}}"),
    ]


def test_malformed_name_suggestion_uses_dialect():
    probs = check_placeholders("Hi {{first name}},", "intercom")
    assert [(p.code, p.suggestion) for p in probs] == [("malformed", "{{first_name}}")]


def test_malformed_other_cases():
    assert [(p.code, p.suggestion) for p in check_placeholders("{{ticket. id}}", None)] == [
        ("malformed", "{{ticket.id}}")]
    assert [(p.code, p.suggestion) for p in check_placeholders("{{name} }", None)] == [
        ("malformed", "{{name}}")]
    assert [(p.code, p.suggestion) for p in check_placeholders("% {ticket.name},", None)] == [
        ("malformed", "%{ticket.name}")]
    assert codes(check_placeholders('Hi {{first_name | fallback: ""}},', None)) == ["malformed"]
    assert codes(check_placeholders("Hi {%customer.firstName,fallback=%},", None)) == [
        "malformed"]


@pytest.mark.parametrize("text", [
    "{{ticket.requester.first_name}}",
    "{{format_date ticket.created_at}}",   # Handlebars helper call, not a spaced name
    "{{t 'greeting'}}",
    "{{var order.increment_id}}",
    '{{trans "Your order #%id" id=$order.increment_id}}',
])
def test_not_malformed(text):
    assert "malformed" not in codes(check_placeholders(text, None))
    assert "unbalanced" not in codes(check_placeholders(text, None))


def test_unknown_variable_freshdesk_in_zendesk():
    text = "Beste {{ticket.requester.firstname}},\n\nDank voor uw bericht."
    probs = check_placeholders(text, "zendesk")
    assert len(probs) == 1
    p = probs[0]
    assert (p.start, p.end, p.code) == (6, 36, "unknown-variable")
    assert p.suggestion == "{{ticket.requester.first_name}}"
    assert "ticket.requester.first_name" in p.message


def test_unknown_variable_keeps_filters_in_suggestion():
    text = "Hi {{ticket.requester.firstname | default: 'klant'}}, ticket {{ticket.idd}}"
    probs = check_placeholders(text, "zendesk")
    assert [(p.code, p.suggestion) for p in probs] == [
        ("unknown-variable", "{{ticket.requester.first_name | default: 'klant'}}"),
        ("unknown-variable", "{{ticket.id}}"),
    ]


def test_unknown_variable_zendesk_in_freshdesk():
    probs = check_placeholders("Hallo {{ticket.requester.first_name | default: 'klant'}}",
                               "freshdesk")
    assert [(p.code, p.suggestion) for p in probs] == [
        ("unknown-variable", "{{ticket.requester.firstname | default: 'klant'}}")]


def test_unknown_variable_foreign_syntax():
    probs = check_placeholders("Uw ticket #{ticket.number} en {firstname}", "zendesk")
    assert [(p.code, p.start) for p in probs] == [("unknown-variable", 10),
                                                  ("unknown-variable", 30)]
    assert probs[1].suggestion == "{{ticket.requester.first_name}}"
    # and the other way round: Liquid in an osTicket template
    probs = check_placeholders("Ticket {{ticket.number}}", "osticket")
    assert [(p.code, p.suggestion) for p in probs] == [("unknown-variable", "%{ticket.number}")]


def test_unknown_variable_only_with_dialect_and_not_for_known_or_extra():
    text = "Beste {{ticket.requester.firstname}}, zie {{ticket.requester.loyalty_tier}}"
    assert "unknown-variable" not in codes(check_placeholders(text, None))
    assert check_placeholders("Ticket {{ticket.id}}: {{ticket.ticket_field_123}}", "zendesk") == []
    probs = check_placeholders("Tier: {{ticket.requester.loyalty_tier}}", "zendesk",
                               known_variables={"zendesk": ["ticket.requester.loyalty_tier"]})
    assert probs == []
    probs = check_placeholders("Tier: {{ticket.requester.loyalty_tier}}", "zendesk")
    assert codes(probs) == ["unknown-variable"]


def test_fill_in_markers_are_not_unknown_variables():
    assert check_placeholders("Graag voor [vul datum in] reageren.", "zendesk") == []


def test_no_fallback_intercom_and_correct_greeting():
    good = 'Hi {{first_name | fallback: "there"}},\n\nThanks for reaching out.'
    assert check_placeholders(good, "intercom") == []
    assert check_placeholders(good, None) == []
    bad = "Hi {{first_name}},\n\nThanks for reaching out."
    probs = check_placeholders(bad, "intercom")
    assert [(p.start, p.end, p.code, p.suggestion) for p in probs] == [
        (3, 17, "no-fallback", '{{first_name | fallback: "there"}}')]


def test_no_fallback_helpscout_dutch():
    probs = check_placeholders("Beste {%customer.firstName%},\n\nDank.", "helpscout")
    assert [(p.code, p.suggestion) for p in probs] == [
        ("no-fallback", "{%customer.firstName,fallback=klant%}")]
    assert check_placeholders("Beste {%customer.firstName,fallback=klant%},", "helpscout") == []


def test_no_fallback_zendesk_uses_liquid_if():
    probs = check_placeholders("Beste {{ticket.requester.first_name}},", "zendesk")
    assert [(p.code, p.suggestion) for p in probs] == [(
        "no-fallback",
        "{% if ticket.requester.first_name != blank %}{{ticket.requester.first_name}}"
        "{% else %}klant{% endif %}")]
    guarded = ("{% if ticket.requester.first_name != blank %}Beste "
               "{{ticket.requester.first_name}},{% else %}Beste klant,{% endif %}")
    assert check_placeholders(guarded, "zendesk") == []
    assert check_placeholders("Beste {{ticket.requester.first_name | default: 'klant'}},",
                              "zendesk") == []


def test_no_fallback_only_in_greeting():
    text = "Hi there,\n\nWe updated the account of {{first_name}}."
    assert check_placeholders(text, "intercom") == []
    # an explicit greeting_end widens or narrows the region
    assert codes(check_placeholders(text, "intercom", greeting_end=len(text))) == ["no-fallback"]
    assert check_placeholders("Hi {{first_name}},", "intercom", greeting_end=2) == []
    # leading blank lines are skipped to find the first line
    assert codes(check_placeholders("\n\nHi {{first_name}},", "intercom")) == ["no-fallback"]


def test_no_fallback_not_for_dialects_without_fallback_or_non_name_variables():
    assert check_placeholders("Beste {firstname},", "prestashop") == []
    assert check_placeholders("Beste #{ticket.customer.firstname},", "zammad") == []
    assert check_placeholders("Ticket {{ticket.id}} is bijgewerkt.", "zendesk") == []


def test_no_fallback_uses_detected_dialect_without_one():
    assert codes(check_placeholders("Hi {%customer.firstName%},", None)) == ["no-fallback"]
    assert check_placeholders("Hi {{first_name}},", None) == []  # dialect undecidable


@pytest.mark.parametrize("text, span", [
    ("Beste ,\n\nDank.", (0, 7)),
    ("Hi ,\nthanks", (0, 4)),
    ("Dear ,", (0, 6)),
    ("Dear,\nthanks", (0, 5)),
    ("Geachte heer ,", (0, 14)),
    ("Dear Mr,", (0, 8)),
    ("Hallo !", (0, 7)),
    ("Bedankt.\nBeste ,", (9, 16)),
])
def test_empty_name(text, span):
    probs = check_placeholders(text, None)
    assert [(p.start, p.end, p.code) for p in probs] == [(span[0], span[1], "empty-name")]


@pytest.mark.parametrize("text", [
    "Hallo,\n\nDank voor uw bericht.",
    "Hi,\nthanks",
    "Geachte heer/mevrouw,",
    "Dear Sir or Madam,",
    "Beste Jan,",
    "Beste klant,",
    "Beste {{ticket.requester.first_name | default: 'klant'}},",
    "Bestellingen: twee.",
    "Hier ,kijk",
])
def test_not_empty_name(text):
    assert "empty-name" not in codes(check_placeholders(text, None))


def test_clean_reply_has_no_problems_in_any_dialect():
    text = "Beste klant,\n\nBedankt voor uw bericht. Wij nemen binnen twee werkdagen contact op."
    for name in DIALECTS:
        assert check_placeholders(text, name) == []
    assert check_placeholders("", "zendesk") == []
    assert template_spans("") == []


def test_problems_sorted_and_not_overlapping():
    text = "Beste ,\n{{first name}} {{x},  {{ }} {% if a %}"
    probs = check_placeholders(text, "zendesk")
    assert [p.start for p in probs] == sorted(p.start for p in probs)
    assert all(a.end <= b.start for a, b in zip(probs, probs[1:]))
    assert set(codes(probs)) == {"empty-name", "malformed", "unbalanced"}
