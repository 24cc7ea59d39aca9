"""Metadata records: a post's front matter (YAML ``---`` or TOML ``+++``) and
article records exported as JSON (a CMS's or a crawler's: title, content,
date, url under their many common names).

None of a record is read aloud except its body; its fields become metadata.
Keys are matched by meaning, not by file: ``publisher``, ``website`` and
``source`` all name the source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import tomllib

from briefing.clean.document import Document
from briefing.clean.fields import LIST_SPLIT, parse_date
from briefing.errors import InputError

# Field names by meaning, lower case; the first key present wins.
_TITLE_KEYS = ("title", "headline", "标题", "標題")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator", "writer", "reporter", "作者", "记者")
_SOURCE_KEYS = (
    *("source", "publisher", "website", "site", "sitename", "site_name", "media", "outlet"),
    *("来源", "來源"),
)
_DATE_KEYS = (
    *("date", "published", "pubdate", "pub_date", "publish_date", "published_at", "publishdate"),
    *("publish_time", "datetime", "time", "created", "created_at", "发布时间", "日期"),
)
_URL_KEYS = ("url", "link", "permalink", "canonical", "source_url", "href")
_TAG_KEYS = ("tags", "keywords", "tag", "keyword", "标签", "categories", "category")
_BODY_KEYS = (
    *("content", "body", "text", "article", "full_text", "fulltext", "article_body"),
    *("articlebody", "main_text", "story", "正文", "内容", "description", "summary"),
)


# A crawler's title may end with the page's font-size control (…90萬元字級：).
_TITLE_CONTROLS = re.compile(r"(?:字級|字级|字號|字号|字體|字体)\s*[:：]?\s*$")


@dataclass
class Record:
    """A metadata record split from its body."""

    fields: dict[str, object] = field(default_factory=dict)
    body: str = ""


def split_front_matter(text: str) -> Record:
    """``---`` YAML or ``+++`` TOML front matter at the top of a post, with
    or without blank lines before it; a text without one is all body."""
    stripped = text.lstrip("\ufeff \t\r\n")
    lines = stripped.splitlines()
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return Record(body=text)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == fence), None)
    if end is None:
        return Record(body=text)
    head = lines[1:end]
    fields = _toml(head) if fence == "+++" else _yaml(head)
    return Record(fields, "\n".join(lines[end + 1 :]))


_YAML_FIELD = re.compile(r"^([A-Za-z_][\w-]*|[\u4e00-\u9fff]+)\s*:\s*(.*)$")
_YAML_ITEM = re.compile(r"^\s+-\s*(.*)$|^-\s+(.*)$")
_TOML_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*=\s*(.*)$")


def _yaml(lines: list[str]) -> dict[str, object]:
    """The flat subset of YAML front matter uses (``key: value``, ``[a, b]``
    lists and ``- item`` lists), read leniently: a stray colon in a title or
    an odd line never loses the other fields, as a strict parser would."""
    fields: dict[str, object] = {}
    key = ""
    for line in lines:
        if (item := _YAML_ITEM.match(line)) and key:
            value = _scalar(item.group(1) or item.group(2) or "")
            current = fields.get(key)
            items = current if isinstance(current, list) else []
            fields[key] = [*items, value] if value else items
        elif match := _YAML_FIELD.match(line):
            key = match.group(1).lower()
            fields[key] = _value(match.group(2))
    return fields


def _toml(lines: list[str]) -> dict[str, object]:
    try:
        return {key.lower(): value for key, value in tomllib.loads("\n".join(lines)).items()}
    except tomllib.TOMLDecodeError:
        fields: dict[str, object] = {}
        for line in lines:
            if match := _TOML_FIELD.match(line.strip()):
                fields[match.group(1).lower()] = _value(match.group(2))
        return fields


def _value(text: str) -> object:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [item for item in (_scalar(part) for part in text[1:-1].split(",")) if item]
    return _scalar(text)


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def read_json_record(text: str, where: str) -> Record:
    """An article exported as a JSON object (or the first object of an array,
    or of a ``data``/``article`` wrapper): its body and its fields."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    record = _article_object(data)
    if record is None:
        raise InputError(
            f"{where}: no article found in the JSON; give an object with a title and a "
            f"text field ({', '.join(_BODY_KEYS[:4])} …)"
        )
    fields = {str(key).lower(): value for key, value in record.items()}
    body = next((fields[key] for key in _BODY_KEYS if isinstance(fields.get(key), str)), "")
    assert isinstance(body, str)
    return Record(fields, body.replace("\r\n", "\n").replace("\r", "\n"))


def _article_object(data: object) -> Mapping[str, object] | None:
    """The first object holding an article's text, searched breadth first."""
    queue = [data]
    while queue:
        item = queue.pop(0)
        if isinstance(item, Mapping):
            if any(
                str(key).lower() in _BODY_KEYS and isinstance(value, str)
                for key, value in item.items()
            ):
                return item
            queue += list(item.values())
        elif isinstance(item, list):
            queue += item
    return None


def apply(document: Document, fields: Mapping[str, object]) -> None:
    """Fill the document's metadata from a record's fields; the record is the
    publisher's own statement, so it wins over what the body's lines suggest."""
    if title := _text(_first(fields, _TITLE_KEYS)):
        document.title = _TITLE_CONTROLS.sub("", title).strip()
    if author := _text(_first(fields, _AUTHOR_KEYS)):
        document.author = author
    if source := _text(_first(fields, _SOURCE_KEYS)):
        document.source = source
    if (published := parse_date(_first(fields, _DATE_KEYS))) is not None:
        document.published = published
    if url := _text(_first(fields, _URL_KEYS)):
        document.url = url if re.match(r"^https?://", url) else document.url
    tags: list[str] = []
    for key in _TAG_KEYS:
        value = fields.get(key)
        items = value if isinstance(value, list) else LIST_SPLIT.split(_text(value))
        tags += [tag for tag in (_text(item) for item in items) if tag and tag not in tags]
    document.tags = tags + [tag for tag in document.tags if tag not in tags]


def _first(fields: Mapping[str, object], keys: tuple[str, ...]) -> object:
    return next((fields[key] for key in keys if fields.get(key) not in (None, "", [])), None)


def _text(value: object) -> str:
    if isinstance(value, list):
        return "、".join(_text(item) for item in value if _text(item))
    if isinstance(value, str | int | float):
        return re.sub(r"\s+", " ", str(value)).strip()
    return ""
