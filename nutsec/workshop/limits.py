"""How small a group may be: light enough for the command line to import for its --help."""

#: Below this many people a summary is refused unless the trainer lowers it (never below the floor).
DEFAULT_MIN_GROUP = 5
#: With fewer people, one person's answers could be worked out from the counts.
MIN_GROUP_FLOOR = 3
