"""The words of asking in French, Vietnamese, Korean and Arabic (`chat.engine.intents.is_question`; en, es, de
and zh are written there): a message with one is a question even when a phone dropped the question mark.

Typed questions in these languages mostly have no mark ("combien de temps pour reboucher un nid de poule",
"sửa ổ gà mất bao lâu vậy", "가로등 수리는 어디 담당이에요", "كم يستغرق إصلاح حفرة"), and a question about a
report's or a registration's topic is not a request for it unless it names the act (`Skill.request_words`).

- `FIRST_WORDS`: interrogatives that ask only when they open the message ("qui" opens a question, but "un câble
  qui pend" is a statement; "من" opens "who…" but is "from" elsewhere).
- `ANYWHERE`: phrases that ask wherever they are ("bao lâu", "얼마", "combien").
- `ENDINGS`: a sentence-final particle or verb ending that asks (Vietnamese "… không", "… chưa"; Korean
  "…나요", "…까요").

Written as typed; compared normalized (lower case, no accents, đ as d, Hangul as jamo).
"""

FIRST_WORDS = {
    "fr": ["comment", "combien", "quand", "ou", "pourquoi", "qui", "quel", "quelle", "quels", "quelles",
           "qu'est", "est", "peut", "peux", "puis", "faut", "avez", "pouvez"],
    "vi": ["ai", "sao"],
    "ar": ["كم", "متى", "أين", "وين", "فين", "ليش", "لماذا", "ليه", "كيف", "شلون", "هل", "ماذا", "ايش", "إيش",
           "شو", "وش", "مين", "من"],
}  # fmt: skip

ANYWHERE = {
    "fr": ["combien", "pourquoi", "est-ce que", "est ce que", "a quelle heure", "quel jour", "c'est quand",
           "c'est ou", "y a-t-il"],
    "vi": ["bao lâu", "bao nhiêu", "ở đâu", "chỗ nào", "khi nào", "lúc nào", "mấy giờ", "tại sao", "vì sao",
           "thế nào", "làm sao", "được không", "phải không", "bao giờ", "là gì", "gì vậy"],
    "ko": ["어디", "언제", "얼마", "몇", "며칠", "왜", "어떻게", "누가", "누구", "무엇", "뭐", "무슨", "어느"],
    "ar": ["ليش", "لماذا", "متى"],
}  # fmt: skip

ENDINGS = {
    "vi": ["không", "khong", "ko", "chưa", "chua", "gì"],
    "ko": ["나요", "까요", "니까", "인가요", "한가요", "는지"],
}

# Asking the price: "반려견 등록비 얼마예요", "how much is it to sign up for swim lessons", "combien coûte
# l'inscription" ask about a fee, even naming the act (like asking whether one must: `intents.OBLIGATION_WORDS`).
# Matched in a question only.
PRICE_WORDS = {
    "en": ["how much", "what does it cost", "what's the fee", "whats the fee", "what is the fee", "price of",
           "cost of", "cost to", "costs to"],
    "es": ["cuanto cuesta", "cuanto vale", "cuanto sale", "cuanto cobran", "precio", "costo", "tarifa"],
    "de": ["was kostet", "wie viel kostet", "wieviel kostet", "kosten", "gebuhr*"],
    "zh-hans": ["多少钱", "费用", "收费", "价格", "要钱吗"],
    "fr": ["combien coute", "combien ca coute", "combien pour", "prix", "tarif*", "cout", "frais"],
    "vi": ["bao nhiêu tiền", "lệ phí", "phí", "tốn bao nhiêu"],
    "ko": ["얼마", "비용", "요금", "수수료"],
    "ar": ["رسوم", "تكلفة", "سعر", "بكم", "كم يكلف", "كم تكلف"],
}  # fmt: skip

# Words a Vietnamese question may end on after its particle ("xong chưa ad", "được không ạ").
TAILS = ["ạ", "ad", "vậy", "nhỉ", "hả", "à", "nha", "nhé"]

