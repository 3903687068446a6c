"""The words of reporting a problem, in the languages the chat speaks: what makes a message a report.

A report names the act ("I want to report graffiti", "je veux signaler…", "신고하고 싶어요") or says what is
there ("there is graffiti on the bridge", "il y a un nid-de-poule", "có một cái hố", "هناك حفرة"), whatever
the problem is called; the form then asks which of the agency's services.

- `KEYWORDS`: a statement with one of them is a report (unless the encoder's nearest example is clearly
  another intent: `chat.understanding`).
- `REQUEST_WORDS`: the act itself; they make a question a request to report ("how do I report a pothole?")
  rather than a question about its topic ("how long does it take to fix a pothole?").

Words of something broken are written with what breaks where the bare word says more ("hỏng" without
diacritics is "hong"; 고장 alone is any fault, which is still a report), and so are the words of a defect a
statement reports ("no funciona", "funktioniert nicht", "ne marche plus", "không sáng", "깨졌", "خربان"): a
question with them asks about the topic ("¿por qué no funciona el semáforo?"), and questions are not reports
unless they name the act.
"""

KEYWORDS = {
    "en": ["pothole", "report a problem", "broken street light", "report a", "to report", "there is", "there's",
           "not working", "isn't working", "isnt working", "doesn't work", "doesnt work", "stopped working",
           "is broken", "are broken", "is leaking", "dumped"],
    "es": ["bache", "reportar", "farola", "denunciar", "hay un", "hay una", "hay grafiti", "no funciona",
           "no funcionan", "no sirve", "no prende", "no enciende", "esta roto", "esta rota", "estan rotos",
           "tiraron", "botaron", "se cayo", "fuga de"],
    "zh-hans": ["坑洞", "报告", "路灯", "举报", "报修", "上有", "坏了", "不亮", "漏水", "堵了", "乱倒", "乱扔"],
    "de": ["schlagloch", "melden", "es gibt", "kaputt", "funktioniert nicht", "geht nicht mehr", "defekt",
           "verstopft", "umgekippt", "scherben", "illegal entsorgt", "abgeladen"],
    "fr": ["signaler", "il y a un", "il y a une", "il y a des", "nid-de-poule", "nid de poule", "lampadaire",
           "est casse", "est cassee", "en panne", "ne marche plus", "ne marche pas", "ne fonctionne plus",
           "ne fonctionne pas", "fuite d'eau", "abime", "abimee", "depot sauvage"],
    "vi": ["báo cáo", "phản ánh", "có một cái", "bị hỏng", "ổ gà", "đèn đường", "bị vỡ", "sự cố", "báo hỏng",
           "trình báo", "không sáng", "bị hư", "hư rồi", "hỏng rồi", "bị tắc", "rò rỉ", "đổ trộm", "vứt rác"],
    "ko": ["신고", "고장", "구멍이", "파손", "가로등", "안 켜져", "깨졌", "부서졌", "막혔", "무단 투기", "쓰러졌"],
    "ar": ["أبلغ", "الإبلاغ", "بلاغ", "هناك", "حفرة", "معطل", "مكسور", "خربان", "خربانة", "عطلان", "عطلانة",
           "لا يعمل", "لا تعمل", "ما يشتغل", "ما تشتغل", "متعطل", "تسرب"],
}  # fmt: skip

