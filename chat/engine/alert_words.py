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
           "enough with", "enough of the", "get me off", "no longer wish", "taken off", "delete my"],
    "es": ["baja", "cancelar", "cancela", "dejar de", "deja de", "no quiero", "no mas", "parar", "para ya", "desuscrib*",
           "anular", "quitar", "quitame", "ya no",
           "desactiv*", "sacame", "saquenme", "quitenme", "no me interesa*", "basta", "no me manden", "no me envien",
           "borrame", "eliminar",
           "dejen de", "dejad de", "saquen mi", "quiten mi", "no me envien", "no me manden", "cancelen", "cancele",
           "borren", "borre mi", "borrenme", "eliminen", "retiren", "retiraran", "que paren",
           "parenle", "paren los", "paren las", "paren ya", "parale", "ya estuvo", "ya basta"],
    "zh-hans": ["取消", "停止", "不要", "别再", "退订", "不想", "关闭", "删掉", "删除", "别给", "别发", "暂停", "不再",
                "退出", "移除", "去掉", "拿掉", "不用再", "停掉", "quxiao", "tuiding",
                # Shanghainese 覅 (do not want): "侬覅再发短信来了"
                "覅", "别老给", "莫再", "退掉", "关掉", "bu yao", "buyao",
                # Cantonese: "唔好再发预警俾我" (do not send me warnings any more), "唔想再收"
                "唔好", "唔要", "唔想", "咪再", "咪send", "停咗"],
    "de": ["abbestell*", "abmelden", "abmeldung", "kundig*", "stopp", "stop", "keine", "nicht mehr", "aufhoren",
           "beenden", "stoppen", "austrag*", "ausschalten", "abschalten", "deaktivier*", "entfernen",
           # "hört bitte auf mit den Warn-SMS", "nehmen Sie meine Nummer raus"
           "hort auf", "hort bitte auf", "horen sie auf", "horen sie bitte auf", "hort ihr auf", "nummer raus",
           "nummer aus", "brauche ich nicht mehr",
           "schluss mit", "aufhore", "ufhore", "abstelle", "nimme",
           # the separable verb apart and in dialect: "tragen Sie mich bitte aus", "tragen S' mi aus", "nimmer"
           "mich aus", "mich bitte aus", "mi aus", "mi bitte aus", "uns aus", "nimmer", "nimma", "nie wieder",
           "in ruh", "in ruah", "hort ma uff", "hort uff", "uff mit", "kei sms", "keini", "kane sms", "mach das aus",
           "hort mal auf", "hort ma auf", "kein bock",
           # taken off the list by what is on it: "nehmen Sie meine E-Mail aus dem Verteiler", "löschen Sie mich"
           "aus dem verteiler", "aus ihrem verteiler", "aus eurem verteiler", "vom verteiler", "aus der liste",
           "von der liste", "mich raus", "mail raus", "adresse raus", "losch*", "streich*"],
    "fr": ["desabonn*", "arreter", "arrete", "stop", "plus de", "ne plus", "annuler", "supprimer", "arretez",
           "veux plus", "plus recevoir", "desactiv*", "retire*", "desinscri*", "marre", "plus dalerte*",
           "plus d'alerte*",
           # taken off a list: "enlevez-moi de la liste", "sortez-moi de vos alertes", "rayez mon numéro"
           "enlev*", "sortez-moi", "sortez moi", "rayez*",
           # Québec "pus" for "plus": "je veux pus recevoir vos textos"
           "veux pus", "pus recevoir", "pus de", "pu de", "plus besoin", "cesser", "cessez", "otez"],
    # not "tat" alone: "tất cả" (all) reads the same without accents; not "thoi" alone: "thời tiết" (weather) does too
    # ("sub cảnh báo thời tiết xấu" was turned into stopping them)
    "vi": ["huy", "ngung", "dung", "khong nhan", "khong muon", "thoi nhe", "thoi nha", "thoi di", "thoi khoi",
           "thoi dung", "thoi khong", "thoi gui", "bo dang ky", "tat thong bao", "tat canh bao", "tat tin nhan",
           "tat het", "tat di", "tat cho", "xoa", "khong can", "go bo", "ko muon", "k muon", "hong muon", "ko nhan",
           "ko can", "go so", "ra khoi danh sach", "hong can", "khong gui", "tat giup", "rut so", "bo so"],
    # not "끊" alone: "수돗물 끊기는 날" (the days the water is cut) asks for a warning
    "ko": ["취소", "중지", "그만", "해지", "끊어", "끊고", "끊을", "끊겠", "중단", "삭제", "고마 보내", "고만", "받지 않", "받기 싫", "끄세요", "꺼줘", "끄고 싶",
           "끄고싶", "정지", "안받", "멈춰", "보내지 마", "연락하지 마", "안 보내셔도", "안보내셔도", "안 받", "싶지 않", "원하지 않", "거부", "꺼 주", "꺼주", "빼 주", "빼주", "빼줘", "필요 없",
           "필요없", "해제"],
    "ar": ["الغاء", "إلغاء", "ايقاف", "إيقاف", "اوقف", "أوقف", "توقف", "وقف", "لا اريد", "لا أريد", "بطل", "بدون",
           "ما بدي", "مابدي", "مش عايز", "شيل", "اطفئ", "اطفي", "كفاية", "كفى", "لا ترسل", "لا تبعت", "احذف", "امسح",
           "خلاص", "وقفوا", "وقفو", "بطلوا",
           # Gulf, Maghrebi, Sudanese: "لا عاد ترسلون لي شي", "حبسو الميساجات", "ما دايرين رسائلكم", "طفوا الإشعارات"
           "لا عاد", "بس عاد", "ما عاد", "حبس", "ما دايرين", "لا ارغب", "لا أرغب", "الغوها", "الغوا", "ما نحبش",
           "اقفلوها", "طفوا", "لا تراسلوني", "n7ina", "7ebsou", "7ayyed", "baraka", "ma bghitch", "mabghitch",
           # Maghrebi "bghit nw9ef les notifications" (I want to stop them), "7bsohom", "7iydoni mn"
           "nw9ef", "nwe9ef", "nw9f", "w9fo", "w9efhom", "n7bes", "7bes", "7bsohom", "7bsou", "7bsu", "7absou", "7iydoni", "n7iyed", "7iyed",
           # Egyptian: "متبعتوليش تنبيهات تاني" (do not send me alerts again), "بلاش رسايل"
           "متبعتوليش", "ماتبعتوليش", "متبعتليش", "ماتبعتليش", "متبعتوش", "ماتبعتوش", "بلاش",
           # "ألغِ اشتراكي" / "ألغوا اشتراكي" (cancel my subscription): the imperative, with its object (alone,
           # "الغ…" begins many words: الغاز, الغرامة)
           "الغ اشتراك", "الغي اشتراك", "الغوا اشتراك", "الغو اشتراك",
           # … or the alerts themselves: "الغي التنبيهات" (cancel the alerts), "الغوا الإشعارات"
           "الغي التنبيه*", "الغوا التنبيه*", "الغي الاشعار*", "الغوا الاشعار*", "الغي الإشعار*", "الغوا الإشعار*",
           "الغي الرسائل", "الغوا الرسائل", "khalas", "5alas", "wa2af", "wa2afo", "wa22afo", "wa2afu", "wa2fo", "wa2fu", "wa2fi", "wa2afi", "kefaya", "kifaya",
           "wa22fo", "wa22fu", "sheelo", "sheelu", "shilo", "shilu", "shelo", "la tersel", "la tersloon", "la tirsil", "matb3atoosh", "mateb3atosh", "battal", "batlo", "msh 3ayez", "mesh 3ayez",
           "mish 3ayez", "ma badi", "ma baddi", "mabadi"],
}  # fmt: skip
# The act of being sent alerts: a question naming it asks for them ("can you text me whenever the river floods?",
# "¿me pueden avisar cuando haya alerta de calor?") rather than about them ("how do the flood alerts work?"):
# `Skill.request_words` of signing up; stopping them is asked with the stop words above.
SIGN_UP_ACTS = {
    "en": ["text me", "send me a text", "send me texts", "send me an email", "email me", "notify me", "alert me",
           "get notified", "sign me up", "subscribe", "to my phone", "to my cell", "on my phone", "let me know when",
           "get a text", "get texts", "get an email", "get a message", "message me", "let me know by"],
    "es": ["avisarme", "me avisen", "me avisan", "me avisa", "avisame", "me lleguen", "me llegue", "mandarme",
           "enviarme", "me manden", "me envien", "suscrib*", "al celular", "al movil", "apuntarme", "apuntenme",
           "apuntame",
           # asked as a question: "¿Me pueden avisar por correo cuando cierren calles?", "¿me podrían mandar un correo?"
           "me pueden avisar", "me puede avisar", "me podrian avisar", "me podria avisar", "me puedan avisar",
           "avisar por correo", "avisar por mensaje", "mandar un correo", "mandar un mensaje", "enviar un correo",
           "enviar un mensaje", "me escriban", "escribanme"],
    "de": ["benachrichtig*", "bescheid geben", "bescheid sagen", "bescheid gebt", "sms schicken", "schickt mir",
           "schicken sie mir", "aufs handy", "auf mein handy", "abonnier*", "anmelden", "eintragen", "tragen sie mich",
           "trag mich", "tragt mich", "informieren sie mich", "informiert mich", "mir eine mail",
           "mir eine e-mail", "per mail bescheid", "per e-mail bescheid"],
    "fr": ["m'envoyer", "me prevenir", "prevenez-moi", "prevenez moi", "m'avertir", "recevoir les alertes",
           "recevoir des alertes", "m'inscrire", "inscrivez-moi", "m'abonner", "par texto", "par sms", "m'ecrire", "m'informer",
           "me tenir au courant"],
    "zh-hans": ["通知我", "发短信", "发个短信", "推送", "提醒我", "订阅", "发给我", "发到我", "开通", "发邮件给我",
                "告诉我一声"],
    "vi": ["nhắn tin cho tôi", "báo cho tôi", "nhận cảnh báo", "nhận thông báo", "gửi cho tôi", "đăng ký", "nhắn cho tôi", "gửi email cho tôi",
           "thông báo cho tôi"],
    "ko": ["보내 주", "보내주", "알려 주", "알려주", "받을 수", "받고 싶", "문자로", "신청"],
    "ar": ["سجلوني", "سجلونا", "ترسلون لي", "ترسلوا لي", "دزولي", "ترسلولي", "توصلني", "يوصلني", "ابلغوني", "بلغوني", "اشترك", "سجلني", "تضيفون",
           "ضيفوني", "تبعتولي", "تبعتلي", "ابعتولي", "ابعتلي", "تبلغوني", "خبروني", "تخبروني",
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
# A sign-up undone: the register skill's word with the act of cancelling it ("huy dang ky email thong bao …", cancel
# the e-mail notices, was a registration by "dang ky"; "إلغاء التسجيل في رسائل …", "등록 취소"). Where the sign-up word
# is a noun ("cancel my registration", "annuler mon inscription") it is no register keyword anyway.
UNDONE_SIGN_UPS = {
    "vi": ["huy dang ky", "huy dang ki", "bo dang ky", "bo dang ki", "ngung dang ky", "ngung dang ki", "rut dang ky"],
    "zh-hans": ["取消报名", "取消登记", "取消注册", "退出报名"],
    "ko": ["등록 취소", "등록취소", "등록 해지", "등록해지", "등록 해제", "등록을 취소", "등록한 거 취소"],
    "ar": ["الغاء التسجيل", "إلغاء التسجيل", "الغي التسجيل", "الغوا التسجيل", "الغي تسجيلي", "الغوا تسجيلي",
           "الغاء تسجيلي", "إلغاء تسجيلي", "شيلوا تسجيلي", "امسحوا تسجيلي"],
}  # fmt: skip
_UNDONE = [_word_matcher(word) for words in UNDONE_SIGN_UPS.values() for word in words]
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


def undoes_a_sign_up(text: str) -> bool:
    """Whether `text` cancels a sign-up in the register skill's own word (`UNDONE_SIGN_UPS`): no registration."""
    normalized = normalize(text)
    return any(match(normalized) for match in _UNDONE)


def says_stop(text: str) -> bool:
    normalized = normalize(text)
    return any(match(normalized) for match in _STOP)


def alerts_wanted(text: str) -> str:
    """Which of the two a message about the alerts wants by its words: stopping them (`says_stop`), being sent them
    (`asks_to_be_sent`), or "" when its words say neither ("knock it off with the storm texts", "긴급문자 구독"): then the
    detector's own reading decides. (Before session 24 no stop word meant signing up: of 185 blind training lines
    saying neither, that was right for 145, the model's own order of the two for 170.)"""
    if says_stop(text):
        return UNSUBSCRIBE
    return SUBSCRIBE if asks_to_be_sent(text) else ""
