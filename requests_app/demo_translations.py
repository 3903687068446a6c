# ruff: noqa: RUF001 - Chinese and Spanish text uses its own punctuation
"""Spanish, Chinese and German (and, from demo_translations_more, fr/vi/ko/ar) names of the demo catalogue: categories, their questions and choices, as an
agency would type them into each category's `translations`."""

YES = {"es": "Sí", "zh-hans": "是"}
NO = {"es": "No", "zh-hans": "否"}


def _yes_no(language: str) -> dict[str, str]:
    return {"yes": YES[language], "no": NO[language]}


CATEGORY_TRANSLATIONS = {
    "pothole": {
        "es": {
            "name": "Bache",
            "group": "Calles y aceras",
            "description": "Un hoyo o pavimento roto en una calle o callejón.",
        },
        "zh-hans": {"name": "路面坑洞", "group": "街道和人行道", "description": "街道或小巷中的坑洞或破损路面。"},
    },
    "streetlight-out": {
        "es": {
            "name": "Farola apagada",
            "group": "Calles y aceras",
            "description": "Una farola apagada, que parpadea o que está encendida de día.",
        },
        "zh-hans": {"name": "路灯不亮", "group": "街道和人行道", "description": "路灯不亮、闪烁或白天亮着。"},
    },
    "graffiti": {
        "es": {
            "name": "Grafiti",
            "group": "Calles y aceras",
            "description": "Grafiti en propiedad pública: muros, señales, puentes, bancos.",
        },
        "zh-hans": {
            "name": "涂鸦",
            "group": "街道和人行道",
            "description": "公共财产上的涂鸦：墙壁、标志、桥梁、长椅。",
        },
    },
    "missed-trash": {
        "es": {
            "name": "Basura no recogida",
            "group": "Basura y reciclaje",
            "description": "Sus contenedores estaban afuera el día de recogida y no se vaciaron.",
        },
        "zh-hans": {
            "name": "垃圾漏收",
            "group": "垃圾和回收",
            "description": "收集日您的垃圾桶已放在外面，但没有被清空。",
        },
    },
    "park-maintenance": {
        "es": {
            "name": "Mantenimiento de parques",
            "group": "Parques y árboles",
            "description": "Juegos infantiles rotos, baños, basura o césped crecido en un parque municipal.",
        },
        "zh-hans": {
            "name": "公园维护",
            "group": "公园和树木",
            "description": "市立公园中损坏的游乐设施、卫生间、垃圾或杂草丛生。",
        },
    },
    "fallen-tree": {
        "es": {
            "name": "Árbol caído o peligro",
            "group": "Parques y árboles",
            "description": "Un árbol o rama grande caída, u otro peligro que bloquea una calle, acera o camino.",
        },
        "zh-hans": {
            "name": "倒树或危险物",
            "group": "公园和树木",
            "description": "倒下的树木或大树枝，或其他阻挡街道、人行道或小路的危险物。",
        },
    },
}

