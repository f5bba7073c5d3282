"""Helpdesk template exports, read in the shapes their public APIs return.

Each extractor takes the parsed document and an :class:`~.structured.Extraction`.  The shapes
come from the platforms' API documentation (fixtures and sources in
``tests/fixtures/exports/README.md``):

* Zendesk macros -- https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/
  and the actions reference
  https://developer.zendesk.com/documentation/ticketing/reference-guides/actions-reference/ :
  ``{"macros": [...]}`` (List Macros), ``{"macro": {...}}`` (Show Macro) or a list; the
  reply is the ``actions[]`` entry whose ``field`` is ``comment_value`` (plain) or
  ``comment_value_html`` (HTML); the value may be a ``[channel, text]`` list such as
  ``["channel:all", "..."]``.  ``comment_mode_is_public: "false"`` -> ``meta["public"]=False``.
* Freshdesk canned responses -- https://developers.freshdesk.com/api/#canned-responses :
  objects with ``title``, ``content`` (plain) and ``content_html``; a list (List canned
  responses in a folder) or one object (View a canned response).  ``content_html`` is used.
* Intercom macros -- https://developers.intercom.com/docs/references/preview/rest-api/api.intercom.io/macros/macro :
  ``{"type": "list", "data": [{"type": "macro", "name", "body" (HTML), "body_text"}]}``.
  ``body_text`` is preferred: it keeps the placeholders in Intercom's own ``{{...}}`` form,
  whereas ``body`` carries them as ``<attribute key=.. default=../>``.
* Help Scout saved replies -- https://developer.helpscout.com/mailbox-api/endpoints/inboxes/saved_Replies/saved-replies-get/ :
  ``{id, name, text (HTML), chatText}``; a list of them (the List endpoint returns only
  ``preview``/``chatPreview`` -- read too, as plain text, marked ``meta["preview"]=True``).
* Gorgias macros -- https://developers.gorgias.com/reference/the-macro-object :
  ``{"data": [...]}`` or a list; the ``actions[]`` entry named ``setResponseText`` holds
  ``arguments.body_html`` / ``arguments.body_text``; ``language`` -> ``Record.lang``.
* Front message templates -- https://dev.frontapp.com/reference/message-templates :
  ``{"_results": [...]}`` or a list of ``{id, name, subject, body (HTML)}``.
* Zammad text modules -- https://docs.zammad.org/en/latest/api/intro.html (``/api/v1/text_modules``)
  and the admin docs' CSV import (``name;keywords;content;note;active``, content is HTML):
  a YAML/JSON list of ``{id, name, keywords, content, ...}`` (the CSV form is in
  :mod:`.csvfile`).
* generic: ``[{id, text, lang?, dialect?, ...}]`` or ``{"replies": [...]}``.
"""
from __future__ import annotations

from replylint.readers._common import (
    META_FIELDS,
    SUPPRESS_FIELD,
    parse_suppress,
    str_id,
)

PLATFORMS = ("zendesk", "freshdesk", "intercom", "helpscout", "gorgias", "front", "zammad")
_WRAPPERS = ("macros", "data", "_results", "replies", "canned_responses", "saved_replies",
             "text_modules", "message_templates")


def _items(value, keys=_WRAPPERS, single_key: str | None = None):
    """(item, path) pairs for the records of a document: a list, ``{key: [...]}`` or one object."""
    if isinstance(value, list):
        return [(it, (i,)) for i, it in enumerate(value)]
    if isinstance(value, dict):
        if single_key and isinstance(value.get(single_key), dict):
            return [(value[single_key], (single_key,))]
        for k in keys:
            v = value.get(k)
            if isinstance(v, list):
                return [(it, (k, i)) for i, it in enumerate(v)]
        return [(value, ())]
    return []


def _sample(value) -> list[dict]:
    if isinstance(value, dict):
        if isinstance(value.get("macro"), dict):
            return [value["macro"]]
        for k in _WRAPPERS:
            if isinstance(value.get(k), list):
                value = value[k]
                break
        else:
            return [value]
    if isinstance(value, list):
        return [it for it in value[:50] if isinstance(it, dict)]
    return []


