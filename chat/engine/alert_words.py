"""The words that say a message is about the agency's alerts, and that it wants them stopped, in the chat's eight
languages (compared normalized: lower case, no accents): `chat.understanding.classify` decides between signing up
and stopping with them."""

from chat.engine.intents import _word_matcher, normalize

UNSUBSCRIBE = "alerts_unsubscribe"
SUBSCRIBE = "alerts_subscribe"
# Words that say stop, in the chat's languages (compared normalized: lower case, no accents).
STOP_WORDS = {
    "en": ["unsubscribe", "stop", "no more", "cancel", "opt out", "turn off", "dont send", "don't send", "do not send",
           "quit", "end my", "remove me", "unsub",
           # not wanting them, being taken off the list
           "dont want", "don't want", "do not want", "no longer want", "take me off", "opt me out",
           "remove my", "disable", "deactivate", "switch off", "alerts off", "notifications off", "warnings off",
           "texts off", "them off",
           # taken off a list, asked to stop sending ("take my number off the list", "stop sending these warnings")
           "number off", "name off", "email off", "off the list", "off your list", "off the alert*", "off this list",
           "make them stop", "stop sending", "stop texting",
           "enough with", "enough of the"],
    "es": ["baja", "cancelar", "cancela", "dejar de", "deja de", "no quiero", "no mas", "parar", "para ya", "desuscrib*",
           "anular", "quitar", "quitame", "ya no",
           "desactiv*", "sacame", "saquenme", "quitenme", "no me interesa*", "basta", "no me manden", "no me envien",
           "borrame", "eliminar",
           "dejen de", "dejad de", "saquen mi", "quiten mi", "no me envien", "no me manden",
           "parenle", "paren los", "paren las", "paren ya", "parale", "ya estuvo", "ya basta"],
    "zh-hans": ["取消", "停止", "不要", "别再", "退订", "不想", "关闭", "删掉", "删除", "别给", "别发", "暂停", "不再",
                "退出", "移除", "去掉", "拿掉",
                # Cantonese: "唔好再发预警俾我" (do not send me warnings any more), "唔想再收"
                "唔好", "唔要", "唔想", "咪再", "咪send", "停咗"],
    "de": ["abbestell*", "abmelden", "abmeldung", "kundig*", "stopp", "stop", "keine", "nicht mehr", "aufhoren",
           "beenden", "stoppen", "austrag*", "ausschalten", "abschalten", "deaktivier*", "entfernen",
           # "hört bitte auf mit den Warn-SMS", "nehmen Sie meine Nummer raus"
           "hort auf", "hort bitte auf", "horen sie auf", "horen sie bitte auf", "hort ihr auf", "nummer raus",
           "nummer aus", "brauche ich nicht mehr",
           "schluss mit", "aufhore", "ufhore", "abstelle", "nimme",
           # the separable verb apart and in dialect: "tragen Sie mich bitte aus", "tragen S' mi aus", "nimmer"
           "mich aus", "mich bitte aus", "mi aus", "mi bitte aus", "uns aus", "nimmer", "nimma"],
    "fr": ["desabonn*", "arreter", "arrete", "stop", "plus de", "ne plus", "annuler", "supprimer", "arretez",
           "veux plus", "plus recevoir", "desactiv*", "retire*", "desinscri*", "marre", "plus dalerte*",
           "plus d'alerte*",
           # taken off a list: "enlevez-moi de la liste", "sortez-moi de vos alertes", "rayez mon numéro"
           "enlev*", "sortez-moi", "sortez moi", "rayez*"],
    # not "tat" alone: "tất cả" (all) reads the same without accents
    "vi": ["huy", "ngung", "dung", "khong nhan", "khong muon", "thoi", "bo dang ky", "tat thong bao",
           "tat canh bao", "tat tin nhan", "tat het", "tat di", "xoa", "khong can", "go bo"],
    "ko": ["취소", "중지", "그만", "해지", "끊", "중단", "안 받", "싶지 않", "원하지 않", "거부", "꺼 주", "꺼주", "빼 주", "빼주", "빼줘", "필요 없",
           "필요없", "해제"],
    "ar": ["الغاء", "إلغاء", "ايقاف", "إيقاف", "اوقف", "أوقف", "توقف", "وقف", "لا اريد", "لا أريد", "بطل", "بدون",
           "ما بدي", "مابدي", "مش عايز", "شيل", "اطفئ", "اطفي", "كفاية", "كفى", "لا ترسل", "لا تبعت", "احذف", "امسح",
           "خلاص", "وقفوا", "وقفو", "بطلوا",
           # Egyptian: "متبعتوليش تنبيهات تاني" (do not send me alerts again), "بلاش رسايل"
           "متبعتوليش", "ماتبعتوليش", "متبعتليش", "ماتبعتليش", "متبعتوش", "ماتبعتوش", "بلاش",
           # "ألغِ اشتراكي" / "ألغوا اشتراكي" (cancel my subscription): the imperative, with its object (alone,
           # "الغ…" begins many words: الغاز, الغرامة)
           "الغ اشتراك", "الغي اشتراك", "الغوا اشتراك", "الغو اشتراك", "khalas", "5alas", "wa2af", "wa2afo", "wa22afo", "wa2afu", "wa2fo", "wa2fu", "wa2fi", "wa2afi", "kefaya", "kifaya",
           "la tersel", "la tersloon", "la tirsil", "matb3atoosh", "mateb3atosh", "battal", "batlo", "msh 3ayez", "mesh 3ayez",
           "mish 3ayez", "ma badi", "ma baddi", "mabadi"],
}  # fmt: skip
# The act of being sent alerts: a question naming it asks for them ("can you text me whenever the river floods?",
# "¿me pueden avisar cuando haya alerta de calor?") rather than about them ("how do the flood alerts work?"):
# `Skill.request_words` of signing up; stopping them is asked with the stop words above.
SIGN_UP_ACTS = {
    "en": ["text me", "send me a text", "send me texts", "send me an email", "email me", "notify me", "alert me",
           "get notified", "sign me up", "subscribe", "to my phone", "to my cell", "on my phone", "let me know when",
           "get a text", "get texts", "get an email", "get a message"],
    "es": ["avisarme", "me avisen", "me avisan", "me avisa", "avisame", "me lleguen", "me llegue", "mandarme",
           "enviarme", "me manden", "me envien", "suscrib*", "al celular", "al movil", "apuntarme", "apuntenme",
           "apuntame"],
    "de": ["benachrichtig*", "bescheid geben", "bescheid sagen", "bescheid gebt", "sms schicken", "schickt mir",
           "schicken sie mir", "aufs handy", "auf mein handy", "abonnier*", "anmelden", "eintragen", "tragen sie mich",
           "trag mich", "tragt mich"],
    "fr": ["m'envoyer", "me prevenir", "prevenez-moi", "prevenez moi", "m'avertir", "recevoir les alertes",
           "recevoir des alertes", "m'inscrire", "inscrivez-moi", "m'abonner", "par texto", "par sms"],
    "zh-hans": ["通知我", "发短信", "发个短信", "推送", "提醒我", "订阅", "发给我", "发到我", "开通"],
    "vi": ["nhắn tin cho tôi", "báo cho tôi", "nhận cảnh báo", "nhận thông báo", "gửi cho tôi", "đăng ký"],
    "ko": ["보내 주", "보내주", "알려 주", "알려주", "받을 수", "받고 싶", "문자로", "신청"],
    "ar": ["ترسلون لي", "ترسلوا لي", "ترسلولي", "توصلني", "يوصلني", "ابلغوني", "بلغوني", "اشترك", "سجلني", "تضيفون",
           "ضيفوني",
           # Arabizi: Maghrebi ("sajjelni f tanbihat", "zidni f la liste", "bghit nsajjel") and Egyptian ("sagelni")
           "sajjelni", "sajelni", "sajlni", "sejjelni", "nsajjel", "nsajel", "tsajjelni", "sagelni",
           "tsagelni", "zidni", "dakhalni", "dakhelni", "ashtarek", "ashtirek", "nechterek", "nashtarek"],
}  # fmt: skip
_STOP = [_word_matcher(word) for words in STOP_WORDS.values() for word in words]
_SIGN_UP = [_word_matcher(word) for words in SIGN_UP_ACTS.values() for word in words]
# Words that name the agency's alerts (not a request's notifications, which are a status matter).
ALERT_WORDS = {
    "en": ["alert*", "warning*", "emergency text*", "emergency notification*"],
    "es": ["alerta*", "avisos", "aviso de emergencia", "avisos de emergencia"],
    "zh-hans": ["警报", "预警", "警告", "紧急通知"],
    "de": ["warnung*", "warnmeldung*", "unwetterwarnung*", "notfallwarnung*", "alarm*", "warn-sms",
           "warn sms", "warnsms", "unwettermeldung*", "warnverteiler", "warnig*", "katastrophenwarnung*",
           "hochwasserwarnung*", "sturmwarnung*", "hitzewarnung*", "unwetteralarm*", "katastrophenalarm*"],
    "fr": ["alerte*", "avertissement*"],
    "vi": ["canh bao", "tin nhan khan cap", "thong bao khan cap", "tin khan cap"],
    "ko": ["알림", "경보", "재난 문자", "재난문자", "긴급 문자", "긴급문자"],
    "ar": ["تنبيه", "إنذار", "انذار", "tanbeeh*", "tanbih*"],
}  # fmt: skip
_ALERT = [_word_matcher(word) for words in ALERT_WORDS.values() for word in words]
# Intents a message that names the alerts is not really about (the others keep it: "how do alerts work?",
# "the flood warning siren on Oak St is broken", "any news on my report about the alarm?").
NOT_ABOUT_ALERTS = {"feedback", "greeting", "register"}


def names_alerts(text: str) -> bool:
    normalized = normalize(text)
    return any(match(normalized) for match in _ALERT)


def asks_to_be_sent(text: str) -> bool:
    """Whether `text` asks to be sent something or signed up (`SIGN_UP_ACTS`: "sign me up", "trag mich … ein", "سجلني")."""
    normalized = normalize(text)
    return any(match(normalized) for match in _SIGN_UP)


def says_stop(text: str) -> bool:
    normalized = normalize(text)
    return any(match(normalized) for match in _STOP)