# A hazard told as a state, with no word of breaking: something hanging, down, lying, missing, blocking, stuck
# or running where it should not ("tree down across the road", "hay un cable colgando", "da hängt ein Kabel
# runter", "电线垂下来了", "plaque d'égout manquante", "nước chảy lênh láng", "맨홀 뚜껑이 없어졌어요", "سلك متدلي").
# Also the phone's "theres" and "y a un". Keywords like the rest: a question with them asks about the topic.
STATE_WORDS = {
    "en": ["theres", "there are", "hanging", "dangling", "is down", "are down", "tree down", "trees down",
           "line down", "lines down", "pole down", "wire down", "wires down", "branch down",
           "missing from", "stuck on red", "stuck on green", "stuck on yellow",
           "blocking", "flooded", "flooding", "overflowing", "lying in the", "lying on the", "lying across",
           "fell on", "fell down", "has fallen", "collapsed", "leaking", "gushing", "spewing"],
    "es": ["colgando", "cuelga", "destapad*", "sin tapa", "falta la tapa", "caido", "caida", "caidos", "caidas",
           "bloqueando", "tapando la", "tapando el", "obstruy*", "parpadea*", "inundad*", "desbord*",
           "sale agua", "saliendo agua", "agua saliendo", "se robaron la tapa", "sin vaciar*", "sin recoger"],
    "de": ["hangt", "herunterhang*", "runterhang*", "fehlt", "liegt auf", "liegt mitten", "liegen auf",
           "liegt uberall", "liegen uberall", "liegt quer", "liegen quer", "stinkt", "stinken",
           "blockiert", "versperrt", "dauerrot", "dauergrun", "bleibt rot", "umgesturzt", "umgefallen",
           "lauft aus", "lauft wasser", "wasser lauft", "uberschwemmt", "uberflutet", "unter wasser"],
    "zh-hans": ["垂下", "耷拉", "掉下来", "不见了", "倒了", "倒在", "挡住", "堵住", "一直红", "一直是红", "一直闪", "冒水",
                "积水", "淹了", "塌了", "断了", "悬着", "挂得很低"],
    "fr": ["y a un", "y a une", "y a des", "ya un", "ya une", "ya des", "pend", "pendent", "manquant*",
           "est tombe", "sont tombes", "tombe sur", "bloque au", "reste bloque", "bloque la", "bloquent la",
           "coule", "inonde*", "deborde", "arrache"],
    "vi": ["cây đổ", "bị đổ", "đổ ngang", "chắn ngang", "rơi xuống", "bị rơi", "bị mất", "mất nắp", "nước chảy",
           "lênh láng", "ngập", "cứ đỏ", "đỏ hoài", "đỏ mãi", "bị sập", "bị gãy", "bị đứt", "lủng lẳng",
           "võng xuống"],
    "ko": ["늘어져", "처져", "떨어져", "떨어졌", "없어졌", "사라졌", "막고", "막혀", "빨간불", "새요", "새고", "넘쳐",
           "흘러", "무너졌", "넘어졌", "넘어져", "쓰러져", "끊어졌", "매달려"],
    "ar": ["متدلي", "متدلية", "مدلى", "طالع", "طالعة", "على الأحمر", "طايح", "طايحة", "ساقط", "ساقطة", "مفقود",
           "مسدود", "مسدودة", "سادة", "سادد", "مكشوف", "مكشوفة", "يتسرب", "غرقان", "طافح", "طافحة", "مقطوع",
           "مقطوعة"],
}  # fmt: skip

KEYWORDS = {language: [*words, *STATE_WORDS.get(language, [])] for language, words in KEYWORDS.items()}

REQUEST_WORDS = {
    "en": ["report"],
    "es": ["reportar", "reporto", "reporta", "denunciar", "denuncio"],
    "zh-hans": ["报告", "举报", "报修"],
    "de": ["melden", "melde", "meldet"],
    "fr": ["signaler", "signale"],
    "vi": ["báo cáo", "phản ánh", "báo sự cố", "báo hỏng", "trình báo"],
    "ko": ["신고"],
    "ar": ["أبلغ", "الإبلاغ", "بلاغ"],
}

# A demand that something finally be done, put as an exasperated question ("is anyone ever going to do something about
# the rats behind the market?", "¿hasta cuándo va a seguir rota la farola?", "到底有没有人管"): a report, though it
# asks. Request words of the report skill beside `REQUEST_WORDS`; no keywords (a statement needs none of them).
DEMAND_WORDS = {
    "en": ["do something about", "ever going to", "finally fix", "finally deal with", "will someone finally",
           "why is nobody", "why has nobody", "why hasn't anyone", "why hasnt anyone", "how many more times",
           "is anybody going to", "is anyone going to", "anybody ever", "how many more weeks", "how many more days",
           "how many more months", "how much longer do we", "how much longer are we", "have to put up with"],
    "es": ["hacer algo con", "alguien va a", "hasta cuando va a seguir", "hasta cuando van a", "nadie hace nada",
           "por que nadie", "hasta cuando vamos", "algun dia van a", "cuantas semanas mas", "cuantos dias mas",
           "cuanto tiempo mas vamos", "va a venir alguien"],
    "de": ["kummert sich", "irgendwann mal jemand", "wie lange soll", "warum macht niemand", "warum tut niemand",
           "endlich mal jemand", "eigentlich jemals", "jemals repariert", "jemals gemacht", "jemals behoben",
           "irgendwann mal repariert", "wie lange noch", "wie lange sollen wir"],
    "fr": ["s'occuper de", "s'occuper des", "va enfin", "combien de temps encore", "personne ne fait",
           "pourquoi personne", "va finir par", "un jour reparer", "vous allez enfin", "allez-vous enfin",
           "quelqu'un va un jour", "quelqu'un va venir"],
    "zh-hans": ["有没有人管", "到底有没有人", "没人管", "怎么还没人", "到底什么时候", "到底还修不修", "还修不修", "什么时候才",
                "到底能不能"],
    "vi": ["có ai định", "bao giờ mới", "sao không ai", "không ai xử lý", "có ai sửa", "khi nào mới", "đến bao giờ",
           "có ai tới", "có ai đến"],
    "ko": ["도대체 언제", "왜 아무도", "아무도 안 고쳐", "대체 언제", "언제쯤 고쳐", "고쳐 주긴", "언제까지 이대로"],
    "ar": ["متى راح أحد", "ليش ما حد", "ليش محد", "ما حد سوى", "حد هيصلح", "حدا رح يصلح", "حد رح يصلح", "أحد راح يصلح",
           "امتى هتصلحوا", "إمتى هتصلحوا", "متى رح تصلحوا", "متى راح تصلحون", "لإمتى"],
}  # fmt: skip
