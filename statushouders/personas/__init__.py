"""Personas: composite statushouders as data files, their schema and the checks (findings) on their journey.

``schema`` reads and validates ``personas/*.yaml``; ``checks`` holds the named checks the
flow runner reports as findings. See docs/personas.md.
"""

from .schema import Persona, PersonaError, load, load_all, registration_args, registration_form, validate_all

__all__ = ["Persona", "PersonaError", "load", "load_all", "registration_args", "registration_form", "validate_all"]
