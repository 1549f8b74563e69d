"""Breach look-up: which passwords appear in known breaches, by k-anonymity or offline corpus."""
