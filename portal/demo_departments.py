"""The demo city's department names in the other UI languages Springfield lists (staff queues, request pages,
Open311's `agency_responsible` and the service directory show them in the reader's language)."""

DEPARTMENT_NAMES = {
    "springfield": {
        "streets": {
            "es": "Calles y Aceras",
            "zh-hans": "街道和人行道",
            "de": "Straßen und Gehwege",
            "fr": "Rues et trottoirs",
            "vi": "Đường phố và Vỉa hè",
            "ko": "도로 및 보도",
            "ar": "الشوارع والأرصفة",
        },
        "sanitation": {
            "es": "Saneamiento y Reciclaje",
            "zh-hans": "环卫和回收",
            "de": "Stadtreinigung und Recycling",
            "fr": "Propreté et recyclage",
            "vi": "Vệ sinh và Tái chế",
            "ko": "위생 및 재활용",
            "ar": "النظافة وإعادة التدوير",
        },
        "parks": {
            "es": "Parques y Silvicultura",
            "zh-hans": "公园和林业",
            "de": "Parks und Stadtbäume",
            "fr": "Parcs et forêts urbaines",
            "vi": "Công viên và Lâm nghiệp",
            "ko": "공원 및 산림",
            "ar": "الحدائق والغابات",
        },
        "traffic": {
            "es": "Tráfico y Alumbrado Público",
            "zh-hans": "交通和路灯",
            "de": "Verkehr und Straßenbeleuchtung",
            "fr": "Circulation et éclairage public",
            "vi": "Giao thông và Đèn đường",
            "ko": "교통 및 가로등",
            "ar": "المرور وإنارة الشوارع",
        },
    }
}


def department_translations_ensure(department) -> None:
    """Give a demo department the names it lacks (a name staff typed is kept)."""
    names = DEPARTMENT_NAMES.get(department.agency.slug, {}).get(department.slug)
    if not names:
        return
    table = dict(department.translations or {})
    missing = {code: name for code, name in names.items() if not (table.get(code) or {}).get("name")}
    if not missing:
        return
    for code, name in missing.items():
        table[code] = {**(table.get(code) or {}), "name": name}
    department.translations = table
    department.save(update_fields=["translations"])
