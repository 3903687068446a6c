# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""The demo's Springfield FAQ on trash, holidays and potholes in the citizens' other languages (the English
pages are in `knowledge.demo`), so a Spanish, German or Chinese question is answered from a passage in its
own language."""

TRASH_FAQ_ES = [
    {
        "question": "¿Qué día recogen la basura?",
        "answer": "La basura y el reciclaje se recogen una vez por semana, siempre el mismo día, según su "
        "dirección. Saque los contenedores a la acera antes de las 6:00 de la mañana del día de recogida.",
    },
    {
        "question": "¿Recogen la basura en los días festivos?",
        "answer": "Cuando un festivo cae entre semana, la recogida de ese día y de los días siguientes de la "
        "semana se retrasa un día.",
    },
    {
        "question": "¿Cómo reporto un bache en la calle?",
        "answer": "Reporte el bache en línea, en el chat de este sitio o llamando al 311. Un equipo lo "
        "inspecciona en dos días hábiles y la mayoría se reparan en cinco días hábiles.",
    },
]

TRASH_FAQ_DE = [
    {
        "question": "An welchem Tag wird der Müll abgeholt?",
        "answer": "Restmüll und Wertstoffe werden einmal pro Woche abgeholt, immer am selben Wochentag, je nach "
        "Ihrer Adresse. Stellen Sie die Tonnen am Abholtag vor 6:00 Uhr morgens an den Straßenrand.",
    },
    {
        "question": "Wird der Müll an Feiertagen abgeholt?",
        "answer": "Fällt ein Feiertag auf einen Werktag, verschiebt sich die Abholung an diesem Tag und an den "
        "folgenden Tagen der Woche um einen Tag.",
    },
    {
        "question": "Wie melde ich ein Schlagloch?",
        "answer": "Melden Sie das Schlagloch online, im Chat dieser Website oder telefonisch unter 311. Ein Team "
        "prüft es innerhalb von zwei Werktagen, und die meisten Schlaglöcher werden innerhalb von fünf Werktagen "
        "repariert.",
    },
]

TRASH_FAQ_ZH = [
    {
        "question": "垃圾哪天收集？",
        "answer": "生活垃圾和可回收物每周收集一次，根据您的地址固定在同一天。请在收集日早上6点前把垃圾桶放到路边。",
    },
    {
        "question": "节假日收垃圾吗？",
        "answer": "如果节假日在工作日，当天及本周之后几天的垃圾收集都推迟一天。",
    },
    {
        "question": "如何报告路面坑洞？",
        "answer": "您可以在网上、在本网站的聊天中或拨打311报告坑洞。工作人员会在两个工作日内查看，大多数坑洞在五个工作日内修好。",
    },
]
