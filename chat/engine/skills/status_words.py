"""The words of asking after something sent earlier, in the languages the chat speaks: what makes a message a
status question when it carries no reference number ("I sent in my application last week, any news?", "¿ya
revisaron mi reporte?", "passiert da noch was?", "上周报的问题有进展吗", "où en est mon signalement",
"đơn của tôi đã được xử lý chưa", "신고한 거 어떻게 됐어요", "ما أحد رد علي").

They name the progress asked about (news, an update, a look, an answer, how far it got), mostly beside a
possessive ("my", "mi", "mein…", "mon", "của tôi"), so that a question about a topic ("what is the status of
the new library?") stays a question. Status keywords decide over the encoder's nearest example
(`Skill.purpose_keywords`), and are tried before a report's or a registration's: asking after a
report names the report ("신고한 거", "mi reporte", "mon signalement"). Normalized when matched (lower case, no
accents, đ as d); a trailing * matches a word's beginning; Han, Hangul and Arabic anywhere in the message.
"""

KEYWORDS = {
    "en": ["status", "track", "reference number", "update on my", "news on my", "news about my", "heard back",
           "hear back", "checking on my", "checking on the report", "checking in on my", "check on my",
           "look at my", "looked at my", "looked into my", "progress on my", "any progress", "happened to my",
           "happened with my", "happening with my", "get back to me about my", "still waiting on my"],
    "es": ["estado de mi", "seguimiento", "referencia", "no se nada", "que paso con mi", "novedades de mi",
           "novedades sobre mi", "revisaron mi", "ya revisaron", "no me han dicho", "como va mi",
           "como va el tramite", "que ha pasado con mi", "sigo esperando"],
    "zh-hans": ["进度", "状态", "编号", "审核通过", "有结果了吗", "处理得怎么样", "进展", "处理了吗", "处理好了吗",
                "有回复吗", "怎么样了"],
    "de": ["was neues zu mein*", "neuigkeiten zu mein*", "daraus geworden", "stand meines", "stand meiner",
           "passiert da noch was", "passiert da was", "tut sich da", "tut sich was", "schon bearbeitet",
           "noch nichts gehort", "nichts mehr gehort",
           "wie ist der stand", "stand bei", "was ist mit meiner", "was ist mit meinem"],
    "fr": ["nouvelles de mon", "nouvelles de ma", "nouvelles concernant mon", "nouvelles concernant ma",
           "ou en est mon", "ou en est ma", "ou en est le dossier", "suivi de mon", "suivi de ma",
           "a-t-il ete traite", "a-t-elle ete traitee",
           "statut de mon", "statut de ma"],
    "vi": ["xử lý chưa", "giải quyết chưa", "đến đâu rồi", "tới đâu rồi", "tình trạng hồ sơ", "tình trạng đơn",
           "tiến độ", "kết quả hồ sơ", "kết quả đơn"],
    "ko": ["어떻게 됐", "어떻게 되었", "어떻게 되고", "처리됐", "처리 됐", "처리되었", "처리 되었", "처리됐나",
           "진행 상황", "진행상황", "처리 상태", "처리 결과"],
    "ar": ["حالة طلبي", "حالة الطلب", "حالة شكواي", "حالة بلاغي", "وين وصل", "إلى أين وصل", "متابعة طلبي", "متابعة شكواي", "متابعة بلاغي"],
}  # fmt: skip

# Something the citizen sent earlier, named in the past tense beside the thing ("the tree I called about", "lo
# del árbol que reporté", "der Baum, den ich gemeldet hab", "l'arbre que j'ai signalé", "vụ cây đổ … sao rồi",
# "بلاغ الشجرة اللي رفعته"): asking after it, whatever is asked ("what happened", "was it cleared?").
SENT_EARLIER = {
    "en": ["i called about", "i called in about", "i reported", "i sent in", "i submitted", "i filed",
           "i put in", "i logged", "i made about", "i opened", "i phoned in"],
    "es": ["que reporte", "que denuncie", "que mande", "que envie", "que levante", "levante un reporte",
           "que hice", "ya reporte"],
    "zh-hans": ["上次报的", "之前报的", "我报的", "报过的", "反映过的", "上次报修", "shang ci bao", "bao xiu le", "bao guo"],
    "de": ["gemeldet hab", "gemeldet habe", "gemeldet hatte", "hab ich gemeldet", "habe ich gemeldet",
           "eingereicht hab", "eingereicht habe"],
    "fr": ["j'ai signale", "j'avais signale", "j'ai fait un signalement", "j'ai envoye", "j'ai depose",
           "du nouveau pour", "du nouveau sur", "du nouveau concernant"],
    "vi": ["sao rồi", "thế nào rồi", "ra sao rồi", "đã báo", "đã gửi"],
    "ko": ["신고했던", "접수했던", "신고한 거", "신고한 것"],
    "ar": ["ballaght", "ballaght 3an", "bala8t", "ballagt", "قدمت شكوى", "قدمت بلاغ", "قدمت طلب", "رفعت بلاغ", "اللي رفعته", "اللي قدمته", "اللي أرسلته", "الذي قدمته", "الذي رفعته", "ايش صار", "شو صار", "وش صار"],
}  # fmt: skip