def detect(value) -> str | None:
    """The platform (or ``generic``) a parsed JSON/YAML document comes from, or None."""
    if isinstance(value, dict) and "_results" in value:
        return "front"
    items = _sample(value)
    if not items:
        if value == [] or (isinstance(value, dict) and isinstance(value.get("replies"), list)):
            return "generic"  # an empty reply list: nothing to lint, nothing wrong
        return None
    for it in items:
        actions = it.get("actions")
        if isinstance(actions, list):
            for a in actions:
                if isinstance(a, dict) and "field" in a:
                    return "zendesk"
                if isinstance(a, dict) and "arguments" in a and "name" in a:
                    return "gorgias"
    for it in items:
        if it.get("type") == "macro" or "body_text" in it:
            return "intercom"
        if "chatText" in it or "preview" in it or "chatPreview" in it:
            return "helpscout"
        if "content_html" in it or ("folder_id" in it and "content" in it):
            return "freshdesk"
        if "content" in it and ("keywords" in it or "note" in it):
            return "zammad"
        if "body" in it and "name" in it and "text" not in it:
            return "front"
    for it in items:
        if "text" in it:
            return "generic"
    return None


def _common(item: dict) -> tuple[tuple[str, ...], dict]:
    meta = {k: item[k] for k in META_FIELDS if item.get(k) not in (None, "")}
    return parse_suppress(item.get(SUPPRESS_FIELD)), meta


def _expect_object(ex, item, path, what: str) -> bool:
    if isinstance(item, dict):
        return True
    ex.error(path, f"expected a {what} object, got {type(item).__name__}")
    return False


# --------------------------------------------------------------------------------- Zendesk

def zendesk(value, ex) -> None:
    for item, path in _items(value, single_key="macro"):
        if not _expect_object(ex, item, path, "macro"):
            continue
        actions = item.get("actions")
        if not isinstance(actions, list):
            ex.error(path, "macro has no 'actions' list")
            continue
        chosen = None
        public = None
        for j, a in enumerate(actions):
            if not isinstance(a, dict):
                continue
            f = a.get("field")
            if f == "comment_mode_is_public":
                public = str(a.get("value")).lower() not in ("false", "0")
            elif f in ("comment_value", "comment_value_html"):
                v = a.get("value")
                vpath = path + ("actions", j, "value")
                if isinstance(v, list):  # [channel, text], e.g. ["channel:all", "..."]
                    k = next((k for k in range(len(v) - 1, -1, -1) if isinstance(v[k], str)
                              and not v[k].startswith("channel:")), None)
                    if k is None:
                        ex.error(vpath, f"{f} has no text")
                        continue
                    v, vpath = v[k], vpath + (k,)
                if not isinstance(v, str):
                    ex.error(vpath, f"{f} is not a string")
                    continue
                if chosen is None or (f == "comment_value_html" and chosen[0] != f):
                    chosen = (f, v, vpath)
        if chosen is None:
            continue  # a macro that only sets fields: nothing to lint
        sup, meta = _common(item)
        if item.get("title"):
            meta["title"] = item["title"]
        if public is not None:
            meta["public"] = public
        f, v, vpath = chosen
        ex.record(rid=str_id(item.get("id")), value=v, path=vpath,
                  html=f == "comment_value_html", meta=meta, suppress=sup, item_path=path,
                  field=f)


# --------------------------------------------------------------------- simple text fields

