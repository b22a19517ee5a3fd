"""The words of the form editor's script, translated here like every page ({placeholders} are
filled in by the script)."""

from __future__ import annotations

from web.i18n import gettext as _


def widget_names() -> dict[str, str]:
    """The kinds of question the editor offers, by widget."""
    return {
        "text": _("Korte tekst"),
        "textarea": _("Lange tekst"),
        "email": _("E-mailadres"),
        "tel": _("Telefoonnummer"),
        "postcode": _("Postcode"),
        "number": _("Getal"),
        "money": _("Bedrag in euro"),
        "date": _("Datum"),
        "select": _("Keuzelijst (één keuze)"),
        "radio": _("Keuzerondjes (één keuze)"),
        "checkbox": _("Vinkje (ja of nee)"),
        "checkboxes": _("Vinkjes (meer keuzes)"),
        "file": _("Bestanden"),
        "hidden": _("Verborgen (niet te zien)"),
    }


def _views() -> dict[str, str]:
    return {
        "views": _("Manier van bewerken"),
        "viewVisual": _("Vragen bewerken"),
        "viewJson": _("JSON bewerken"),
        "jsonLabel": _("Het hele formulier als JSON"),
        "jsonHelp": _("Voor gevorderden. Wat u hier verandert, ziet u terug bij ‘Vragen bewerken’."),
        "jsonInvalidAt": _("Dit is geen geldige JSON (regel {line}, teken {column}). Kijk of er een komma, "
                           "aanhalingsteken of haakje ontbreekt of te veel is. Herstel dit eerst; daarna kunt u "
                           "terug naar ‘Vragen bewerken’."),
        "jsonInvalid": _("Dit is geen geldige JSON. Kijk of er een komma, aanhalingsteken of haakje ontbreekt "
                         "of te veel is. Herstel dit eerst; daarna kunt u terug naar ‘Vragen bewerken’."),
        "jsonShape": _("‘Vragen bewerken’ kan dit formulier niet tonen: {detail} Herstel het hier. Het "
                       "voorbeeld zegt wat er niet klopt."),
        "shapeObject": _("het formulier moet een JSON-object zijn ({…})."),
        "shapeSchema": _("‘schema’ met ‘properties’ ontbreekt of is geen object."),
        "shapeFields": _("‘fields’ ontbreekt of is geen object."),
        "shapeField": _("de vraag ‘{name}’ is geen object."),
        "shapeSteps": _("‘steps’ moet een lijst met stappen zijn, elk met een ‘id’ en een lijst ‘fields’."),
    }


def _form_and_steps() -> dict[str, str]:
    return {
        "formSection": _("Het formulier"),
        "formId": _("Id: {id}. Het id is de bestandsnaam; in het procesmodel kiest u het formulier hiermee."),
        "titleNl": _("Titel (Nederlands)"),
        "titleEn": _("Titel (Engels)"),
        "descriptionNl": _("Uitleg boven het formulier (Nederlands)"),
        "descriptionEn": _("Uitleg boven het formulier (Engels)"),
        "questionsSection": _("Stappen en vragen"),
        "noSteps": _("Dit formulier is één pagina. Met ‘Stap toevoegen’ verdeelt u de vragen over meer "
                     "pagina's."),
        "questions": _("Vragen"),
        "unplaced": _("Vragen die in geen stap staan"),
        "stepHeading": _("Stap {number}: {title}"),
        "stepTitleNl": _("Titel van de stap (Nederlands)"),
        "stepTitleEn": _("Titel van de stap (Engels)"),
        "stepId": _("Id van de stap"),
        "stepIdHelp": _("Kleine letters, cijfers, - en _. Het id staat in het webadres van de stap."),
        "stepIdInvalid": _("Gebruik alleen kleine letters, cijfers, - en _, en begin met een letter of cijfer."),
        "stepIdTaken": _("Er is al een stap met dit id."),
        "stepUp": _("Stap omhoog"),
        "stepDown": _("Stap omlaag"),
        "stepRemove": _("Stap verwijderen"),
        "stepNotEmpty": _("Deze stap heeft nog vragen. Verplaats of verwijder die eerst."),
        "stepAdd": _("Stap toevoegen"),
        "stepAdded": _("Stap {number} is toegevoegd."),
        "stepRemoved": _("De stap is verwijderd."),
        "moved": _("Verplaatst naar plaats {number}."),
    }