# A decision asked after, on something applied for without its reference ("has my building permit been approved
# yet?", "ist meine Genehmigung schon durch?", "我的许可批下来了吗", "giấy phép của tôi duyệt chưa"), and a visit that
# was never followed up ("the inspector who came out about my tree never got back to me", "der Herr, der wegen dem Baum
# da war, hat sich nie gemeldet"). A question about how long approval takes names neither ("how long does a permit
# take to be approved?").
DECIDED = {
    "en": ["approved yet", "get approved yet", "go through yet",
           "gone through yet", "went through yet", "any decision on my", "decision on my", "never got back to me",
           "who came out about", "who came about", "who came by about", "came to look at my"],
    "es": ["ya aprobaron", "ya esta aprobad*", "ya me aprobaron", "aprobaron mi", "ya salio mi", "ya salio el permiso",
           "respuesta sobre mi", "respuesta a mi solicitud", "nunca volvio a llamar", "no volvio a llamar",
           "nunca me volvieron a llamar"],
    "zh-hans": ["批下来了吗", "批下来没", "批了吗", "批了没", "批准了吗", "批准了没", "办好了吗",
                "办下来了吗", "后来再也没", "再也没消息", "一直没消息", "没有下文"],
    "de": ["schon genehmigt", "schon durch", "schon bewilligt", "schon entschieden", "entscheidung zu mein*",
           "nie wieder gemeldet", "nie mehr gemeldet", "sich nicht mehr gemeldet", "sich nie gemeldet"],
    "fr": ["est-il accepte", "est-elle acceptee", "a-t-il ete accepte", "a-t-elle ete acceptee", "deja accepte",
           "deja validee", "deja valide", "jamais revenu vers moi", "jamais rappele",
           "n'est jamais revenu", "pas revenu vers moi"],
    "vi": ["duyệt chưa", "được duyệt chưa", "cấp chưa", "được cấp chưa", "có kết quả chưa", "không thấy quay lại",
           "chưa thấy quay lại", "không thấy liên lạc", "chưa thấy liên lạc"],
    "ko": ["승인 났", "승인났", "승인됐", "승인 됐", "승인되었", "허가 났", "허가났", "허가 나왔", "그 뒤로 연락이 없", "그 후로 연락이 없", "다시 연락이 없"],
    "ar": ["انوافق", "اتوافق", "تمت الموافقة", "صار في موافقة", "صارت موافقة", "طلع القرار", "mwafa2a", "wafa2o",
           "ما رجع تواصل", "ما رجع حدا", "ما حدا رجع"],
}  # fmt: skip

