"""The guided audit's two-step steps for an account whose platform is known, from the same 2FA
Directory data as the export audit: the methods the site offers and its own how-to page."""

from __future__ import annotations

from nutsec.twofactor.directory import join_words, shipped_directory

#: The audit's platform keys (and e-mail providers) -> the directory domain listing them.
PLATFORM_DOMAINS: dict[str, str] = {
    "twitter": "x.com",
    "facebook": "facebook.com",
    "instagram": "instagram.com",
    "linkedin": "linkedin.com",
    "tiktok": "tiktok.com",
    "whatsapp": "whatsapp.com",
}
PROVIDER_DOMAINS: dict[str, str] = {
    "gmail": "mail.google.com",
    "outlook": "outlook.com",
    "icloud": "icloud.com",
    "yahoo": "yahoo.com",
}

#: Said after the site's own steps, whichever site it is.
ADVICE = (
    "Prefer an authenticator app or a security key to text messages, and keep the backup codes "
    "in your password manager."
)


def account_domain(platform_key: str, provider: str = "") -> str | None:
    """The directory domain of an account: its e-mail provider's, else its platform's."""
    if platform_key == "email":
        return PROVIDER_DOMAINS.get(provider)
    return PLATFORM_DOMAINS.get(platform_key)


def two_step_steps(platform_key: str, provider: str = "", menu_path: str = "") -> str | None:
    """How to turn two-step sign-in on for this account, or None when its site is not known.
    `menu_path` is the checklist's own steps for this site, when it has some: they come first,
    and the directory adds the methods and the link."""
    domain = account_domain(platform_key, provider)
    if domain is None:
        return None
    site = shipped_directory().site_for_domain(domain)
    if site is None or not site.offers_two_step:
        return None
    text = f"{site.name} offers two-step sign-in by {join_words(site.method_words)}."
    if site.documentation:
        text += f" Its own steps: {site.documentation}"
    return f"{menu_path} {text}" if menu_path else f"{text} {ADVICE}"
