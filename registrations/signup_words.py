"""The words of signing up, in the languages the chat speaks: what makes a message a registration.

A citizen says "apuntarme", "darme de alta", "matricularme" as often as "inscribirme"; "mich eintragen" or
"anmelden"; "报名" or "登记"; "m'inscrire", "đăng ký", "등록", "التسجيل". The register skill uses them three ways:

- `VERBS`: the act of signing up (a verb form). They make a question a request to register ("¿dónde me
  apunto al curso?", "wie kann ich mich anmelden?") rather than a question about a registration, which the
  knowledge base answers ("how long does voter registration take?").
- `KEYWORDS`: the same verbs, less those that also mean something else in a statement: a statement naming
  the act is a registration ("quiero apuntarme a la clase de gimnasia"). Nouns naming a registration are not
  keywords: "Rückmeldung: die Online-Anmeldung hat gut geklappt" judges one, "mi inscripción de ayer" asks
  after one.
- `GENERIC`: every word of the verbs and nouns, so that choosing the form ignores them ("apuntarme para
  votar" names the voter registration by "votar", not by "apuntarme").

Written without a trailing * where a word's other forms mean something else ("apuntar la dirección" is to
note down, "Einschreiben" a registered letter, "registro civil" an office, 申请 the application a status
question asks about).
"""

VERBS = {
    "en": [
        "register", "sign up", "sign me up", "sign us up", "enrol", "enroll", "enroll me", "apply",
        "put me down for", "put my name down",
        # a place on a list: "how do I get on the list for a garden plot", "add me to the waiting list"
        "get on the list", "put me on the list", "add me to the list", "get on the waiting list",
        "put me on the waiting list", "add me to the waiting list", "get on the waitlist", "waitlist me",
    ],
    "es": [
        # inscribir(se)
        "inscribir", "inscribirme", "inscribirse", "inscribirte", "inscribirnos", "inscribirla", "inscribirlo",
        "inscribirlos", "inscribo", "inscribe", "inscribeme", "inscriba", "inscribimos",
        # apuntar(se): to put one's name down
        "apuntarme", "apuntarse", "apuntarte", "apuntarnos", "apuntarla", "apuntarlo", "apuntarlos", "apuntame",
        "me apunto", "nos apuntamos", "apuntar a", "apunto a", "apunte a",
        # with "a + el" contracted ("me quiero apuntar al taller"), or after a verb of wanting
        "apuntar al", "apunto al", "apunte al", "quiero apuntar", "me quiero apuntar", "nos queremos apuntar",
        # darse de alta
        "darme de alta", "darse de alta", "darte de alta", "darnos de alta", "darla de alta", "darlo de alta",
        "dar de alta", "doy de alta", "me doy de alta", "dame de alta",
        # matricular(se)
        "matricular", "matricularme", "matricularse", "matricularte", "matricularla", "matricularlo",
        "matriculo", "matriculame",
        # registrar(se), solicitar
        "registrar", "registrarme", "registrarse", "registrarte", "registrarla", "registrarlo", "registrame",
        "registro", "solicitar",
    ],
    "de": [
        "anmelden", "anmelde", "melde mich", "melde uns", "melde meinen", "melde meine", "melde mein",
        "registrieren", "registriere", "registrier", "eintragen", "einzutragen", "trage mich", "tragen sie mich",
        "einschreiben", "einzuschreiben", "schreibe mich", "beantragen", "beantrage",
    ],
    "zh-hans": ["登记", "报名", "注册", "申请", "加入"],
    "fr": [
        "inscrire", "inscris", "inscrivez", "inscrivent", "enregistrer", "enregistre", "s'enregistrer",
    ],
    "vi": ["đăng ký", "đăng kí", "dang ky", "dang ki", "ghi danh", "ghi tên"],
    "ko": ["등록", "신청", "가입"],
    "ar": ["تسجيل", "أسجل", "سجلني", "أشترك", "الاشتراك"],
}  # fmt: skip

# Nouns naming a registration: only ignored when choosing the form (a question about one, "¿cuánto dura la
# inscripción?", is for the knowledge base; a statement may judge one or ask after it).
NOUNS = {
    # "-ing" forms mostly describe a registration ("problems registering for my appointment, who do I call?")
    "en": ["registration", "enrollment", "enrolment", "sign-up", "signup", "registering", "signing", "enrolling"],
    "es": ["inscripcion", "matriculacion", "alta en el padron"],
    "de": ["anmeldung", "registrierung", "eintragung", "einschreibung"],
    "fr": ["inscription"],
}

