"""Share codes: an audit's group-relevant facts in one short, anonymous line (docs/share-codes.md)."""
