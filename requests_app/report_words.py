"""The words of reporting a problem, in the languages the chat speaks: what makes a message a report.

A report names the act ("I want to report graffiti", "je veux signaler…", "신고하고 싶어요") or says what is
there ("there is graffiti on the bridge", "il y a un nid-de-poule", "có một cái hố", "هناك حفرة"), whatever
the problem is called; the form then asks which of the agency's services.

- `KEYWORDS`: a statement with one of them is a report (unless the encoder's nearest example is clearly
  another intent: `chat.understanding`).
- `REQUEST_WORDS`: the act itself; they make a question a request to report ("how do I report a pothole?")
  rather than a question about its topic ("how long does it take to fix a pothole?").

Words of something broken are written with what breaks where the bare word says more ("hỏng" without
diacritics is "hong"; 고장 alone is any fault, which is still a report).
"""

KEYWORDS = {
    "en": ["pothole", "report a problem", "broken street light", "report a", "to report", "there is", "there's"],
    "es": ["bache", "reportar", "farola", "denunciar", "hay un", "hay una", "hay grafiti"],
    "zh-hans": ["坑洞", "报告", "路灯", "举报", "报修", "上有"],
    "de": ["schlagloch", "melden", "es gibt", "kaputt"],
    "fr": ["signaler", "il y a un", "il y a une", "il y a des", "nid-de-poule", "nid de poule", "lampadaire",
           "est casse", "est cassee", "en panne"],
    "vi": ["báo cáo", "phản ánh", "có một cái", "bị hỏng", "ổ gà", "đèn đường", "bị vỡ"],
    "ko": ["신고", "고장", "구멍이", "파손", "가로등"],
    "ar": ["أبلغ", "الإبلاغ", "بلاغ", "هناك", "حفرة", "معطل", "مكسور"],
}  # fmt: skip

REQUEST_WORDS = {
    "en": ["report"],
    "es": ["reportar", "reporto", "reporta", "denunciar", "denuncio"],
    "zh-hans": ["报告", "举报", "报修"],
    "de": ["melden", "melde", "meldet"],
    "fr": ["signaler", "signale"],
    "vi": ["báo cáo", "phản ánh"],
    "ko": ["신고"],
    "ar": ["أبلغ", "الإبلاغ", "بلاغ"],
}
