"""Field views: conditions explained in plain words, values shown as the person typed them."""

from __future__ import annotations

from forms import parse_definition
from web.formview import field_views

DEFINITION = parse_definition({
    "id": "t",
    "title": {"nl": "Test"},
    "schema": {"type": "object", "properties": {
        "meer_nodig": {"type": "boolean"},
        "vraag": {"type": "string"},
        "soort": {"type": "string", "enum": ["a", "b"]},
        "uitleg": {"type": "string"},
    }},
    "fields": {
        "meer_nodig": {"label": {"nl": "Ik heb meer informatie nodig", "en": "I need more information"},
                       "widget": "checkbox"},
        "vraag": {"label": {"nl": "Wat wilt u weten?"}, "widget": "textarea",
                  "show_if": {"field": "meer_nodig", "equals": True}},
        "soort": {"label": {"nl": "Soort"}, "widget": "radio",
                  "options": [{"value": "a", "label": {"nl": "Anders"}}, {"value": "b", "label": {"nl": "Bekend"}}]},
        "uitleg": {"label": {"nl": "Uitleg"}, "widget": "text", "show_if": {"field": "soort", "equals": "a"}},
    },
})


def _condition(name: str, lang: str = "nl") -> str:
    [view] = [v for v in field_views(DEFINITION, step=None, values={}, errors=[], lang=lang) if v.name == name]
    return view.condition


def test_a_checkbox_condition_says_tick_not_choose() -> None:
    assert _condition("vraag") == "Alleen nodig als u “Ik heb meer informatie nodig” aanvinkt."
    assert _condition("vraag", "en") == "Only needed if you tick “I need more information”."


def test_a_choice_condition_names_the_option() -> None:
    assert _condition("uitleg") == "Alleen nodig als u bij “Soort” koos voor “Anders”."


def test_a_conditional_question_is_not_marked_optional_or_required() -> None:
    [view] = [v for v in field_views(DEFINITION, step=None, values={}, errors=[], lang="nl") if v.name == "vraag"]
    assert view.required is False and view.condition
