"""The bot engine: intent → skill. See `chat.engine.registry` for the plug-in point."""