# "من فضلك" opens a request ("please …"), not "who …".
# "ai đó" is someone, not who: "ai đó đổ rác ở hẻm" (someone dumped rubbish in the alley) tells
NOT_ASKING_OPENINGS = ["من فضلك", "ai đó"]
# … nor "ai" (someone) opening a telling that ends in an exclamation ("Ai đổ nệm … ở hẻm sau chợ, dơ hết trơn, bực mình
# ghê": someone dumped a mattress …, so annoying): the last word exclaims, no question asked.
EXCLAIMING_ENDS = ["ghê", "quá", "thật", "trời", "luôn", "lắm", "kinh khủng", "vãi", "thiệt"]
# An exclamation opened by an interrogative word ("Qué buen servicio, los de limpieza dejaron la calle impecable",
# "what a great job the crew did", "wie schön der Park geworden ist", "quelle honte"): no question without a question
# mark. Compared normalized, as whole words at the message's start.
EXCLAIMING = {
    "en": ["what a", "what an", "how nice", "how kind", "how lovely", "how great", "how awful", "how terrible",
           "how rude"],
    "es": ["que buen", "que buena", "que bueno", "que buenos", "que buenas", "que bien", "que mal", "que malo",
           "que mala", "que lindo", "que linda", "que amable", "que amables", "que horror", "que desastre",
           "que verguenza", "que asco", "que maravilla", "que gusto", "que barbaridad", "que servicio"],
    "de": ["was fur ein", "was fur eine", "was fur einen", "wie schon", "wie toll", "wie nett", "wie peinlich",
           "wie argerlich"],
    "fr": ["quel bon", "quelle bonne", "quel plaisir", "quel bonheur", "quelle honte", "quelle horreur",
           "quelle galere", "quel bazar", "quel service", "quelle equipe", "quel accueil"],
}  # fmt: skip
# "không có gì" ends on "gì" but says "you're welcome" / "nothing".
NOT_ASKING_ENDINGS = ["không có gì"]

