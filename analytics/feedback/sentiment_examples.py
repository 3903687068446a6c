# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation, as citizens write them)
"""Example sentences per sentiment (English, Spanish, Chinese), written for the classifier: what citizens'
feedback to a public agency sounds like when it complains, praises or only asks. Complaints often carry no
sentiment word at all ("the light has been out for a week"), which is why the classifier compares meanings
and does not only count words."""

from __future__ import annotations

SENTIMENT_EXAMPLES: dict[str, list[str]] = {
    "negative": [
        "Nobody has fixed this for weeks",
        "It has been broken since last month and nothing happens",
        "The street light outside my house has been out for ten days",
        "Garbage is piling up on the corner and it smells",
        "I called four times and never got an answer",
        "The staff member was rude and hung up on me",
        "The form keeps giving an error and I lost everything I typed",
        "This is dangerous, someone is going to get hurt",
        "Cars speed through here and children cannot cross safely",
        "I have been waiting for months without any news",
        "Water is leaking into the street and flooding the sidewalk",
        "Graffiti has covered the wall for weeks",
        "The playground equipment is broken and unsafe",
        "My request was closed but nothing was done",
        "I am very disappointed with how my case was handled",
        "Nadie ha venido a arreglarlo y ya pasaron semanas",
        "El servicio fue pésimo y nadie me ayudó",
        "Hay basura tirada por todas partes en mi calle",
        "Es peligroso cruzar aquí por la noche",
        "已经坏了好几个星期了，一直没人来修",
        "打了好几次电话都没有人接",
        "路上到处都是垃圾，太脏了",
    ],
    "positive": [
        "Thank you for fixing it so quickly",
        "The new park looks wonderful, great work",
        "The staff were kind and helped me right away",
        "I am impressed with how fast my request was handled",
        "The online form was simple and took two minutes",
        "Great job cleaning up the neighborhood",
        "The new bike lanes make my commute so much better",
        "Really happy with the service I received today",
        "Thanks to the crew who cleared the road this morning",
        "The inspector arrived on time and was very professional",
        "Muchas gracias por arreglar la calle tan rápido",
        "El personal fue muy amable y eficiente",
        "Me gusta mucho el nuevo parque",
        "谢谢你们这么快就修好了",
        "工作人员态度很好，非常满意",
    ],
    "neutral": [
        "When is the next bulk trash pickup?",
        "How do I apply for a parking permit?",
        "Could you add a bench near the bus stop?",
        "What are the office hours on Saturday?",
        "Is there a form to request a new recycling bin?",
        "Please send me information about the summer programs",
        "I would like to suggest a crosswalk on this street",
        "Where can I find the meeting minutes?",
        "Can the city publish the schedule online?",
        "¿Cuándo abre la oficina los sábados?",
        "¿Dónde puedo pedir un permiso de estacionamiento?",
        "请问周六办公时间是几点？",
        "怎么申请停车许可？",
    ],
}
