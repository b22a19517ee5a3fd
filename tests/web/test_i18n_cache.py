"""The cached translations (web.i18n) give what Flask-Babel gives, follow the language the
user switches to at once, and honour ``force_locale``."""

from __future__ import annotations

from flask import Flask, session
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext

from web.i18n import gettext, ngettext

TEXT = "Mijn taken"
PLURAL = ("%(num)d taak", "%(num)d taken")


def test_cached_gettext_equals_flask_babel_in_both_languages(app: Flask) -> None:
    for lang in ("nl", "en"):
        with app.test_request_context("/"):
            session["lang"] = lang
            assert gettext(TEXT) == babel_gettext(TEXT)
            assert gettext(TEXT) == babel_gettext(TEXT)  # second time from the table
            for num in (0, 1, 2):
                assert ngettext(*PLURAL, num) == babel_ngettext(*PLURAL, num)


def test_english_differs_from_dutch_and_force_locale_is_honoured(app: Flask) -> None:
    with app.test_request_context("/"):
        session["lang"] = "nl"
        dutch = gettext(TEXT)
        with force_locale("en"):
            english = gettext(TEXT)
        assert english != dutch
        assert gettext(TEXT) == dutch
        assert ngettext(*PLURAL, 1) == "1 taak"
        with force_locale("en"):
            assert ngettext(*PLURAL, 2) == babel_ngettext(*PLURAL, 2) != "2 taken"


def test_switching_language_shows_the_other_language_on_the_next_page(client: FlaskClient) -> None:
    dutch = client.get("/").get_data(as_text=True)
    client.get("/taal/en?next=/")
    english = client.get("/").get_data(as_text=True)
    client.get("/taal/nl?next=/")
    assert english != dutch
    assert client.get("/").get_data(as_text=True) == dutch


def test_outside_an_application_the_source_text_comes_back() -> None:
    assert gettext("Mijn taken %(n)s", n=3) == "Mijn taken 3"


def test_a_template_fills_in_its_own_variables_of_a_plural_text(app: Flask) -> None:
    from flask import render_template_string

    template = '{{ ngettext("%(who)s heeft %(num)d taak", "%(who)s heeft %(num)d taken", count, who="Ilse") }}'
    with app.test_request_context("/"):
        session["lang"] = "nl"
        assert render_template_string(template, count=1) == "Ilse heeft 1 taak"
        assert render_template_string(template, count=3) == "Ilse heeft 3 taken"


def test_a_label_table_follows_the_language_within_one_request(app: Flask) -> None:
    from web.i18n import force_locale, labels_per_request

    @labels_per_request
    def labels() -> dict[str, str]:
        return {"mine": gettext(TEXT)}

    with app.test_request_context("/"):
        session["lang"] = "nl"
        dutch = labels()["mine"]
        with force_locale("en"):
            english = labels()["mine"]
        assert dutch == TEXT and english != dutch and labels()["mine"] == dutch