# Asking for a deadline or the papers a form needs ("Has the deadline for the garden plot lottery passed? I only need
# the date, my wife will sign us up later", "welche Unterlagen brauche ich", "cần giấy tờ gì"): information about a
# form's topic, even naming the act (like asking the price). Matched in a question only. Not "until when": "hasta
# cuándo vamos a tener ese semáforo apagado?" is an exasperated report.
# Who may sign up: an age or another condition asked about ("is 5 too young for day camp? we'd like to enrol him",
# "썸머캠프 등록하려는데 나이 제한 있나요?"): a question about a rule, even naming the act (`chat.engine.intents`).
ELIGIBILITY = {
    "en": ["too young", "too old", "old enough", "age limit", "minimum age", "age requirement", "age range",
           "what age", "how old", "eligible", "qualify", "what are the requirements", "requirements to"],
    "es": ["muy chico", "muy chica", "muy pequeno", "muy pequena", "demasiado chico", "demasiado pequeno",
           "edad minima", "limite de edad", "que edad", "cuantos anos tiene que", "a partir de que edad",
           "rango de edad", "califica", "requisitos para"],
    "de": ["zu jung", "zu alt", "alt genug", "altersgrenze", "mindestalter", "ab welchem alter", "welches alter",
           "wie alt muss", "altersbeschrankung", "berechtigt", "voraussetzungen"],
    "fr": ["trop jeune", "trop petit", "trop petite", "assez grand", "assez grande", "assez vieux", "age minimum",
           "limite d'age", "quel age", "a partir de quel age", "tranche d'age", "admissible", "conditions pour"],
    "vi": ["giới hạn tuổi", "bao nhiêu tuổi", "mấy tuổi", "nhỏ quá", "còn nhỏ quá", "độ tuổi", "đủ tuổi", "quá tuổi",
           "điều kiện"],
    "ko": ["나이 제한", "연령 제한", "몇 살", "몇살", "너무 어린", "너무 어려", "나이가 어려", "연령이", "대상이", "자격"],
    "zh-hans": ["年龄限制", "年龄要求", "几岁", "多大", "太小", "满几岁", "有年龄", "条件"],
    "ar": ["العمر المسموح", "حد العمر", "السن المسموح", "كم العمر", "كم عمر", "صغير على", "صغيرة على", "سن كم",
           "الشروط"],
}  # fmt: skip
# The way an act is done: anonymously, without an account, by phone or online ("can i report graffiti anonymously or do
# yall need my name", "可以匿名举报吗", "익명으로 신고할 수 있나요?"): asked, a question about how reporting or signing up
# works, even naming the act (`chat.engine.intents`; only intents that are asked so, `Skill.asked_how`).
MANNER = {
    "en": ["anonymous*", "without an account", "without account", "without making an account", "without an acct",
           "without signing up", "without registering", "without giving my name", "without my name", "need my name",
           "by phone", "over the phone", "by telephone", "by e-mail", "by email", "by text", "online",
           "on the website", "through the website", "on the app", "through the app", "in the app", "in person",
           "by mail"],
    "es": ["anonim*", "sin cuenta", "sin crear cuenta", "sin crear una cuenta", "sin registrarme", "sin dar mi nombre",
           "sin mi nombre", "sin identificarme", "por telefono", "por internet", "en linea", "por la pagina",
           "por la web", "en la web", "por la app", "en la app", "en persona", "por correo", "por whatsapp"],
    "de": ["anonym*", "ohne konto", "ohne account", "ohne registrierung", "ohne namen", "ohne meinen namen",
           "telefonisch", "per telefon", "am telefon", "online", "per e-mail", "per mail", "personlich", "per app",
           "uber die app", "in der app", "auf der webseite", "uber die webseite"],
    "fr": ["anonyme*", "sans compte", "sans creer de compte", "sans creer un compte", "sans m'inscrire",
           "sans donner mon nom", "sans mon nom", "par telephone", "au telephone", "en ligne", "sur le site",
           "par l'appli", "sur l'appli", "par mail", "par courriel", "par e-mail", "en personne", "sur place"],
    "vi": ["ẩn danh", "giấu tên", "không ghi tên", "không cần tài khoản", "không có tài khoản", "không cần tên",
           "qua điện thoại", "bằng điện thoại", "gọi điện", "trực tuyến", "online", "qua mạng", "trên mạng",
           "qua app", "trên app", "qua ứng dụng", "qua email", "trực tiếp"],
    "ko": ["익명", "회원가입 안", "회원가입 없이", "가입 안 하고", "가입 없이", "로그인 없이", "로그인 안", "이름 없이",
           "실명 없이", "전화로", "온라인으로", "인터넷으로", "앱으로", "홈페이지에서", "방문해서", "이메일로"],
    "zh-hans": ["匿名", "不注册", "不用注册", "没有账号", "没账号", "不登录", "不用登录", "打电话", "电话里", "网上",
                "在线", "app上", "小程序", "不留名", "不留姓名", "不留电话", "不用留名"],
    "ar": ["مجهول", "بدون اسم", "بدون ما أذكر اسمي", "بدون ما اذكر اسمي", "بدون ذكر اسمي", "بدون حساب", "من غير حساب",
           "من غير ما اسجل", "بالتلفون", "بالتليفون", "عبر الهاتف", "بالهاتف", "اونلاين", "أونلاين", "عن طريق الموقع",
           "عالموقع", "من التطبيق", "bla smiya", "bla esm", "bla 7sab", "bel telephone", "bel tilifoun", "b tilifoun",
           "online"],
}  # fmt: skip
DEADLINE_AND_PAPERS = {
    "en": ["until when can", "by when", "deadline", "last day to", "last day for", "what documents", "which documents",
           "what papers", "which papers", "what paperwork", "documents do i need", "papers do i need",
           "documents are needed", "documents needed", "what do i need to bring", "what do i have to bring"],
    "es": ["hasta cuando se puede", "hasta cuando puedo", "fecha limite", "plazo", "ultimo dia", "que documentos", "que papeles", "requisitos",
           "que tengo que llevar", "que necesito llevar"],
    "de": ["bis wann", "frist", "stichtag", "letzter tag", "welche unterlagen", "welche dokumente",
           "welche papiere", "unterlagen brauche", "was muss ich mitbringen"],
    "fr": ["jusqu'a quand on peut", "jusqu'a quand peut-on", "jusqu'a quand je peux", "date limite", "dernier delai", "dernier jour", "quels documents", "quels papiers",
           "pieces justificatives", "quelles pieces", "que dois-je apporter"],
    "vi": ["đến khi nào", "đến bao giờ", "hạn chót", "hạn cuối", "giấy tờ gì", "giấy tờ nào", "cần giấy tờ",
           "hồ sơ gồm", "cần mang gì", "cần những gì"],
    "ko": ["언제까지", "마감", "서류", "뭐 가져가", "뭘 가져가", "준비물"],
    "zh-hans": ["到什么时候", "什么时候截止", "截止", "什么材料", "哪些材料", "要带什么", "需要带", "什么证件", "哪些证件"],
    "ar": ["لحد امتى", "لحد إمتى", "حتى متى", "لغاية متى", "آخر موعد", "اخر موعد", "الأوراق المطلوبة", "الاوراق المطلوبة", "ايش الأوراق",
           "ايش الاوراق", "شو الأوراق", "المستندات المطلوبة", "الوثائق المطلوبة"],
}  # fmt: skip

