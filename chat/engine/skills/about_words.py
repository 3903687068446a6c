"""Asking what the assistant is or what it can do ("what can you do", "y tú quién eres?", "Was kannst du eigentlich
alles?", "tu peux faire quoi exactement", "bạn làm được gì", "넌 누구야?", "你是谁?能帮我做什么", "السلام عليكم، إيش تقدر
تسوي؟", "enta te2dar te3mel eh"): the greeting intent, whose skill answers with the menu of what it can do.

A message of only these words, a salutation and words that say nothing else (`asks_what_it_does`): "what can you do
about the noise next door" asks about a matter (the city's part in it), not about the assistant. Compared normalized
(lower case, no accents, đ as d); Han, Hangul and Arabic phrases anywhere, the others as whole words.
"""

from __future__ import annotations

import re

from chat.engine.intents import _AFFIXED, _HAN, _matcher, normalize
from chat.engine.skills.greeting import GreetingSkill

ABOUT_YOU = {
    "en": ["what can you do", "what can u do", "what do you do", "what do u do", "what can you help me with",
           "what can you help with", "what can u help with", "how can you help me", "how can you help",
           "what can i ask you", "what can i ask", "what kind of stuff can i ask you", "what kind of things can i ask you",
           "what kind of stuff can you do", "what kind of things can you do", "what are you able to do",
           "what are you for", "what is this chat for", "what's this chat for", "whats this chat for",
           "what is this bot", "what's this bot", "whats this bot", "who are you", "who r u", "what are you",
           "who am i talking to", "who am i talking with", "what do you help with", "what can this bot do",
           "what can this chat do"],
    "es": ["que puedes hacer", "que sabes hacer", "que puede hacer usted", "que haces", "que eres", "quien eres",
           "quien es usted", "para que sirves", "para que sirve este chat", "en que me puedes ayudar",
           "en que me puede ayudar", "en que puedes ayudarme", "en que me ayudas", "con que me puedes ayudar",
           "que cosas puedes hacer", "que te puedo preguntar", "que le puedo preguntar", "que tipo de cosas haces"],
    "de": ["was kannst du", "was konnen sie", "was machst du", "was machen sie", "wer bist du", "wer sind sie",
           "wobei kannst du helfen", "wobei kannst du mir helfen", "wobei konnen sie mir helfen", "was bist du",
           "wofur bist du da", "wofur bist du", "was kann ich dich fragen", "was kann ich sie fragen",
           "was kann der bot", "was kann der chat", "wer isch do", "was chasch du"],
    "fr": ["tu peux faire quoi", "vous pouvez faire quoi", "que peux-tu faire", "que pouvez-vous faire",
           "qu'est-ce que tu peux faire", "qu'est-ce que vous pouvez faire", "qu'est-ce que tu sais faire",
           "tu sais faire quoi", "tu sers a quoi", "vous servez a quoi", "ca sert a quoi ce chat", "tu es qui",
           "t'es qui", "vous etes qui", "qui etes-vous", "qui es-tu", "tu fais quoi", "vous faites quoi",
           "je peux te demander quoi", "je peux vous demander quoi"],
    "vi": ["bạn làm được gì", "bạn làm gì được", "bạn giúp được gì", "bạn giúp gì được", "bạn có thể làm gì",
           "bạn có thể giúp gì", "bạn là ai", "em làm được gì", "em giúp được gì", "em là ai", "ad làm được gì",
           "bot làm được gì", "bot này làm gì", "mày làm được gì", "mày là ai", "làm được những gì",
           "giúp được những gì", "hỏi được gì", "hỏi bạn cái gì được"],
    "ko": ["넌 누구", "너는 누구", "너 누구", "누구세요", "당신은 누구", "뭐 할 수 있", "뭘 할 수 있", "무엇을 할 수 있",
           "뭐 해줄 수 있", "뭘 해줄 수 있", "뭐 해 줄 수 있", "뭘 도와줄 수 있", "뭘 도와주실 수 있", "뭐 도와줄 수 있",
           "뭐 도와주실 수 있", "무엇을 도와", "뭐 하는 곳", "뭐 하는 봇", "뭐 하는 챗봇", "뭘 물어볼 수 있", "뭐 물어봐도"],
    "zh-hans": ["你是谁", "你是什么", "你能做什么", "你会做什么", "你可以做什么", "你能干什么", "你会干什么", "你能干嘛",
                "你会干嘛", "你会什么", "能帮我做什么", "能帮我干什么", "能帮我干嘛", "可以帮我做什么", "你能帮什么",
                "能帮什么忙", "我能问你什么", "我可以问什么", "这是什么机器人"],
    "ar": ["إيش تقدر تسوي", "ايش تقدر تسوي", "وش تقدر تسوي", "شو بتقدر تعمل", "شو بتعمل", "شو فيك تعمل", "تقدر تعمل ايه",
           "بتعمل ايه", "ماذا يمكنك", "ماذا تستطيع", "ماذا تفعل", "من أنت", "من انت", "مين انت", "انت مين", "إنت مين",
           "مين حضرتك", "بماذا تساعدني", "شو بتساعدني", "إيش تسوي", "ايش تسوي", "وش تسوي",
           # Arabizi
           "te2dar te3mel eh", "t2dar t3mel eh", "bte3mel eh", "enta meen", "inta meen", "enta min", "inta min",
           "meen enta", "shu bti2dar ta3mil", "shu bt2dar t3mel", "shu bta3mil", "esh t2dar tsawi", "wesh t2dar tsawi"],
}  # fmt: skip
# Asking whether it is a machine ("am I texting a robot?", "bist du ein Roboter?", "너 사람이야 봇이야?", "انت روبوت؟") and
# small talk ("how's it going", "wie läuft's", "ça va ?", "شخبارك"): the same menu. Whether a real person is there
# ("is there a real person on here?") asks for one: the handoff's words, not these.
SMALL_TALK = {
    "en": ["are you a robot", "are you a bot", "are you an ai", "are you ai", "are you an actual ai", "are you real",
           "is this a bot", "is this a robot", "is this an ai", "am i texting a robot", "am i texting a bot",
           "am i talking to a robot", "am i talking to a bot", "am i chatting with a bot", "am i chatting with a robot",
           "what is this", "what's this", "whats this", "what is this thing", "what's this thing", "whats this thing",
           "how are you", "how are you doing", "how r u", "how's it going", "hows it going", "how is it going",
           "what's up", "whats up", "sup", "hope you're well", "hope you are well", "hope youre well"],
    "es": ["eres un robot", "eres un bot", "eres una maquina", "eres humano o robot", "es un bot", "es un robot",
           "esto es un bot", "esto es un robot", "esto es una maquina", "hablo con un robot", "hablo con una maquina",
           "estoy hablando con un robot", "que es esto", "como estas", "como esta", "que tal", "que tal todo",
           "como va", "como va todo", "como andas", "como le va"],
    "de": ["bist du ein roboter", "bist du ein bot", "bist du eine ki", "bist du ein mensch oder ein bot", "ist das ein bot",
           "ist das ein roboter", "schreibe ich mit einem bot", "rede ich mit einem bot", "was ist das hier", "was ist das",
           "wie geht's", "wie gehts", "wie geht es dir", "wie geht es ihnen", "wie lauft's", "wie laufts",
           "wie lauft es", "alles klar"],
    "fr": ["t'es un robot", "tu es un robot", "vous etes un robot", "c'est un robot", "c'est un bot", "t'es un bot",
           "tu es un bot", "vous etes un bot", "t'es une ia", "tu es une ia", "vous etes une ia",
           "je parle a un robot", "je parle a une machine", "c'est quoi ce truc", "c'est quoi ce service",
           "c'est quoi ce chat", "c'est quoi", "ca va", "comment ca va", "comment vas-tu", "comment allez-vous",
           "comment allez vous", "tu vas bien", "vous allez bien"],
    "vi": ["bạn là người thật hay robot", "là người thật hay robot", "là người hay máy", "người thật hay bot",
           "bạn là robot", "là robot hả", "là robot à", "bạn là máy", "là máy hả", "là bot hả", "đây là gì", "cái này là gì",
           "đây là cái gì", "bạn khỏe không", "khỏe không", "dạo này thế nào", "bạn có khỏe không"],
    "ko": ["로봇이야", "로봇이에요", "로봇인가요", "봇이야", "봇이에요", "봇인가요", "사람이야 봇이야", "사람이에요 봇이에요",
           "이거 뭐예요", "이거 뭐야", "이게 뭐예요", "여긴 뭐", "잘 지내", "잘 지냈", "어떻게 지내"],
    "zh-hans": ["你是真人还是机器人", "真人还是机器人", "你是机器人", "你是人还是机器", "你是不是机器人", "是机器人吗", "这是什么", "这是干嘛的", "这是干什么的",
                # Cantonese written in Simplified characters (系 = 是, 定 = 还是, 机械人 = 机器人)
                "你系机械人", "你系机器人", "系咪机械人", "系咪机器人", "系唔系机械人", "机械人定真人", "机器人定真人",
                "你好吗", "最近怎么样", "最近好吗", "在干嘛"],
    "ar": ["انت روبوت", "إنت روبوت", "انت بوت", "إنت بوت", "انت برنامج", "هل انت روبوت", "هل أنت روبوت", "شخبارك",
           "شلونك", "كيف حالك", "كيف الحال", "كيفك", "ازيك", "إزيك", "عامل ايه", "شو هاد", "شو هذا", "ايش هذا", "وش هذا",
           "ما هذا",
           # Arabizi
           "labas", "labas 3lik", "kidayr", "ki dayr", "ezzayak", "izzayak", "3amel eh", "keefak", "kifak", "shlonak",
           "nta robot", "enta robot", "inta robot", "enta bot", "inta bot", "nta bot"],
}  # fmt: skip
# Words around it that say nothing more ("what can you actually do", "Was kannst du eigentlich alles?", "hey so…"),
# and the other half of asking whether it is a machine or a person ("are you a bot or a real person? just curious"):
# asked as an alternative, a person is no wish for one (the handoff's words read "I want a real person").
FILLERS = {
    "en": ["actually", "exactly", "even", "really", "here", "for me", "for us", "so", "ok", "okay", "um", "uh", "and",
           "hmm", "then", "please", "pls", "anyway", "bot", "chat", "in here", "exactly", "i mean", "like", "there",
           "today", "or what", "first time using this", "first time using this thing", "first time here",
           "never used this before", "i'm new here", "im new here", "new here", "just curious",
           "or a real person", "or a person", "or a human", "or human", "or a real human", "or real", "or an actual person", "or a live person", "lol", "haha", "just wondering"],
    "es": ["y", "tu", "usted", "exactamente", "aqui", "por mi", "oye", "oiga", "bueno", "entonces", "pues", "a ver",
           "realmente", "de verdad", "por favor", "exacto", "o que", "primera vez que uso esto",
           "es la primera vez que uso esto", "nunca habia usado esto",
           "o una persona de verdad", "o una persona real", "o una persona", "o humano", "o un humano", "o alguien de verdad", "o de verdad", "jaja", "jajaja", "solo curiosidad", "por curiosidad", "es curiosidad"],
    "de": ["eigentlich", "alles", "genau", "denn", "so", "hier", "fur mich", "mir", "also", "sag mal", "bitte", "uberhaupt",
           "du", "ihr", "dann", "eigentlich so", "na", "so bei dir", "bei dir", "bei euch", "heute",
           "ich nutze das zum ersten mal", "zum ersten mal hier", "ich bin neu hier",
           "oder ein mensch", "oder mensch", "oder ein echter mensch", "oder echt", "oder sitzt da jemand", "oder sitzt da wirklich jemand", "oder sitzt da ein mensch", "oder ist da jemand", "nur neugierig", "haha"],
    "fr": ["exactement", "au juste", "alors", "donc", "ici", "pour moi", "toi", "vous", "en fait", "vraiment", "bon",
           "et", "svp", "s'il vous plait", "premiere fois que j'utilise ce truc", "premiere fois que j'utilise ca",
           "premiere fois ici", "je suis nouveau ici", "je suis nouvelle ici",
           "ou une vraie personne", "ou une personne", "ou un humain", "ou humain", "ou un vrai humain", "juste curieux", "juste curieuse", "par curiosite", "mdr", "haha"],
    "vi": ["vậy", "vay", "thế", "the", "ạ", "a", "ơi", "oi", "cho tôi", "cho mình", "cho em", "nhỉ", "nhi", "hả", "ha",
           "nha", "đó", "do", "bạn", "ban", "à", "ad", "admin", "hay", "em", "mình", "minh", "nhé", "alo",
           "lần đầu mình dùng cái này", "lần đầu tôi dùng cái này", "lần đầu dùng",
           "hay người thật", "hay là người thật", "hay người", "hay là người", "hỏi cho biết thôi", "hihi", "haha"],
    "ko": ["요", "은", "는", "이", "가", "어", "니", "나요", "습니까", "어요", "야", "이야", "예요", "에요", "세요", "그래서",
           "근데", "혹시", "어떤 거", "거", "나", "저", "너", "넌", "여기서", "제가", "저는", "안녕하세요", "하세요",
           "처음 써보는데", "처음 써 보는데", "처음인데", "ㅎㅇ",
           "아니면 사람", "아니면 진짜 사람", "사람이에요", "사람이야", "진짜", "궁금해서요", "그냥 궁금해서", "ㅋㅋ", "ㅎㅎ"],
    "zh-hans": ["呀", "啊", "呢", "吗", "吧", "到底", "具体", "都", "我", "你", "请问", "那", "这个", "第一次用这个",
                "第一次用", "是", "的",
           "还是真人", "还是人", "真人", "好奇问问", "哈哈", "定真人", "定系真人", "你系", "嘅"],
    "ar": ["يا", "انت", "إنت", "طيب", "بالضبط", "هنا", "لي", "إلي", "الي", "ya", "enta", "inta", "tayeb", "ba2a",
           "والله", "ولا", "هلا", "ahlan", "ahla", "marhaba", "salam", "hala", "أول مرة بستعمله", "اول مرة بستعمله", "أول مرة", "اول مرة", "wallah", "walla",
           "ولا انسان", "ولا إنسان", "ولا بني آدم", "ولا شخص حقيقي", "او انسان", "أو إنسان", "wala insan", "walla ensan", "haha"],
}  # fmt: skip
_ABOUT = [
    _matcher(normalize(phrase)) for table in (ABOUT_YOU, SMALL_TALK) for phrases in table.values() for phrase in phrases
]
_SPACED = re.compile(r"[^\W\d_]", re.UNICODE)


