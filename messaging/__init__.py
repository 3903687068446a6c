"""Messaging channels: WhatsApp, Telegram, Messenger and SMS feeding the chat engine (issue 15).

How a message travels:

    provider ──POST /hooks/<agency>/<kind>/──▶ webhook view: size limit, verify, store InboundEvent, 200
        └─ on commit: tasks.inbound_event_process(event) ─▶ services.inbound_event_process:
             provider.parse(raw) → Inbound items; per item: identity, STOP words, the chat
             conversation (channel = kind), chat.services.message_receive, chat.engine.bot_turn
        (one transaction per event: a worker killed mid-turn leaves the event `received`; the beat
         sweep `messaging.sweep` runs it again, and nothing of the killed attempt was committed)
    chat Message stored (bot, agent or system line) in a channel conversation
        └─ outbox.message_outbound_queue (same transaction) → provider.render() → OutboundMessage rows
        └─ on commit: tasks.outbound_deliver(connection) → provider.send(), rate-limited, retried

Modules: `models` (connections, events, identities, outbox), `providers` (the interface a channel
implements, and the registry by kind), `views` (the webhook), `services` (inbound turns and
connections), `outbox` (queueing and delivery), `tasks` (Celery + the beat sweep).
"""
