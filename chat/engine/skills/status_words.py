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
    "zh-hans": ["上次报的", "之前报的", "我报的", "报过的", "反映过的"],
    "de": ["gemeldet hab", "gemeldet habe", "gemeldet hatte", "hab ich gemeldet", "habe ich gemeldet",
           "eingereicht hab", "eingereicht habe"],
    "fr": ["j'ai signale", "j'avais signale", "j'ai fait un signalement", "j'ai envoye", "j'ai depose",
           "du nouveau pour", "du nouveau sur", "du nouveau concernant"],
    "vi": ["sao rồi", "thế nào rồi", "ra sao rồi", "đã báo", "đã gửi"],
    "ko": ["신고했던", "접수했던", "신고한 거", "신고한 것"],
    "ar": ["قدمت شكوى", "قدمت بلاغ", "قدمت طلب", "رفعت بلاغ", "اللي رفعته", "اللي قدمته", "اللي أرسلته", "الذي قدمته", "الذي رفعته", "ايش صار", "شو صار", "وش صار"],
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

KEYWORDS = {
    language: [*words, *SENT_EARLIER.get(language, []), *DECIDED.get(language, [])]
    for language, words in KEYWORDS.items()
}