# Not keywords: verbs that mean more than signing up in a statement ("apply" in "this doesn't apply to me",
# "can nonprofits apply for the loan?" asks who may;
# "registro" in "los empleados del registro civil"; 申请 and 신청 in "my application": a status question).
_NOT_KEYWORDS = frozenset(["apply", "registro", "solicitar", "申请", "신청", "beantragen", "beantrage", "加入"])

# A noun of signing up that opens a request for something ("Anmeldung zum Schwimmkurs bitte", "inscripción
# para el taller", "registration for the youth league"): the noun followed by what it is for. Without that
# ("mi inscripción de ayer", "die Online-Anmeldung hat geklappt") it asks after or judges one. 报个名 is 报名
# with a measure word between.
NOUN_REQUESTS = {
    "en": ["registration for", "enrollment for", "enrolment for", "sign-up for", "signup for", "sign up sheet for"],
    "es": ["inscripcion para", "inscripcion al", "inscripcion a la", "inscripcion en", "matricula para",
           "matricula en", "alta en el programa"],
    "de": ["anmeldung zum", "anmeldung zur", "anmeldung fur", "anmeldung fuer", "einschreibung fur",
           "einschreibung zum", "einschreibung zur", "registrierung fur"],
    "zh-hans": ["报个名", "报一下名"],
    "fr": ["inscription au", "inscription a la", "inscription pour", "inscription en"],
}  # fmt: skip

# A place or a booking asked for: they make a question a request to register ("is there still room in the pottery
# class?", "¿quedan plazas en el curso de julio?", "can my son still get a spot in the camp?", "대형 폐기물 수거 날짜 잡고
# 싶어요") as the verbs do, but are no keywords: in a statement they may describe ("there is no room in the bin").
PLACES = {
    "en": ["room in", "room left", "spot in", "spot for", "a spot", "spots left", "places left", "place in",
           "a place for", "space in", "space left", "openings in", "still get in", "book a",
           "reserve a", "reserve the", "pickup scheduled", "schedule a pickup", "a plot", "waiting list",
           "book a pickup", "schedule it", "get licensed", "dog licensed", "license my", "licence my", "get a slot",
           "a slot for"],
    "es": ["plaza", "plazas", "cupo", "cupos", "lugar en", "lugares en", "reservar", "reserva", "agendar", "agendo",
           "sacar turno", "pedir turno", "pedir cita", "una parcela", "entrar al", "entrar en el", "me apuntas",
           "me anotas", "anotarme", "sacar la licencia", "sacar el permiso", "sacar la tarjeta", "lo relleno",
           "donde lo relleno", "pedir una cita"],
    "de": ["platz im", "platz in", "platze", "freie platze", "noch platz", "einen platz", "termin", "buchen",
           "reservieren", "parzelle", "noch rein", "mitmachen", "sperrmulltermin", "hund anmelden", "hundemarke"],
    "zh-hans": ["名额", "预约", "预定", "预订", "还能报", "位置吗", "名额吗", "填表", "在哪里办", "去哪里办", "哪里办",
                "办个", "约一下"],
    "fr": ["une place", "des places", "reste-t-il", "rendez-vous", "reserver", "parcelle", "inscrire"],
    "vi": ["còn chỗ", "con cho", "đặt lịch", "đặt chỗ", "đặt trước", "vào được", "xin một", "lịch hẹn"],
    "ko": ["자리", "예약", "날짜 잡", "분양", "들어갈 수"],
    "ar": ["أماكن", "اماكن", "مكان", "احجز", "أحجز", "حجز", "موعد", "تلحق", "ألحق", "التقديم", "أقدم"],
}  # fmt: skip

KEYWORDS = {
    language: [word for word in words if word not in _NOT_KEYWORDS] + NOUN_REQUESTS.get(language, [])
    for language, words in VERBS.items()
}

GENERIC = frozenset(word for words in (*VERBS.values(), *NOUNS.values()) for phrase in words for word in phrase.split())
