"""Every UI string is in the vi, zh and ko catalogues, translated, with its placeholders intact."""
import os

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _ui_msgids() -> set[str]:
    with open(os.path.join(ROOT, "babel.cfg")) as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for directory in ("shop", "templates"):
        for _name, _line, message, _comments, _context in extract_from_dir(
            os.path.join(ROOT, directory), [(f"**.{e}", m) for p, m in method_map for e in [p.rsplit(".", 1)[-1]]],
            options_map, keywords=keywords,
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def msgids():
    return _ui_msgids()


@pytest.mark.parametrize("lang", ["vi", "zh", "ko"])
def test_every_ui_string_is_translated(msgids, lang):
    with open(os.path.join(ROOT, "shop", "translations", lang, "LC_MESSAGES", "messages.po"), "rb") as f:
        catalog = read_po(f, locale=lang)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy}
    assert sorted(msgids - translated) == []
    problems = [(m.id, str(e)) for m in catalog for e in m.check(catalog)]
    assert problems == []
