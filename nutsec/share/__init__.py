"""Share codes: an audit's facts for a group, in one short anonymous line (docs/share-codes.md)."""
