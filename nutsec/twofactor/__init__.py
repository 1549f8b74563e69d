"""Which sites offer two-step sign-in, and how to turn it on: a snapshot of the public 2FA
Directory (github.com/2factorauth/twofactorauth, MIT licence in LICENSE.md beside the data)."""
