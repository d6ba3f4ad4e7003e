"""mentorquest: onboarding for reciprocal mentoring programmes, played as a text adventure."""

__version__ = "0.1.0"
