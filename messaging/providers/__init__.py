"""The providers by kind. A channel is added by a `Provider` subclass (see `base`) registered here."""

from __future__ import annotations

from messaging.providers.base import Provider

_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    if not provider.kind:
        raise ValueError("A provider needs a kind.")
    _registry[provider.kind] = provider
    return provider


def get_provider(kind: str) -> Provider | None:
    return _registry.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_registry)


def register_builtin_providers() -> None:
    """Called once from the app's `ready()`. Each channel module registers its provider on import."""
    import importlib

    for module in ("telegram", "sms", "whatsapp", "messenger"):
        try:
            importlib.import_module(f"messaging.providers.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"messaging.providers.{module}":
                raise
