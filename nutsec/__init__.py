"""nutsec: a guided account-security self-audit for union representatives."""

__version__ = "0.1.0"