# A question announced with its topic: "tengo una duda sobre la basura", "我想咨询一下垃圾的问题", "mình có câu hỏi về phí
# gửi xe" (`chat.engine.asking.announces_a_question`). The topic follows the words (in Korean it comes before them,
# which the words' particles say: "도서관 회원증 관련해서 질문이 있어요"). Without a topic ("Hallo, ich habe eine Frage",
# "…想咨询一下") it announces one to come: a greeting.
ANNOUNCING = {
    "en": ["question about", "question regarding", "question on", "questions about", "query about", "ask about",
           "asking about", "ask you about", "inquire about", "enquire about", "enquiry about", "inquiry about"],
    "es": ["duda sobre", "duda con", "duda acerca", "pregunta sobre", "pregunta acerca", "consulta sobre",
           "consulta acerca", "consultar sobre", "consultar algo sobre", "preguntar sobre", "preguntar por",
           "preguntarle sobre", "una duda de", "una consulta de", "una pregunta de"],
    "de": ["frage zu", "frage zur", "frage zum", "frage wegen", "frage bezuglich", "frage uber", "frage zu der",
           "fragen zu", "fragen zur", "fragen zum", "frage zu den"],
    "fr": ["question sur", "question concernant", "question a propos", "question au sujet", "questions sur",
           "renseignement sur", "renseignements sur", "demander a propos", "me renseigner sur"],
    "vi": ["hỏi về", "thắc mắc về", "câu hỏi về", "hỏi chút về", "hỏi một chút về", "hỏi thăm về", "hỏi về vụ",
           "hỏi vụ"],
    "zh-hans": ["咨询一下", "咨询下", "想咨询", "问一下", "问下", "请教一下", "想了解一下", "有个问题", "有一个问题",
                "有个关于", "有一个关于"],
    "ko": ["관련해서 질문", "관련 질문", "관련해 질문", "에 대해 질문", "에 대해서 질문", "관련 문의", "관련해서 문의",
           "에 대해 문의", "에 대해서 문의", "관련해서 궁금", "에 대해 궁금", "에 대해서 궁금", "에 대해 여쭤",
           "관련해서 여쭤", "관련 여쭤"],
    "ar": ["سؤال عن", "سؤال بخصوص", "سؤال حول", "سؤال على", "استفسار عن", "استفسار بخصوص", "استفسار حول",
           "اسأل عن", "اسال عن", "so2al 3an", "so2al 3la", "su2al 3an", "sou2al 3la", "sou2al 3an", "soal 3la"],
}  # fmt: skip
# Code-switched ("tôi có câu hỏi about the trash pickup", "eine Frage about the permit", "una duda about el parking"):
# a question's noun in one language and the word before its topic in another (`chat.engine.asking`: every pair).
ANNOUNCING_NOUNS = {
    "en": ["question", "questions", "query"],
    "es": ["duda", "dudas", "pregunta", "consulta"],
    "de": ["frage", "fragen"],
    "fr": ["question", "questions", "renseignement"],
    "vi": ["câu hỏi", "thắc mắc"],
    "ar": ["سؤال", "استفسار", "so2al", "su2al", "sou2al"],
}  # fmt: skip
ANNOUNCING_TOPIC = {
    "en": ["about", "regarding", "concerning"],
    "es": ["sobre", "acerca de"],
    "de": ["zu", "zum", "zur", "wegen", "über", "bezüglich"],
    "fr": ["sur", "concernant", "à propos de"],
    "vi": ["về"],
    "ar": ["عن", "بخصوص", "حول", "3an"],
}  # fmt: skip
# What may follow the words in Chinese without being a topic ("…想咨询一下。", "问一下的问题吗")
# (and the words themselves: "有个问题想咨询一下" announces one to come)
ANNOUNCING_FILLER_HAN = ("想咨询一下", "咨询一下", "想问一下", "问一下", "想请教", "请教", "想了解", "了解", "咨询", "想问",
                         "的问题", "的事情", "的事儿", "的事", "问题", "事情", "一下", "下", "吗", "呢", "啊", "呀", "吧",
                         "哦", "哈", "好吗", "可以吗", "行吗", "您", "你")  # fmt: skip
