"""The shipped checklist's name, on its own so that the command line can show it as a default
without loading the checklist code."""

DEFAULT_CHECKLIST = "nut-social-media"