def _simple(value, ex, *, fields: tuple[tuple[str, bool], ...], title: str, what: str,
            single_key: str | None = None, lang_key: str | None = None,
            extra_meta: tuple[str, ...] = (), id_key: str = "id") -> None:
    """Platforms whose reply text is one field of the item; ``fields`` in preference order,
    each ``(name, is_html)``."""
    for item, path in _items(value, single_key=single_key):
        if not _expect_object(ex, item, path, what):
            continue
        for name, is_html in fields:
            v = item.get(name)
            if isinstance(v, str) and v.strip():
                break
        else:
            ex.error(path, f"{what} has no text (expected {' or '.join(f for f, _ in fields)})")
            continue
        sup, meta = _common(item)
        if item.get(title):
            meta["title"] = item[title]
        for k in extra_meta:
            if item.get(k) not in (None, "", []):
                meta[k] = item[k]
        if name in ("preview", "chatPreview"):  # Help Scout's List endpoint: a preview only
            meta["preview"] = True
        lang = item.get(lang_key) if lang_key else None
        ex.record(rid=str_id(item.get(id_key)), value=v, path=path + (name,), html=is_html,
                  lang=lang if isinstance(lang, str) else None, meta=meta, suppress=sup,
                  item_path=path, field=name)


def freshdesk(value, ex) -> None:
    _simple(value, ex, fields=(("content_html", True), ("content", False)), title="title",
            what="canned response", extra_meta=("folder_id",))


def intercom(value, ex) -> None:
    _simple(value, ex, fields=(("body_text", False), ("body", True)), title="name",
            what="macro")


def helpscout(value, ex) -> None:
    _simple(value, ex, fields=(("text", True), ("chatText", False), ("preview", False),
                                ("chatPreview", False)),
            title="name", what="saved reply")


def front(value, ex) -> None:
    _simple(value, ex, fields=(("body", True),), title="name", what="message template",
            extra_meta=("subject",))


def zammad(value, ex) -> None:
    _simple(value, ex, fields=(("content", True),), title="name", what="text module",
            extra_meta=("keywords",))


def gorgias(value, ex) -> None:
    for item, path in _items(value):
        if not _expect_object(ex, item, path, "macro"):
            continue
        actions = item.get("actions")
        if not isinstance(actions, list):
            ex.error(path, "macro has no 'actions' list")
            continue
        found = None
        for j, a in enumerate(actions):
            if isinstance(a, dict) and a.get("name") == "setResponseText":
                args = a.get("arguments")
                if not isinstance(args, dict):
                    continue
                for name, is_html in (("body_html", True), ("body_text", False)):
                    v = args.get(name)
                    if isinstance(v, str) and v.strip():
                        found = (v, path + ("actions", j, "arguments", name), is_html, name)
                        break
                if found:
                    break
        if found is None:
            continue  # tags/assignment-only macro
        sup, meta = _common(item)
        if item.get("name"):
            meta["title"] = item["name"]
        if item.get("intent"):
            meta["intent"] = item["intent"]
        lang = item.get("language")
        v, vpath, is_html, name = found
        ex.record(rid=str_id(item.get("id")), value=v, path=vpath, html=is_html,
                  lang=lang if isinstance(lang, str) else None, meta=meta, suppress=sup,
                  item_path=path, field=name)


# -------------------------------------------------------------------------------- generic

_GENERIC_SPECIAL = frozenset({"id", "text", "lang", "dialect", SUPPRESS_FIELD})


def generic(value, ex) -> None:
    for item, path in _items(value, keys=("replies",)):
        if not _expect_object(ex, item, path, "reply"):
            continue
        text = item.get("text")
        if not isinstance(text, str):
            ex.error(path, "'text' is missing" if text is None else "'text' is not a string")
            continue
        meta = {k: v for k, v in item.items() if k not in _GENERIC_SPECIAL}
        lang = item.get("lang")
        dialect = item.get("dialect")
        ex.record(rid=str_id(item.get("id")), value=text, path=path + ("text",),
                  lang=lang if isinstance(lang, str) else None, meta=meta,
                  suppress=parse_suppress(item.get(SUPPRESS_FIELD)), item_path=path,
                  dialect=dialect if isinstance(dialect, str) else None)


EXTRACTORS = {
    "zendesk": zendesk, "freshdesk": freshdesk, "intercom": intercom,
    "helpscout": helpscout, "gorgias": gorgias, "front": front, "zammad": zammad,
    "generic": generic,
}
