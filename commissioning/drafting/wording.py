"""Loading the editable templates and data files behind the drafted section.

Templates ship in the package ``commissioning.templates`` (the repo's ``templates/``
folder). A council can point ``template`` at its own folder (or one section template
file): files found there win, the rest come from the package. The Jinja2 environment
uses StrictUndefined, so a misspelt name fails loudly instead of printing nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import jinja2

from commissioning.comparators.councils import find_council
from commissioning.drafting import numbers as words
from commissioning.errors import TemplateProblemError

SECTION_TEMPLATE: Final = "draft_section.txt.j2"
TERMINOLOGY_FILE: Final = "draft_terminology.json"
ACTIONS_FILE: Final = "draft_actions.json"
#: Templates another template may ``{% include %}`` by name; each is read like the section
#: template (the council's folder first, then the package) every time one is rendered.
INCLUDED_TEMPLATES: Final = ("draft_characteristics.txt.j2",)

MSG_TEMPLATE_MISSING = (
    "The template {name} was not found. Put it back from the commissioning templates "
    "folder, or point --template at a folder that has it."
)
MSG_TEMPLATE_BROKEN = (
    "The template {name} has a mistake on line {line}: {problem}. Fix that line, or remove "
    "your copy to use the standard wording."
)
MSG_TEMPLATE_UNDEFINED = (
    "The template {name} uses a value that does not exist ({problem}). Check the name "
    "against the list in docs/drafting.md."
)
MSG_DATA_BROKEN = (
    "The file {name} is not valid JSON (line {line}). Fix it, or remove your copy to use "
    "the standard one."
)
MSG_ACTIONS_SHAPE = (
    "The action library {name} must hold a list of actions, each with a key, applies_to, "
    "title and text. Compare it with templates/draft_actions.json."
)
MSG_TERMS_SHAPE = (
    "The terminology file {name} needs a 'default' entry with council, people and "
    "collective. Compare it with templates/draft_terminology.json."
)

#: How the template's ``part("actions")`` marks a cross-reference until the blocks are
#: parsed: private-use characters around the key (replaced by the part's number there).
REF_OPEN: Final = "\ue000"
REF_CLOSE: Final = "\ue001"
#: What an "@" in a value (a service name, a label) becomes while the section is parsed,
#: so text a person typed can never start a block (``--service "S @heading X"``); the
#: block parser and `plain` turn it back into "@".
INERT_AT: Final = "\ue002"  # private use, as REF_OPEN / REF_CLOSE
REF_MARK: Final = re.compile(REF_OPEN + r"([\w-]{1,40})" + REF_CLOSE)

_REQUIRED_ACTION_KEYS: Final = ("key", "applies_to", "title", "text")
_REQUIRED_TERMS: Final = ("council", "people", "collective")
#: In a terminology value, the council's full name ("Kent County Council"); where the
#: authority is not one council (Bi-Borough, a region, an unknown name) it reads:
FULL_NAME: Final = "{full_name}"
DEFAULT_COUNCIL: Final = "the council"


def _user_dir(template: str | Path | None) -> Path | None:
    if template is None:
        return None
    path = Path(template).expanduser()
    return path if path.is_dir() else path.parent


def _read(name: str, template: str | Path | None) -> tuple[str, str]:
    """(where it came from, text) for a template or data file."""
    if template is not None:
        path = Path(template).expanduser()
        if path.is_file() and name == SECTION_TEMPLATE:
            return path.name, path.read_text(encoding="utf-8")
        folder = _user_dir(template)
        if folder is not None and (folder / name).is_file():
            return name, (folder / name).read_text(encoding="utf-8")
        if not path.exists():
            raise TemplateProblemError(MSG_TEMPLATE_MISSING.format(name=path.name))
    try:
        text = resources.files("commissioning.templates").joinpath(name).read_text("utf-8")
    except OSError as exc:
        raise TemplateProblemError(MSG_TEMPLATE_MISSING.format(name=name)) from exc
    return name, text


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by the template text, so an edited
    template is recompiled). Drafting is a one-shot command; compiling the section
    template is a noticeable part of its start-up. No cache if the folder is not usable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    # Compiled code also depends on how the environment is set up (its finalize, filters),
    # so the folder is named by this module's own text: a changed set-up never reuses it.
    setup = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    folder = os.path.join(base, "commissioning", f"jinja-{setup}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(folder)


def _inert(value: object) -> object:
    """Every value a template prints: an "@" in it cannot open a directive."""
    return value.replace("@", INERT_AT) if isinstance(value, str) else value


def plain(text: str) -> str:
    """Text rendered by a template, for output that is not parsed into blocks."""
    return text.replace(INERT_AT, "@")


@lru_cache(maxsize=4)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=_bytecode_cache(),
        loader=jinja2.FunctionLoader(_source_by_key),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_inert,
    )
    env.filters.update(
        pct=words.format_pct,
        rri=words.format_rri,
        interval=words.format_interval,
        rri_short=words.format_rri_short,
        interval_short=words.format_interval_short,
        pvalue=words.format_p,
        thousands=words.format_count,
        count_words=words.count_words,
        words=words.number_words,
        one_in=words.one_in,
        per_ten=words.per_ten,
        cell=_cell,
        join_and=join_and,
        capitalize_first=capitalize_first,
    )
    env.globals["part"] = part_ref
    return env


def part_ref(key: str) -> str:
    """The number of the part whose heading is ``@heading[key]``, filled in later."""
    return f"{REF_OPEN}{key}{REF_CLOSE}"


#: Template texts by a digest of their content: the bytecode cache needs a loader.
_SOURCES: dict[str, str] = {}


def _source_by_key(key: str) -> tuple[str, None, Any] | None:
    source = _SOURCES.get(key)
    if source is None:
        return None
    # A digest key never changes; an included name is current while its text is.
    return (source, None, lambda: _SOURCES.get(key) == source)


def _register_includes(template: str | Path | None) -> None:
    """Make each `INCLUDED_TEMPLATES` name load the text this ``template`` folder gives."""
    for name in INCLUDED_TEMPLATES:
        _SOURCES[name] = _read(name, template)[1]


@lru_cache(maxsize=16)
def _compile(source: str) -> jinja2.Template:
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24] + ".j2"
    _SOURCES[key] = source
    return _environment().get_template(key)


def _cell(value: object) -> str:
    """Make text safe inside a table row: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def join_and(items: Any) -> str:
    """["A", "B", "C"] -> "A, B and C"."""
    seq = [str(i) for i in items if str(i)]
    if len(seq) <= 1:
        return "".join(seq)
    return ", ".join(seq[:-1]) + " and " + seq[-1]


