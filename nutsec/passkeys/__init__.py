"""Which sites offer passkeys, from the Passkeys Directory (CC BY 4.0; see LICENSE.md)."""
