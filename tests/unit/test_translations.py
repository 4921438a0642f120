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


# ---- compiling at start -----------------------------------------------------------------------

def _catalogues_without_mo(tmp_path) -> str:
    """A copy of the shipped .po catalogues with no compiled .mo, as `pip install -e .` leaves them."""
    import shutil

    source = tmp_path / "translations"
    shutil.copytree(os.path.join(ROOT, "shop", "translations"), source,
                    ignore=shutil.ignore_patterns("*.mo", "*.partial"))
    return str(source)


def _gettext(directory: str, language: str, message: str) -> str:
    from babel.support import Translations

    return Translations.load(directory, [language]).gettext(message)


def test_missing_catalogues_are_compiled_once_and_again_when_the_po_changes(tmp_path):
    from shop.i18n import compile_catalogues

    source = _catalogues_without_mo(tmp_path)
    assert _gettext(source, "vi", "Log in") == "Log in"  # uncompiled: every language silently shows English

    assert compile_catalogues(source, source) == ["en", "ko", "vi", "zh"]
    assert _gettext(source, "vi", "Log in") == "Đăng nhập"
    assert _gettext(source, "zh", "Log in") == "登录"
    assert compile_catalogues(source, source) == []  # fresh: nothing to do

    po = os.path.join(source, "vi", "LC_MESSAGES", "messages.po")
    later = os.path.getmtime(os.path.join(source, "vi", "LC_MESSAGES", "messages.mo")) + 60
    os.utime(po, (later, later))  # a pull brought a newer catalogue
    assert compile_catalogues(source, source) == ["vi"]


@pytest.mark.parametrize("writable", [True, False], ids=["beside-the-po", "read-only-package"])
def test_an_app_whose_catalogues_were_never_compiled_speaks_every_language(tmp_path, monkeypatch, writable):
    from flask import Flask
    from flask_babel import Babel, gettext

    from shop import i18n

    source = _catalogues_without_mo(tmp_path)
    instance = tmp_path / "instance"
    if not writable:
        monkeypatch.setattr(i18n.os, "access", lambda path, mode: path != source)
    app = Flask("shop", root_path=str(tmp_path), instance_path=str(instance))
    app.config.update(LANGUAGES=["vi", "en", "zh", "ko"], LANGUAGE_COOKIE="lang", BABEL_DEFAULT_LOCALE="vi")

    i18n.compile_translations(app)
    Babel(app, locale_selector=i18n.select_locale)

    compiled_in = source if writable else str(instance / "translations")
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"] == compiled_in
    assert os.path.isfile(os.path.join(compiled_in, "ko", "LC_MESSAGES", "messages.mo"))
    said = {}
    for lang in ("vi", "en", "zh"):
        with app.test_request_context(f"/?lang={lang}"):
            said[lang] = gettext("Log in")
    assert said == {"vi": "Đăng nhập", "en": "Log in", "zh": "登录"}


@pytest.mark.parametrize("lang", ["vi", "en", "zh", "ko"])
def test_every_catalogue_parses_without_a_broken_entry(lang):
    """A merge that drops a msgstr line leaves a catalogue Babel only half reads, with a warning at every start."""
    from babel.messages.pofile import PoFileError

    path = os.path.join(ROOT, "shop", "translations", lang, "LC_MESSAGES", "messages.po")
    with open(path, "rb") as f:
        try:
            read_po(f, abort_invalid=True)
        except PoFileError as error:
            pytest.fail(f"{lang}: {error}")


@pytest.mark.parametrize(("lang", "name"), [("zh", "广宁"), ("ko", "꽝닌")])
def test_chinese_and_korean_name_the_province_in_their_own_script(lang, name):
    with open(os.path.join(ROOT, "shop", "translations", lang, "LC_MESSAGES", "messages.po"), "rb") as f:
        catalog = read_po(f, locale=lang)
    latin = [m.id for m in catalog if m.id and "Quảng Ninh" in (m.string if isinstance(m.string, str) else " ".join(m.string))]
    assert latin == []
    assert any(name in (m.string if isinstance(m.string, str) else "") for m in catalog)