def _removal(phrase: str):
    if _HAN.search(phrase) or _AFFIXED.search(phrase):
        return lambda text: text.replace(phrase, " ")
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return lambda text: pattern.sub(" ", text)


_SALUTATIONS = [word for words in GreetingSkill.purpose_keywords.values() for word in words if not word.endswith("*")]
_REMOVE = [
    _removal(phrase)
    for phrase in sorted(
        {normalize(p) for table in (ABOUT_YOU, SMALL_TALK, FILLERS) for ps in table.values() for p in ps}
        | {normalize(p) for p in _SALUTATIONS},
        key=len,
        reverse=True,
    )
]


# Words said inside the question that change nothing ("what can you actually help me with", "was kannst du eigentlich").
INNER = ["actually", "really", "even", "exactly", "eigentlich", "denn", "genau", "vraiment", "exactement", "au juste",
         "realmente", "de verdad", "exactamente", "thật ra", "that ra", "대체", "到底"]  # fmt: skip
_REMOVE_INNER = [_removal(normalize(word)) for word in INNER]


def asks_what_it_does(text: str) -> bool:
    """Whether `text` only asks what the assistant is or can do, with a salutation or not; a word like "actually" inside
    the question counts as said without it ("what can you actually help me with")."""
    normalized = normalize(text)
    if not any(match(normalized) for match in _ABOUT):
        plain = f" {normalized} "
        for remove in _REMOVE_INNER:
            plain = remove(plain)
        normalized = " ".join(plain.split())
        if not any(match(normalized) for match in _ABOUT):
            return False
    rest = f" {normalized} "
    for remove in _REMOVE:
        rest = remove(rest)
    return not _SPACED.search(rest)


