"""Form definitions (JSON Schema plus presentation hints) and their loader, checker, coercer and validator.

Used by ``web`` (to render and read forms) and ``engine`` (to know which form a task shows).
This package never imports ``engine``, ``processes``, ``web`` or Flask.

Typical use in a view::

    definition = registry.get("intake")
    values, errors = clean(definition, request.form, step="wie", lang="nl")
"""

from forms.checks import check_definition, find_problems
from forms.clean import clean
from forms.coerce import ConversionError, RawForm, coerce, parse_amount
from forms.definition import (
    WIDGETS,
    Field,
    FormDefinition,
    Option,
    ShowIf,
    Step,
    Text,
    UnknownStep,
    localize,
)
from forms.errors import FieldError
from forms.messages import KINDS, format_number
from forms.parse import parse_definition
from forms.problems import DefinitionProblem, FormDefinitionError
from forms.registry import FormNotFound, FormRegistry, FormSet
from forms.validate import validate

__all__ = [
    "KINDS",
    "ConversionError",
    "WIDGETS",
    "Field",
    "FieldError",
    "FormDefinition",
    "FormDefinitionError",
    "FormNotFound",
    "FormRegistry",
    "FormSet",
    "Option",
    "DefinitionProblem",
    "RawForm",
    "ShowIf",
    "Step",
    "Text",
    "UnknownStep",
    "check_definition",
    "clean",
    "coerce",
    "find_problems",
    "format_number",
    "localize",
    "parse_amount",
    "parse_definition",
    "validate",
]
