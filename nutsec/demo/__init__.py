"""The trainer's demo: a made-up representative (data) run through the real audit engine."""