# (category code, question code) → language → {"description": …, "values": {key: name}}
ATTRIBUTE_TRANSLATIONS = {
    ("pothole", "size"): {
        "es": {
            "description": "¿Qué tamaño tiene?",
            "values": {
                "small": "Más pequeño que un plato",
                "medium": "Hasta una llanta",
                "large": "Más grande que una llanta",
            },
        },
        "zh-hans": {
            "description": "坑洞有多大？",
            "values": {"small": "比餐盘小", "medium": "最大和汽车轮胎一样", "large": "比汽车轮胎大"},
        },
    },
    ("pothole", "position"): {
        "es": {
            "description": "¿En qué parte de la calle?",
            "values": {
                "lane": "Carril de tráfico",
                "bike": "Ciclovía",
                "crosswalk": "Paso de peatones",
                "shoulder": "Arcén o bordillo",
            },
        },
        "zh-hans": {
            "description": "在街道的哪个位置？",
            "values": {"lane": "行车道", "bike": "自行车道", "crosswalk": "人行横道", "shoulder": "路肩或路缘"},
        },
    },
    ("streetlight-out", "problem"): {
        "es": {
            "description": "¿Qué le pasa a la farola?",
            "values": {
                "out": "Está apagada",
                "flicker": "Parpadea",
                "day": "Está encendida de día",
                "pole": "El poste está dañado",
            },
        },
        "zh-hans": {
            "description": "路灯有什么问题？",
            "values": {"out": "不亮", "flicker": "闪烁", "day": "白天亮着", "pole": "灯杆损坏"},
        },
    },
    ("streetlight-out", "pole_number"): {
        "es": {"description": "Número del poste, si lo ve"},
        "zh-hans": {"description": "灯杆编号（如能看到）"},
    },
    ("graffiti", "surface"): {
        "es": {
            "description": "¿Qué está pintado?",
            "values": {
                "wall": "Un muro o edificio público",
                "sign": "Una señal de tráfico",
                "bridge": "Un puente o paso inferior",
                "other": "Otra cosa",
            },
        },
        "zh-hans": {
            "description": "哪里被涂鸦了？",
            "values": {"wall": "公共墙壁或建筑", "sign": "交通标志", "bridge": "桥梁或地下通道", "other": "其他"},
        },
    },
    ("graffiti", "offensive"): {
        "es": {"description": "¿Es ofensivo o de odio?", "values": _yes_no("es")},
        "zh-hans": {"description": "内容是否具有冒犯性或仇恨性？", "values": _yes_no("zh-hans")},
    },
    ("missed-trash", "carts"): {
        "es": {
            "description": "¿Qué contenedores no se recogieron?",
            "values": {"trash": "Basura", "recycling": "Reciclaje", "yard": "Residuos de jardín"},
        },
        "zh-hans": {
            "description": "哪些垃圾桶漏收了？",
            "values": {"trash": "生活垃圾", "recycling": "可回收物", "yard": "园林垃圾"},
        },
    },
    ("missed-trash", "out_by_six"): {
        "es": {
            "description": "¿Estaban los contenedores en la acera antes de las 6 de la mañana?",
            "values": _yes_no("es"),
        },
        "zh-hans": {"description": "垃圾桶是否在早上 6 点前放到路边？", "values": _yes_no("zh-hans")},
    },
    ("park-maintenance", "park_name"): {
        "es": {"description": "¿Qué parque?"},
        "zh-hans": {"description": "哪个公园？"},
    },
    ("park-maintenance", "issue"): {
        "es": {
            "description": "¿Qué necesita atención?",
            "values": {
                "playground": "Juegos infantiles",
                "restroom": "Baños",
                "litter": "Basura o papeleras llenas",
                "mowing": "Césped o maleza",
                "other": "Otra cosa",
            },
        },
        "zh-hans": {
            "description": "哪里需要处理？",
            "values": {
                "playground": "游乐设施",
                "restroom": "卫生间",
                "litter": "垃圾或垃圾桶已满",
                "mowing": "草坪或杂草",
                "other": "其他",
            },
        },
    },
    ("fallen-tree", "blocking"): {
        "es": {
            "description": "¿Qué está bloqueado?",
            "values": {
                "road": "La calle",
                "sidewalk": "La acera o el camino",
                "wires": "Toca cables eléctricos",
                "nothing": "Nada está bloqueado",
            },
        },
        "zh-hans": {
            "description": "什么被挡住了？",
            "values": {"road": "道路", "sidewalk": "人行道或小路", "wires": "碰到了电线", "nothing": "没有东西被挡住"},
        },
    },
    ("fallen-tree", "diameter"): {
        "es": {"description": "Diámetro aproximado del tronco o la rama (pulgadas)"},
        "zh-hans": {"description": "树干或树枝的大致直径（英寸）"},
    },
}