def _questions() -> dict[str, str]:
    return {
        "questionHeading": _("Vraag {number}: {label}"),
        "name": _("Naam van het antwoord"),
        "nameHelp": _("Zo heet het antwoord in de procesmodellen. Kleine letters, cijfers en _, en begin "
                      "met een letter."),
        "nameInvalid": _("Gebruik alleen kleine letters, cijfers en _, en begin met een letter."),
        "nameTaken": _("Er is al een vraag met deze naam."),
        "widget": _("Soort vraag"),
        "required": _("Verplicht"),
        "labelNl": _("Vraag (Nederlands)"),
        "labelEn": _("Vraag (Engels)"),
        "helpNl": _("Uitleg bij de vraag (Nederlands)"),
        "helpEn": _("Uitleg bij de vraag (Engels)"),
        "limitsHelp": _("Leeg laten: geen grens."),
        "limitInvalid": _("Vul een getal in, of laat het leeg."),
        "errorPrefix": _("Fout:"),
        "minLength": _("Minimaal aantal tekens"),
        "maxLength": _("Maximaal aantal tekens"),
        "minimum": _("Kleinste getal"),
        "maximum": _("Grootste getal"),
        "minItems": _("Minimaal aantal keuzes"),
        "maxItems": _("Maximaal aantal keuzes"),
        "maxFiles": _("Maximaal aantal bestanden"),
        "inStep": _("In stap"),
        "up": _("Vraag omhoog"),
        "down": _("Vraag omlaag"),
        "remove": _("Vraag verwijderen"),
        "add": _("Vraag toevoegen"),
        "added": _("Vraag {name} is toegevoegd."),
        "removed": _("Vraag {name} is verwijderd."),
        "conditionsRemoved": _("Vraag {name} is verwijderd. De voorwaarde bij {others} is ook weggehaald."),
    }


def _choices_and_conditions() -> dict[str, str]:
    return {
        "choices": _("Keuzes"),
        "choice": _("Keuze {number}"),
        "choiceValue": _("Waarde"),
        "choiceNl": _("Tekst (Nederlands)"),
        "choiceEn": _("Tekst (Engels)"),
        "choiceUp": _("Keuze omhoog"),
        "choiceDown": _("Keuze omlaag"),
        "choiceRemove": _("Keuze verwijderen"),
        "choiceAdd": _("Keuze toevoegen"),
        "choicesFromDistricts": _("De keuzes zijn de wijken die de beheerder heeft ingesteld."),
        "choicesFromGuides": _("De keuzes zijn de actieve begeleiders die de beheerder heeft ingesteld."),
        "choicesYesNo": _("De waarden zijn ja (true) en nee (false)."),
        "showIf": _("Alleen tonen als"),
        "showIfAlways": _("(altijd tonen)"),
        "showIfValue": _("het antwoord is"),
        "ticked": _("aangevinkt"),
        "notTicked": _("niet aangevinkt"),
    }


def editor_texts() -> dict[str, object]:
    """Every text the form editor's script shows."""
    return {
        **_views(), **_form_and_steps(), **_questions(), **_choices_and_conditions(),
        "widgets": widget_names(),
        "previewFailed": _("Het voorbeeld kon niet worden bijgewerkt. Controleer uw verbinding."),
        "saveFailed": _("Het formulier kon niet worden verstuurd. Controleer uw verbinding en probeer het opnieuw."),
        "loggedOut": _("Het formulier is niet verstuurd: u bent uitgelogd of de pagina is verlopen. Uw "
                       "wijzigingen staan nog hier. Log in een nieuw tabblad opnieuw in en kies dan hier opnieuw."),
        "nothingChanged": _("U heeft niets veranderd, dus er is niets in gebruik genomen."),
    }