def capitalize_first(text: object) -> str:
    """Capitalise the first letter only, keeping group names as written."""
    value = str(text)
    return value[:1].upper() + value[1:]


def render_template(
    name: str, context: Mapping[str, Any], template: str | Path | None = None
) -> tuple[str, str]:
    """Render a template to text; (the name to quote in errors, the text)."""
    label, source = _read(name, template)
    try:
        _register_includes(template)
        return label, _compile(source).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblemError(
            MSG_TEMPLATE_BROKEN.format(name=label, line=exc.lineno, problem=exc.message)
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateProblemError(
            MSG_TEMPLATE_UNDEFINED.format(name=label, problem=_short(exc.message))
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateProblemError(
            MSG_TEMPLATE_BROKEN.format(name=label, line="?", problem=_short(exc.message))
        ) from exc


def _short(message: str | None) -> str:
    return " ".join(str(message or "unknown problem").split())[:120]


def _load_json(name: str, template: str | Path | None) -> Any:
    label, text = _read(name, template)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateProblemError(MSG_DATA_BROKEN.format(name=label, line=exc.lineno)) from exc


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


def load_terminology(authority: str, template: str | Path | None = None) -> dict[str, Any]:
    """The authority's own words (falls back to 'default' for councils not listed).

    "{full_name}" in a value becomes the council's full name, so councils not listed
    are named properly in the equality duty paragraph; ``country`` says whether the
    Welsh specific duties apply. Both come from the packaged ONS-based council table.
    """
    data = _load_json(TERMINOLOGY_FILE, template)
    if not isinstance(data, dict) or not isinstance(data.get("default"), dict):
        raise TemplateProblemError(MSG_TERMS_SHAPE.format(name=TERMINOLOGY_FILE))
    wanted = _norm(authority)
    chosen: dict[str, Any] = {}
    for key, entry in data.items():
        if key.startswith("_") or key == "default" or not isinstance(entry, dict):
            continue
        names = [key, *[str(a) for a in entry.get("aliases", [])]]
        if wanted in {_norm(n) for n in names}:
            chosen = entry
            break
    merged = {**data["default"], **chosen}
    if any(not isinstance(merged.get(k), str) for k in _REQUIRED_TERMS):
        raise TemplateProblemError(MSG_TERMS_SHAPE.format(name=TERMINOLOGY_FILE))
    council = find_council(authority)
    full_name = council.name if council is not None else DEFAULT_COUNCIL
    for key, value in merged.items():
        if isinstance(value, str):
            merged[key] = value.replace(FULL_NAME, full_name)
    merged.setdefault("abbreviations", "")
    merged.setdefault("thresholds_from", "")
    merged.setdefault("country", council.country if council is not None else "")
    return merged


def load_actions(
    actions: str | Path | Sequence[Mapping[str, Any]] | None,
    template: str | Path | None = None,
) -> list[dict[str, Any]]:
    """The action library, each entry with its text compiled as a Jinja2 template."""
    name = ACTIONS_FILE
    if actions is None:
        data = _load_json(ACTIONS_FILE, template)
    elif isinstance(actions, str | Path):
        path = Path(actions).expanduser()
        name = path.name
        if not path.is_file():
            raise TemplateProblemError(MSG_TEMPLATE_MISSING.format(name=name))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise TemplateProblemError(MSG_DATA_BROKEN.format(name=name, line=exc.lineno)) from exc
    else:
        data = {"actions": [dict(a) for a in actions]}
    entries = data.get("actions") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise TemplateProblemError(MSG_ACTIONS_SHAPE.format(name=name))
    out = []
    env = _environment()
    for entry in entries:
        if not isinstance(entry, dict) or any(k not in entry for k in _REQUIRED_ACTION_KEYS):
            raise TemplateProblemError(MSG_ACTIONS_SHAPE.format(name=name))
        try:
            compiled = env.from_string(str(entry["text"]))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblemError(
                MSG_TEMPLATE_BROKEN.format(name=name, line=exc.lineno, problem=exc.message)
            ) from exc
        out.append({**entry, "text_template": compiled})
    return out


def render_action(entry: Mapping[str, Any], values: Mapping[str, Any], name: str) -> str:
    try:
        return " ".join(str(entry["text_template"].render(**values)).split())
    except jinja2.UndefinedError as exc:
        raise TemplateProblemError(
            MSG_TEMPLATE_UNDEFINED.format(name=name, problem=_short(exc.message))
        ) from exc


def load_data_file(name: str, template: str | Path | None = None) -> dict[str, Any]:
    """A JSON data file from the council's template folder, else the shipped one."""
    data = _load_json(name, template)
    if not isinstance(data, dict):
        raise TemplateProblemError(MSG_DATA_BROKEN.format(name=name, line=1))
    return data