# German, as Springfield's staff typed it (the demo lists German among its languages).
GERMAN_CATEGORIES = {
    "pothole": ("Schlagloch", "Straßen und Gehwege", "Ein Loch oder aufgebrochener Belag in einer Straße oder Gasse."),
    "streetlight-out": (
        "Straßenlaterne defekt",
        "Straßen und Gehwege",
        "Eine Straßenlaterne, die aus ist, flackert oder tagsüber brennt.",
    ),
    "graffiti": (
        "Graffiti",
        "Straßen und Gehwege",
        "Graffiti auf öffentlichem Eigentum: Mauern, Schilder, Brücken, Bänke.",
    ),
    "missed-trash": (
        "Müll nicht abgeholt",
        "Müll und Recycling",
        "Ihre Tonnen standen am Abholtag draußen und wurden nicht geleert.",
    ),
    "park-maintenance": (
        "Parkpflege",
        "Parks und Bäume",
        "Kaputte Spielgeräte, Toiletten, Abfall oder hohes Gras in einem städtischen Park.",
    ),
    "fallen-tree": (
        "Umgestürzter Baum oder Gefahr",
        "Parks und Bäume",
        "Ein umgestürzter Baum, ein großer Ast oder eine andere Gefahr auf Straße, Gehweg oder Weg.",
    ),
}
GERMAN_ATTRIBUTES = {
    ("pothole", "size"): ("Wie groß ist es?", {"small": "Kleiner als ein Teller", "medium": "Bis Reifengröße", "large": "Größer als ein Reifen"}),
    ("pothole", "position"): (
        "Wo auf der Straße?",
        {"lane": "Fahrspur", "bike": "Radweg", "crosswalk": "Fußgängerüberweg", "shoulder": "Seitenstreifen oder Bordstein"},
    ),
    ("streetlight-out", "problem"): (
        "Was ist mit der Laterne?",
        {"out": "Sie ist aus", "flicker": "Sie flackert", "day": "Sie brennt tagsüber", "pole": "Der Mast ist beschädigt"},
    ),
    ("streetlight-out", "pole_number"): ("Nummer des Masts, falls sichtbar", None),
    ("graffiti", "surface"): (
        "Was wurde besprüht?",
        {"wall": "Eine öffentliche Mauer oder ein Gebäude", "sign": "Ein Verkehrsschild", "bridge": "Eine Brücke oder Unterführung", "other": "Etwas anderes"},
    ),
    ("graffiti", "offensive"): ("Ist es beleidigend oder hetzerisch?", {"yes": "Ja", "no": "Nein"}),
    ("missed-trash", "carts"): (
        "Welche Tonnen wurden nicht geleert?",
        {"trash": "Restmüll", "recycling": "Wertstoffe", "yard": "Gartenabfälle"},
    ),
    ("missed-trash", "out_by_six"): ("Standen die Tonnen vor 6 Uhr morgens am Straßenrand?", {"yes": "Ja", "no": "Nein"}),
    ("park-maintenance", "park_name"): ("Welcher Park?", None),
    ("park-maintenance", "issue"): (
        "Was muss gemacht werden?",
        {"playground": "Spielplatz", "restroom": "Toiletten", "litter": "Abfall oder volle Mülleimer", "mowing": "Rasen oder Unkraut", "other": "Etwas anderes"},
    ),
    ("fallen-tree", "blocking"): (
        "Was ist blockiert?",
        {"road": "Die Straße", "sidewalk": "Der Gehweg oder Weg", "wires": "Er berührt Stromleitungen", "nothing": "Nichts ist blockiert"},
    ),
    ("fallen-tree", "diameter"): ("Ungefährer Durchmesser von Stamm oder Ast (Zoll)", None),
}  # fmt: skip
for _code, (_name, _group, _description) in GERMAN_CATEGORIES.items():
    CATEGORY_TRANSLATIONS[_code]["de"] = {"name": _name, "group": _group, "description": _description}
for _key, (_description, _values) in GERMAN_ATTRIBUTES.items():
    ATTRIBUTE_TRANSLATIONS[_key]["de"] = {"description": _description, **({"values": _values} if _values else {})}


def _merge_more() -> None:
    """fr, vi, ko, ar from `demo_translations_more`, option values keyed like the Spanish ones."""
    from requests_app.demo_translations_more import ATTRIBUTES, CATEGORIES, YES_NO

    for code, languages in CATEGORIES.items():
        for language, (name, group, description) in languages.items():
            CATEGORY_TRANSLATIONS[code][language] = {"name": name, "group": group, "description": description}
    for key, languages in ATTRIBUTES.items():
        keys = list(ATTRIBUTE_TRANSLATIONS[key]["es"].get("values", {}))
        for language, (description, values) in languages.items():
            entry = {"description": description}
            if values == "yes_no":
                entry["values"] = dict(zip(("yes", "no"), YES_NO[language], strict=True))
            elif values:
                entry["values"] = dict(zip(keys, values, strict=True))
            ATTRIBUTE_TRANSLATIONS[key][language] = entry


_merge_more()


def _merge_keywords() -> None:
    """Each category's words in each language (`demo_keywords`)."""
    from requests_app.demo_keywords import CATEGORY_KEYWORDS

    for code, languages in CATEGORY_KEYWORDS.items():
        for language, words in languages.items():
            CATEGORY_TRANSLATIONS[code][language]["keywords"] = words


_merge_keywords()
