"""What the case data say about the decision, in the initiator's terms: its content for the case
page, and the values a mail text gets (amounts in the initiator's language)."""

from __future__ import annotations

from processes.case_status import DECISION_VALUES, decision_values, outcome_of

GRANTED = {"uitkomst": "toegekend", "uitkomst_toelichting": "Toegekend bedrag: € 600,00.", "gevraagd_bedrag": 750,
           "besluit_bedrag": 600, "besluit_reden": "De zaalhuur valt erbuiten.",
           "besluit_afspraken": "Poster ophangen.",
           "besluit_voorwaarden": ["Hek maximaal 1,20 m", "  ", "Geen muziek na 22.00 uur"],
           "besluit_volgende_stap": "We betalen binnen 4 weken.", "besluit_volgende_stap_en": "We pay within 4 weeks."}


def test_the_decision_with_its_content() -> None:
    outcome = outcome_of(GRANTED)
    assert outcome is not None and outcome.has_content and outcome.partly_granted
    assert (outcome.amount, outcome.requested) == (600.0, 750.0)
    assert outcome.conditions == ("Hek maximaal 1,20 m", "Geen muziek na 22.00 uur")
    assert outcome.next_step_in("en") == ("We pay within 4 weeks.", "en")
    assert outcome.next_step_in("nl") == ("We betalen binnen 4 weken.", "nl")
    dutch_only = outcome_of({**GRANTED, "besluit_volgende_stap_en": ""})
    assert dutch_only is not None and dutch_only.next_step_in("en") == ("We betalen binnen 4 weken.", "nl")


def test_no_decision_while_the_initiative_goes_to_another_category() -> None:
    assert outcome_of({}) is None
    assert outcome_of({"uitkomst": "andere_categorie", "uitkomst_toelichting": ""}) is None


def test_an_amount_only_counts_when_granted() -> None:
    rejected = outcome_of({**GRANTED, "uitkomst": "afgewezen"})
    assert rejected is not None and rejected.amount is None and not rejected.partly_granted
    whole = outcome_of({**GRANTED, "besluit_bedrag": 750})
    assert whole is not None and not whole.partly_granted


def test_an_older_model_version_wrote_only_a_summary() -> None:
    outcome = outcome_of({"uitkomst": "afgewezen", "uitkomst_toelichting": "Te weinig draagvlak."})
    assert outcome is not None and not outcome.has_content and outcome.explanation == "Te weinig draagvlak."
    assert decision_values({"uitkomst": "afgewezen", "uitkomst_toelichting": "Te weinig draagvlak."},
                           "nl")["besluit_reden"] == "Te weinig draagvlak."


def test_mail_values_in_both_languages() -> None:
    nl, en = decision_values(GRANTED, "nl"), decision_values(GRANTED, "en")
    assert set(nl) == set(en) == set(DECISION_VALUES)
    assert (nl["besluit_bedrag"], nl["besluit_gevraagd"]) == ("€ 600", "€ 750")
    assert (en["besluit_bedrag"], en["besluit_gevraagd"]) == ("€600", "€750")
    assert nl["besluit_voorwaarden"] == "- Hek maximaal 1,20 m\n- Geen muziek na 22.00 uur"
    assert (nl["volgende_stap"], en["volgende_stap"]) == ("We betalen binnen 4 weken.", "We pay within 4 weeks.")
    assert decision_values({}, "nl") == dict.fromkeys(DECISION_VALUES, "")
    assert decision_values({**GRANTED, "besluit_bedrag": 750}, "nl")["besluit_gevraagd"] == ""