# A follow-up told as a story, with no number: someone was to come (or call) and did not, or the citizen has been waiting
# since they asked ("the guy who was supposed to come back about my tree never did", "el de la grúa que iba a venir
# nunca vino", "der wollt nochmal vorbeikommen, hat sich aber nie mehr gmeldet", "il devait repasser", "hẹn qua mà
# không thấy", "다시 온다더니", "说好下周来", "قال بيجي وما جا", "wa3adna yerga3"). The promise or the waiting since is
# what makes it a follow-up: a first report of the same problem names neither ("the garbage truck never came this
# week", "el camión nunca vino", "垃圾车这周一直没来" stay reports).
PROMISED = {
    "en": ["supposed to come", "supposed to come back", "supposed to swing by", "supposed to call me back",
           "said they'd come", "said they would come", "said he'd come", "said he would come", "said she'd come",
           "said she would come", "said they'd be back", "said he'd be back", "said she'd be back",
           "said they would be back", "was going to come", "were going to come", "was gonna come", "were gonna come",
           "was gonna swing by", "was coming to look", "who was coming", "was coming back", "never came back",
           "never come back", "never showed up again", "like you promised", "as promised", "you promised",
           "was promised", "were promised", "promised to come", "promised to call", "i was told a crew",
           "i was told someone", "i was told somebody", "i was told they", "never called me back",
           "nobody called me back", "no one called me back", "nobody ever called me back", "no one ever called me back",
           "never called back", "nobody called back", "no one called back", "nobody got back to me",
           "no one got back to me", "still waiting since", "been waiting since", "waiting since",
           "still waiting on the", "still waiting for the", "i asked for weeks ago", "i asked for like",
           "i asked for a while ago", "i asked for last",
           # someone said someone would come ("the lady on the phone said somebody would come"), asking again
           "said someone would", "said somebody would", "said a crew would", "said they'd send", "said they would send",
           "told me someone would", "told me somebody would", "told me a crew would", "told me it would be",
           "was told it would be", "was told it'd be", "said it would be fixed", "said it would be done",
           "city said it would", "promised before", "promised it would", "promised me", "third time asking",
           "second time asking", "fourth time asking", "third time i'm asking", "second time im writing",
           "second time i'm writing", "third time writing", "third time i've asked", "asked twice already"],
    "es": ["iba a venir", "iban a venir", "iba a regresar", "iba a volver", "iban a volver", "iban a regresar",
           "dijo que volvia", "dijo que regresaba", "dijo que venia", "dijo que vendria", "dijo que volveria",
           "dijo que regresaria", "dijeron que venian", "dijeron que vendrian", "dijeron que volvian",
           "dijeron que regresaban", "quedaron de", "quedo de venir", "quedo de volver", "quedo de regresar",
           "quedo en venir", "quedaron en venir", "nunca regreso", "nunca volvio", "no volvio nunca", "nunca regresaron",
           "nunca volvieron", "como me dijeron", "como quedamos", "como prometieron", "me prometieron", "prometio venir",
           "esperando desde", "espero desde",
           "me dijo que mandaban", "me dijeron que mandaban", "me dijo que mandarian", "me dijeron que mandarian",
           "me aseguraron", "me aseguro que", "me habian dicho", "me habia dicho", "tercera vez que escribo", "tercera vez que pregunto",
           "tercera vez que llamo", "segunda vez que escribo", "segunda vez que pregunto", "segunda vez que llamo",
           "ya van dos reclamos", "ya van tres reclamos", "dijeron que lo arreglaban", "dijeron que lo arreglarian"],
    "de": ["wollte nochmal", "wollt nochmal", "wollte noch mal", "wollt noch mal", "wollte wiederkommen",
           "nochmal vorbeikommen", "nochmal vorbeischauen", "wieder vorbeikommen", "nie wieder gekommen",
           "nie mehr gekommen", "nimmer gekommen", "nie wieder aufgetaucht", "nie aufgetaucht", "wie versprochen",
           "hat versprochen", "haben versprochen", "melden sollen", "warte seit", "warten seit", "wart ich drauf",
           "warte ich drauf", "warten immer noch", "keiner zuruckgerufen", "niemand zuruckgerufen", "nie zuruckgerufen",
           "nicht zuruckgerufen", "keiner mehr zuruckgerufen", "nie mehr gmeldet", "nie gmeldet", "nimmer gmeldet",
           "nimmer gemeldet", "nie mehr gemeldt", "nicht mehr gmeldet",
           "am telefon hiess es", "hiess es, bis", "zugesagt", "mir wurde versprochen", "uns wurde versprochen",
           "schreibe zum dritten mal", "schreibe jetzt zum dritten mal",
           "schreibe zum zweiten mal", "schreibe jetzt zum zweiten mal", "frage zum dritten mal", "frage jetzt zum dritten mal",
           "zum dritten mal nach", "zum x-ten mal nach", "die stadt wollte", "wollte die stadt",
           "passiert da endlich"],
    "fr": ["devait repasser", "devait revenir", "devait venir", "devaient venir", "devaient revenir", "devaient passer",
           "devait passer", "jamais revenu", "jamais revenus", "jamais repasse", "pas repasse", "comme promis",
           "on m'avait dit", "on m'avait promis", "m'avait promis", "m'a promis", "m'ont promis", "j'attends depuis",
           "en attente depuis", "personne ne m'a rappele", "on ne m'a jamais rappele", "jamais eu de nouvelles",
           "pas eu de nouvelles", "aucune nouvelle depuis",
           "m'a assure qu", "m'avait assure", "on m'a dit qu'un", "on m'a dit qu'une", "on m'avait dit qu",
           "vous m'aviez dit", "vous m'aviez promis", "troisieme fois que je", "deuxieme fois que je", "je relance"],
    "vi": ["hẹn qua", "hẹn tới", "hẹn đến", "hẹn quay lại", "hẹn sẽ", "như đã hẹn", "như đã hứa", "đã hứa", "hứa sẽ",
           "hứa gọi", "hứa qua", "hứa tới", "hứa quay", "chờ từ", "đợi từ", "không thấy tới", "chưa thấy tới",
           "không thấy quay", "không thấy gọi", "chẳng thấy gọi", "chưa thấy gọi", "quay lại mà",
           "nói sẽ cho người", "bảo sẽ cho người", "nói sẽ có người", "bảo sẽ có người", "nói sẽ dọn", "nói sẽ sửa",
           "lần thứ ba tôi hỏi", "lần thứ hai tôi hỏi", "hỏi lần thứ", "se cho nguoi", "noi se"],
    "ko": ["온다더니", "오신다더니", "준다더니", "주신다더니", "온다고 했는데", "오신다고 했는데", "준다고 했는데",
           "주신다고 했는데", "다시 온다고", "다시 오신다고", "부터 기다리", "째 기다리", "째 소식이 없", "째 연락이 없",
           "연락 준다고", "연락 주신다고", "연락이 없네", "연락이 없어요",
           "보내준다고 하셨는데", "보내 준다고 하셨는데", "고쳐준다고 하신", "고쳐 준다고 하신", "한다고 하셨는데", "약속했는데",
           "세 번째 문의", "두 번째 문의", "세 번째 연락"],
    "zh-hans": ["说好", "说要来", "说会来", "说再来", "说下周再来", "说明天再来", "答应来", "答应过", "答应我", "等到现在",
                "一直在等", "没回电话", "没给我回电", "没人回电话", "没人给我回电", "再也没来",
                "说会派人", "说这周会", "第三次问", "第二次问", "第三次反映", "已经问过好几次", "说要派人",
                # pinyin
                "shuo hui pai ren", "shuo hao", "hai mei ren lai", "hai mei lai"],
    "ar": ["قال بيجي", "قال راح يجي", "قالوا بيجوا", "قالوا راح يجوا", "قال انه بيجي", "وعدوني", "وعدنا", "وعدني",
           "زي ما قلتوا", "مثل ما قلتوا", "كما وعدتم", "كما وعدتوني", "وأنا أستنى", "وانا استنى", "وأنا انتظر",
           "وانا انتظر", "وأنا أنتظر", "ما رجع", "ما رجعوا", "ولا رجع", "ما حد رجع", "ما حدا رجع",
           # Arabizi (Egyptian, Gulf, Levantine)
           "wa3ad", "wa3adna", "wa3adoni", "wa3adni", "2alo haygo", "2al hayegy", "2al haygy", "kan gai", "kano gayin",
           "gal bayji", "galaw bayjon", "gal raye7 yiji", "ma rege3sh", "ma rag3sh", "marege3sh", "ma rege3", "ma raja3",
           "ma rj3", "ma rija3", "mestanni", "mestany", "mistanni", "ana mostanni", "ma7adesh rege3", "ma 7ad rege3",
           "قالت راح", "قالولي", "قالوا لي بي", "ثالث مرة اسأل", "ثالث مرة أسأل", "ثاني مرة اسأل", "ثاني مرة أسأل",
           "2alouli", "2alooli", "galouli", "2alo jayin", "ma7addesh ja", "ma7adesh ga", "ma7addesh gah", "ma7adesh gah",
           "sa2alt marratein", "sa2alt talet marra", "as2al talet marra"],
}  # fmt: skip

KEYWORDS = {
    language: [*words, *SENT_EARLIER.get(language, []), *DECIDED.get(language, []), *PROMISED.get(language, [])]
    for language, words in KEYWORDS.items()
}
