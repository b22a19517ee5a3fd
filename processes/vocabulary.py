"""The loket's words in one place: the process ids the diagrams define, the three categories,
the channels, the guides' fields of knowledge and the case-data fields the application reads.

The diagrams, tables and forms use these codes; the pages translate them (``web``)."""

from __future__ import annotations

INITIATIVE_PROCESS = "initiatief"
"""The process every initiative starts (``initiatief.bpmn``); its start event names the start form."""
ANSWER_PROCESS = "aanvulling"
"""The subprocess that asks the initiator for more information."""
CATEGORIES = ("eenvoudig", "wijkwens", "complex")
"""The three categories of the Dordrecht letter; each is also the id of the process that handles it."""
TASK_PROCESSES = (INITIATIVE_PROCESS, *CATEGORIES, ANSWER_PROCESS)
"""The processes a staff task can belong to (the task lists filter on them)."""
CATEGORY_DECISION = "categorie"
"""The decision (``categorisatie.dmn``) that proposes the category of a new initiative."""
CATEGORY_OUTPUT = "categorie_voorstel"
"""The output of the categorisation table that holds the proposed category."""

TEAM_SETTINGS = ("each", "daily", "none")
"""How a team hears of work arriving in its queue: a mail per task, one overview a day, nothing."""

INITIATOR_GROUP = "initiatiefnemer"
"""The candidate group of tasks the initiator does in Mijn initiatieven (never open to staff)."""

SUBMIT_CHANNELS = ("online", "telefoon", "balie", "email")
"""How an initiative can come in."""
REGISTER_CHANNELS = ("telefoon", "balie", "email")
"""How an initiator reached the staff member who registers on their behalf."""
CONTACT_CHANNELS = ("telefoon", "balie", "email", "brief")
"""How a contact moment with an initiator took place."""
LANGUAGES = ("nl", "en")

EXPERTISE = ("groen", "sociaal", "cultuur", "sport", "vastgoed", "vergunningen", "evenementen", "duurzaamheid",
             "financien")
"""A guide's fields of knowledge (the choices of the intake meeting's ``benodigde_expertise``)."""
EXPERTISE_WORDS = {
    "groen": "groen", "sociaal": "zorg en welzijn", "cultuur": "kunst en cultuur", "sport": "sport",
    "vastgoed": "gebouwen en grond", "vergunningen": "vergunningen", "evenementen": "evenementen",
    "duurzaamheid": "energie en duurzaamheid", "financien": "financiën en fondsen",
}
"""How a field of knowledge reads in a sentence (the reason a guide is suggested)."""

# Case data the application reads (the start form's and the diagrams' field names).
EMAIL_FIELD = "email"
TITLE_FIELD = "titel"
NAME_FIELD = "naam"
DISTRICT_FIELD = "wijk"
POSTCODE_FIELD = "postcode"
LANGUAGE_FIELD = "taal"
CHANNEL_FIELD = "kanaal"
ATTACHMENTS_FIELD = "bijlagen"

# The texts (``bpmn_models/texts/<name>.<lang>.txt``) the application itself sends; the diagrams
# name the others in their service tasks.
CONFIRMATION_TEXT = "bevestiging"
"""To the initiator when an initiative is sent."""
RESUME_TEXT = "concept_link"
"""The link to go on with a start form saved halfway."""
LOGIN_TEXT = "inloglink"
"""The login link of Mijn initiatieven."""
NEWS_TEXT = "status_gewijzigd"
"""To the initiator when staff share news on the case."""
ESCALATION_TEXT = "escalatie"
"""To a team lead when a service norm has passed."""
TASK_ASSIGNED_TEXT = "taak_toegewezen"
"""To a staff member when a task is given to them (by the diagram or by a colleague)."""
TEAM_TASK_TEXT = "taak_in_wachtrij"
"""To a team (set to a mail per task) when a task arrives in its queue."""
TEAM_DIGEST_TEXT = "dagoverzicht"
"""To a team (set to a daily overview): the tasks that arrived in its queue since the last one."""
INITIATOR_REPLY_TEXT = "reactie_initiatiefnemer"
"""To the staff member who asked, when the initiator answers the question or sends a message."""
STAFF_TEXTS = (TASK_ASSIGNED_TEXT, TEAM_TASK_TEXT, TEAM_DIGEST_TEXT, INITIATOR_REPLY_TEXT)
APPLICATION_TEXTS = (CONFIRMATION_TEXT, RESUME_TEXT, LOGIN_TEXT, NEWS_TEXT, ESCALATION_TEXT, *STAFF_TEXTS)
