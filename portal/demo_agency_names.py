"""The demo agencies' public names (and Springfield's description) in the UI languages, as each agency would
publish them: formal, the official style of a government body in that language. English is the model's own field.

Seeding fills what is missing, field by field, and keeps what staff typed."""

from tenants.models import Agency

NAMES = {
    "springfield": {
        "es": "Obras Públicas de Springfield",
        "zh-hans": "斯普林菲尔德市公共工程局",
        "de": "Amt für öffentliche Arbeiten der Stadt Springfield",
        "fr": "Service des travaux publics de Springfield",
        "vi": "Sở Công chính Thành phố Springfield",
        "ko": "스프링필드시 공공사업국",
        "ar": "إدارة الأشغال العامة في مدينة سبرينغفيلد",
    },
    "revenue": {
        "es": "Departamento de Ingresos del Estado",
        "zh-hans": "州税务局",
        "de": "Steuerbehörde des Bundesstaates",
        "fr": "Département du Revenu de l'État",
        "vi": "Sở Thuế Tiểu bang",
        "ko": "주 세무국",
        "ar": "إدارة الإيرادات في الولاية",
    },
    "sangamon-county": {
        "es": "Condado de Sangamon",
        "zh-hans": "桑加蒙县",
        "de": "Landkreis Sangamon",
        "fr": "Comté de Sangamon",
        "vi": "Quận Sangamon",
        "ko": "생거먼 카운티",
        "ar": "مقاطعة سانغامون",
    },
    "motor-vehicles": {
        "es": "Servicios de Vehículos Motorizados del Estado",
        "zh-hans": "州机动车管理局",
        "de": "Kraftfahrzeugbehörde des Bundesstaates",
        "fr": "Services des véhicules à moteur de l'État",
        "vi": "Sở Phương tiện Cơ giới Tiểu bang",
        "ko": "주 차량관리국",
        "ar": "إدارة خدمات المركبات في الولاية",
    },
    "public-health": {
        "es": "Departamento de Salud Pública del Estado",
        "zh-hans": "州公共卫生厅",
        "de": "Gesundheitsbehörde des Bundesstaates",
        "fr": "Département de la Santé publique de l'État",
        "vi": "Sở Y tế Công cộng Tiểu bang",
        "ko": "주 공중보건국",
        "ar": "إدارة الصحة العامة في الولاية",
    },
    "natural-resources": {
        "es": "Departamento de Recursos Naturales del Estado",
        "zh-hans": "州自然资源厅",
        "de": "Behörde für natürliche Ressourcen des Bundesstaates",
        "fr": "Département des Ressources naturelles de l'État",
        "vi": "Sở Tài nguyên Thiên nhiên Tiểu bang",
        "ko": "주 천연자원국",
        "ar": "إدارة الموارد الطبيعية في الولاية",
    },
    "transportation": {
        "es": "Departamento de Transporte del Estado",
        "zh-hans": "州交通厅",
        "de": "Verkehrsbehörde des Bundesstaates",
        "fr": "Département des Transports de l'État",
        "vi": "Sở Giao thông Vận tải Tiểu bang",
        "ko": "주 교통국",
        "ar": "إدارة النقل في الولاية",
    },
}

# Springfield lists all eight languages: its description in the five its seed did not carry yet; the state and
# county agencies list Spanish (Public Health Chinese too): theirs in those.
DESCRIPTIONS = {
    "sangamon-county": {
        "es": "Secretaría del condado (licencias de matrimonio, actas de nacimiento y defunción, elecciones), avalúo "
        "y cobro del impuesto predial, caminos y puentes del condado fuera de los límites de la ciudad, y la clínica "
        "de salud del condado.",
    },
    "motor-vehicles": {
        "es": "Licencias de conducir y tarjetas de identificación estatales, REAL ID, títulos y registro de vehículos, "
        "placas y calcomanías de renovación, exámenes de manejo y permisos de estacionamiento para personas con "
        "discapacidad.",
    },
    "public-health": {
        "es": "Actas de nacimiento y defunción del registro civil del estado, vacunas, inocuidad de los alimentos e "
        "inspecciones de restaurantes, notificación de enfermedades, agua potable y licencias de establecimientos de "
        "salud.",
        "zh-hans": "州生命统计登记处的出生和死亡证明、疫苗接种、食品安全与餐馆检查、疾病报告、饮用水以及医疗机构执照。",
    },
    "natural-resources": {
        "es": "Licencias de caza y pesca, permisos para venado y pavo silvestre, registro de embarcaciones, parques "
        "estatales y campamentos, y fauna silvestre problemática.",
    },
    "transportation": {
        "es": "Carreteras estatales e interestatales: baches, remoción de nieve y hielo, obras y cierres de "
        "carreteras, permisos para camiones de dimensiones o peso excesivos y señalización vial.",
    },
    "springfield": {
        "de": "Straßen, Gehwege, Straßenbeleuchtung, Müll und Recycling sowie Parks der Stadt Springfield.",
        "fr": "Rues, trottoirs, éclairage public, ordures ménagères et recyclage, et parcs de la ville de Springfield.",
        "vi": "Đường phố, vỉa hè, đèn đường, rác thải và tái chế, cùng các công viên của Thành phố Springfield.",
        "ko": "스프링필드시의 도로, 보도, 가로등, 쓰레기 수거 및 재활용, 공원을 담당합니다.",
        "ar": "الشوارع والأرصفة وإنارة الشوارع والنفايات وإعادة التدوير والحدائق في مدينة سبرينغفيلد.",
    },
}


def agency_translations_ensure(agency: Agency, seeded: dict | None = None) -> None:
    """Adds the demo's texts the agency's translations lack (`seeded`: the seed's own table), keeping typed ones."""
    wanted: dict[str, dict[str, str]] = {}
    for table in (seeded or {}, {code: {"name": name} for code, name in NAMES.get(agency.slug, {}).items()}):
        for code, entry in table.items():
            wanted.setdefault(code, {}).update(entry)
    for code, description in DESCRIPTIONS.get(agency.slug, {}).items():
        wanted.setdefault(code, {}).setdefault("description", description)
    current = agency.translations if isinstance(agency.translations, dict) else {}
    merged = {code: dict(entry) for code, entry in current.items() if isinstance(entry, dict)}
    for code, entry in wanted.items():
        for field, text in entry.items():
            if not str(merged.get(code, {}).get(field) or "").strip():
                merged.setdefault(code, {})[field] = text
    if merged != current:
        agency.translations = merged
        agency.save(update_fields=["translations"])