# Asking whether the assistant is a machine, anywhere in a message ("lol that answer was fast, am I talking to a robot?",
# "holaa eres un robot o una persona de verdad? jaja"): the menu says what it is and offers a person, when the message
# wishes for none (`WANTS`: "are you a bot? I want a real person" is a handoff).
MACHINE = {
    "en": ["are you a robot", "are you a bot", "are you an ai", "are you ai", "are you a machine", "are you human",
           "are you a human", "are you a real person", "r u a bot", "r u a robot", "u a bot", "is this a bot",
           "is this a robot", "is this an ai", "is this ai", "is this automated", "am i talking to a", "am i talking to an",
           "am i chatting with a", "am i texting a", "im i talking to a", "is this a real person", "is this a person",
           "a bot or", "a robot or"],
    "es": ["eres un robot", "eres robot", "eres un bot", "eres bot", "eres una ia", "eres ia", "eres una maquina",
           "eres humano", "eres una persona", "es un bot", "es un robot", "es una maquina", "hablo con un robot",
           "hablo con un bot", "hablo con una maquina", "estoy hablando con un robot", "estoy hablando con un bot",
           "usted es un robot", "es usted un robot", "un robot o", "un bot o"],
    "de": ["bist du ein roboter", "bist du ein bot", "bist du eine ki", "bist du ki", "bist du ein mensch",
           "bist du echt", "sind sie ein bot", "sind sie ein roboter", "sind sie ein mensch", "ist das ein bot",
           "ist das ein roboter", "ist das eine ki", "rede ich mit einem", "rede ich mit einer", "schreibe ich mit einem",
           "schreib ich mit einem", "chatte ich mit einem", "spreche ich mit einem", "spreche ich mit einer",
           "ein bot oder", "ein roboter oder"],
    "fr": ["t'es un robot", "tu es un robot", "vous etes un robot", "c'est un robot", "c'est un bot", "t'es un bot",
           "tu es un bot", "vous etes un bot", "t'es une ia", "tu es une ia", "vous etes une ia", "c'est une ia",
           "t'es une machine", "vous etes une machine", "t'es humain", "vous etes humain", "je parle a un robot",
           "je parle a un bot", "je parle a une machine", "je parle a une ia", "je parle avec un robot", "un bot ou",
           "un robot ou"],
    "vi": ["là robot", "là bot", "là máy", "là ai thật", "là AI", "là người thật", "là người hay", "người thật hay",
           "robot hả", "bot hả", "robot à", "bot à", "với robot hả", "với bot hả", "với máy hả"],
    "ko": ["로봇이에요", "로봇이야", "로봇인가요", "로봇이세요", "로봇이죠", "봇이야", "봇이에요", "봇인가요", "챗봇이에요",
           "챗봇이야", "챗봇인가요", "ai야", "ai예요", "ai인가요", "인공지능이에요", "인공지능이야", "인공지능인가요", "기계야",
           "기계예요", "기계인가요", "사람이야 봇이야", "사람 맞아요", "사람 맞나요", "사람이에요"],
    "zh-hans": ["你是机器人", "是机器人吗", "是不是机器人", "机器人还是真人", "机器人还是人", "真人还是机器人", "你系机械人",
                "机械人定真人", "你是ai", "是ai吗", "你是人工智能", "是人工智能吗", "是不是真人", "是真人吗", "你是人吗",
                "系咪真人"],
    "ar": ["انت روبوت", "إنت روبوت", "انتي روبوت", "هل انت روبوت", "روبوت ولا", "روبوت او", "روبوت أو", "انت بوت",
           "إنت بوت", "بوت ولا", "انت ذكاء اصطناعي", "انت آلة", "انت الة", "انت انسان", "إنت إنسان", "انت بني آدم",
           "nta robot", "enta robot", "inta robot", "nta bot", "enta bot", "inta bot", "wach robot", "robot wala",
           "robot walla", "robot ola"],
}  # fmt: skip
# A wish for a person beside it: a handoff.
WANTS = {
    "en": ["i want", "i wanna", "i need", "i'd like", "id like", "i would like", "let me", "give me", "get me",
           "put me through", "transfer me", "connect me", "can i talk", "can i speak", "i'd rather", "i prefer"],
    "es": ["quiero", "quisiera", "necesito", "pasame", "paseme", "comuniqueme", "prefiero", "me gustaria hablar"],
    "de": ["ich will", "ich mochte", "ich brauche", "ich hatte gern", "verbinden sie", "verbinde mich", "lieber"],
    "fr": ["je veux", "je voudrais", "j'aimerais", "il me faut", "passez-moi", "passez moi", "je prefere"],
    "vi": ["tôi muốn", "em muốn", "mình muốn", "cho tôi gặp", "cho em gặp", "cho mình gặp", "chuyển", "cần gặp"],
    "ko": ["싶어요", "싶습니다", "싶은데", "바꿔", "연결해", "연결 좀", "원해요"],
    "zh-hans": ["我要", "我想", "转人工", "帮我转", "给我转", "找个真人", "找真人", "换人"],
    "ar": ["بدي", "أريد", "اريد", "عايز", "عاوز", "ابي", "أبي", "حولني", "حولوني", "baddi", "bghit", "3ayez", "abi"],
}  # fmt: skip
# Whether a person is there asks for one ("¿Hay una persona de verdad ahí o solo es un robot?", "في حد حقيقي بيرد ولا ده
# روبوت؟"): a handoff (held12), not these.
PERSON_THERE = {
    "en": ["is there a real person", "is there a person", "is there a human", "is there anyone", "is there anybody",
           "is there someone", "any real person", "anyone real"],
    "es": ["hay una persona", "hay alguien", "hay un humano", "hay gente"],
    "de": ["ist da ein mensch", "gibt es einen menschen", "ist da jemand", "ist hier jemand", "gibt es hier jemand"],
    "fr": ["il y a quelqu'un", "y a quelqu'un", "y a-t-il quelqu'un", "il y a une personne", "y a une personne",
           "y a-t-il une personne", "il y a un humain"],
    "vi": ["có người thật", "có ai", "có người trực", "có nhân viên"],
    "ko": ["사람 있어요", "사람 있나요", "사람 있습니까", "사람 없나요", "상담원 있", "직원 있"],
    "zh-hans": ["有没有真人", "有真人吗", "有人吗", "有没有人", "有没有工作人员"],
    "ar": ["في حد", "فيه حد", "في حدا", "فيه أحد", "في أحد", "هل يوجد موظف", "هل يوجد شخص", "fi 7ad", "fih 7ad", "fi 7ada"],
}  # fmt: skip
_MACHINE = [_matcher(normalize(phrase)) for phrases in MACHINE.values() for phrase in phrases]
_PERSON_THERE = [_matcher(normalize(phrase)) for phrases in PERSON_THERE.values() for phrase in phrases]
_WANTS = [_matcher(normalize(phrase)) for phrases in WANTS.values() for phrase in phrases]


def asks_if_a_machine(text: str) -> bool:
    """Whether `text` asks whether the assistant is a machine (or a person), wishes for no person and does not ask
    whether one is there."""
    normalized = normalize(text)
    return (
        any(match(normalized) for match in _MACHINE)
        and not any(match(normalized) for match in _WANTS)
        and not any(match(normalized) for match in _PERSON_THERE)
    )
