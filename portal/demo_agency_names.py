# ruff: noqa: RUF001 - Chinese and French punctuation as each language writes it
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

# Springfield lists all eight languages: its description in the five its seed did not carry yet. The state and
# county agencies list Spanish (Public Health Chinese too) for their own pages, but the portal's front door (`/`)
# speaks every UI language: it shows each agency's description in the citizen's language and routes a question by
# it (portal.directory), so theirs are in every UI language too ("운전면허를 갱신하고 싶어요" found no agency when
# Motor Vehicle Services described itself in English and Spanish only).
DESCRIPTIONS = {
    "sangamon-county": {
        "es": "Secretaría del condado (licencias de matrimonio, actas de nacimiento y defunción, elecciones), avalúo "
        "y cobro del impuesto predial, caminos y puentes del condado fuera de los límites de la ciudad, y la clínica "
        "de salud del condado.",
        "zh-hans": "县书记官（结婚证、出生和死亡记录、选举）、房产税评估与征收、市区以外的县道和桥梁，以及县卫生诊所。",
        "de": "Kreisverwaltung (Heiratslizenzen, Geburts- und Sterbeurkunden, Wahlen), Bewertung und Erhebung der "
        "Grundsteuer, Kreisstraßen und -brücken außerhalb der Stadtgrenzen sowie die Gesundheitsklinik des "
        "Landkreises.",
        "fr": "Greffe du comté (licences de mariage, actes de naissance et de décès, élections), évaluation et "
        "perception de l'impôt foncier, routes et ponts du comté hors des limites de la ville, et centre de "
        "santé du comté.",
        "vi": "Văn phòng lục sự quận (giấy phép kết hôn, hồ sơ khai sinh và khai tử, bầu cử), định giá và thu thuế "
        "tài sản, đường và cầu của quận bên ngoài ranh giới thành phố, và phòng khám y tế quận.",
        "ko": "카운티 서기(혼인 허가, 출생·사망 기록, 선거), 재산세 평가와 징수, 시 경계 밖의 "
        "카운티 도로와 교량, 카운티 보건소를 담당합니다.",
        "ar": "كاتب المقاطعة (تراخيص الزواج وسجلات المواليد والوفيات والانتخابات)، وتقييم ضريبة العقارات وتحصيلها، "
        "وطرق المقاطعة وجسورها خارج حدود المدينة، وعيادة المقاطعة الصحية.",
    },
    "motor-vehicles": {
        "es": "Licencias de conducir y tarjetas de identificación estatales, REAL ID, títulos y registro de vehículos, "
        "placas y calcomanías de renovación, exámenes de manejo y permisos de estacionamiento para personas con "
        "discapacidad.",
        "zh-hans": "驾驶执照（驾照）和州身份证、REAL ID、车辆所有权证书和登记、车牌和续期贴纸、驾驶考试以及残疾人停车证。",
        "de": "Führerscheine und staatliche Ausweise, REAL ID, Fahrzeugbriefe und Zulassung, Kennzeichen und "
        "Verlängerungsplaketten, Fahrprüfungen und Parkausweise für Menschen mit Behinderung.",
        "fr": "Permis de conduire et cartes d'identité de l'État, REAL ID, certificats de propriété et "
        "immatriculation des véhicules, plaques et vignettes de renouvellement, examens de conduite et cartes "
        "de stationnement pour personnes handicapées.",
        "vi": "Bằng lái xe và thẻ căn cước tiểu bang, REAL ID, giấy chủ quyền và đăng ký xe, biển số và nhãn gia "
        "hạn, thi lái xe và thẻ đỗ xe cho người khuyết tật.",
        "ko": "운전면허와 주 신분증, REAL ID, 차량 소유권 증서와 등록, 번호판과 갱신 스티커, "
        "운전면허 시험, 장애인 주차 표지를 담당합니다.",
        "ar": "رخص القيادة وبطاقات الهوية الصادرة عن الولاية، وبطاقة REAL ID، وسندات ملكية المركبات وتسجيلها، "
        "ولوحات المركبات وملصقات التجديد، واختبارات القيادة، وتصاريح وقوف السيارات لذوي الإعاقة.",
    },
    "public-health": {
        "es": "Actas de nacimiento y defunción del registro civil del estado, vacunas, inocuidad de los alimentos e "
        "inspecciones de restaurantes, notificación de enfermedades, agua potable y licencias de establecimientos de "
        "salud.",
        "zh-hans": "州生命统计登记处的出生和死亡证明、疫苗接种、食品安全与餐馆检查、疾病报告、饮用水以及医疗机构执照。",
        "de": "Geburts- und Sterbeurkunden aus dem staatlichen Personenstandsregister, Impfungen, "
        "Lebensmittelsicherheit und Restaurantkontrollen, Meldung von Krankheiten, Trinkwasser und Zulassung "
        "von Gesundheitseinrichtungen.",
        "fr": "Actes de naissance et de décès de l'état civil de l'État, vaccinations, sécurité alimentaire et "
        "inspection des restaurants, déclaration des maladies, eau potable et agrément des établissements de "
        "santé.",
        "vi": "Giấy khai sinh và giấy chứng tử từ hồ sơ hộ tịch tiểu bang, tiêm chủng, an toàn thực phẩm và kiểm "
        "tra nhà hàng, báo cáo bệnh truyền nhiễm, nước uống và cấp phép cơ sở y tế.",
        "ko": "주 인구동태 기록의 출생·사망 증명서, 예방접종, 식품 안전과 음식점 위생 점검, 질병 "
        "신고, 먹는 물, 의료기관 인허가를 담당합니다.",
        "ar": "شهادات الميلاد والوفاة من سجلات الأحوال المدنية في الولاية، والتطعيمات، وسلامة الغذاء وتفتيش "
        "المطاعم، والإبلاغ عن الأمراض، ومياه الشرب، وترخيص منشآت الرعاية الصحية.",
    },
    "natural-resources": {
        "es": "Licencias de caza y pesca, permisos para venado y pavo silvestre, registro de embarcaciones, parques "
        "estatales y campamentos, y fauna silvestre problemática.",
        "zh-hans": "狩猎和钓鱼许可证、猎鹿和猎火鸡许可、船只登记、州立公园和露营地，以及扰民野生动物。",
        "de": "Jagd- und Angelscheine, Genehmigungen für die Hirsch- und Truthahnjagd, Bootsregistrierung, State "
        "Parks und Campingplätze sowie Wildtiere, die Schaden anrichten.",
        "fr": "Permis de chasse et de pêche, autorisations pour le cerf et le dindon sauvage, immatriculation des "
        "bateaux, parcs d'État et terrains de camping, et animaux sauvages nuisibles.",
        "vi": "Giấy phép săn bắn và câu cá, giấy phép săn hươu và gà tây, đăng ký tàu thuyền, công viên tiểu bang "
        "và khu cắm trại, và động vật hoang dã gây phiền toái.",
        "ko": "사냥·낚시 면허, 사슴·칠면조 사냥 허가, 보트 등록, 주립공원과 캠핑장, 유해 야생동물을 담당합니다.",
        "ar": "رخص الصيد البري وصيد الأسماك، وتصاريح صيد الغزلان والديك الرومي، وتسجيل القوارب، والمتنزهات الحكومية "
        "ومواقع التخييم، والحيوانات البرية المزعجة.",
    },
    "transportation": {
        "es": "Carreteras estatales e interestatales: baches, remoción de nieve y hielo, obras y cierres de "
        "carreteras, permisos para camiones de dimensiones o peso excesivos y señalización vial.",
        "zh-hans": "州公路和州际公路：路面坑洞、除雪除冰、道路施工和封闭、超限卡车通行许可以及公路标志。",
        "de": "Staatsstraßen und Interstates: Schlaglöcher, Schnee- und Eisräumung, Straßenbau und Sperrungen, "
        "Genehmigungen für übergroße Lkw und Verkehrsschilder an Fernstraßen.",
        "fr": "Routes de l'État et autoroutes inter-États : nids-de-poule, déneigement et déglaçage, travaux et "
        "fermetures de routes, permis pour camions hors gabarit et panneaux routiers.",
        "vi": "Đường cao tốc tiểu bang và liên tiểu bang: ổ gà, dọn tuyết và băng, thi công và đóng đường, giấy "
        "phép xe tải quá khổ và biển báo đường cao tốc.",
        "ko": "주 고속도로와 주간 고속도로: 포트홀, 제설과 결빙 제거, 도로 공사와 통제, 대형 화물차 "
        "운행 허가, 도로 표지판을 담당합니다.",
        "ar": "الطرق السريعة في الولاية والطرق السريعة بين الولايات: الحفر، وإزالة الثلوج والجليد، وأعمال الطرق "
        "وإغلاقها، وتصاريح الشاحنات كبيرة الحجم، ولافتات الطرق السريعة.",
    },
    "revenue": {
        "zh-hans": "个人所得税申报、退税、缴税、扣除额以及企业税务登记。",
        "de": "Einkommensteuererklärungen von Privatpersonen, Erstattungen, Zahlungen, Abzüge und steuerliche "
        "Registrierung von Unternehmen.",
        "fr": "Déclarations d'impôt sur le revenu des particuliers, remboursements, paiements, déductions et "
        "immatriculation fiscale des entreprises.",
        "vi": "Khai thuế thu nhập cá nhân, hoàn thuế, nộp thuế, các khoản khấu trừ và đăng ký thuế doanh nghiệp.",
        "ko": "개인 소득세 신고, 환급, 납부, 공제, 사업자 세금 등록을 담당합니다.",
        "ar": "إقرارات ضريبة الدخل للأفراد، والمبالغ المستردة، والمدفوعات، والخصومات، والتسجيل الضريبي للشركات.",
    },
    "springfield": {
        "de": "Straßen, Gehwege, Straßenbeleuchtung, Müll und Recycling sowie Parks der Stadt Springfield.",
        "fr": "Rues, trottoirs, éclairage public, ordures ménagères et recyclage, et parcs de la ville de Springfield.",
        "vi": "Đường phố, vỉa hè, đèn đường, rác thải và tái chế, cùng các công viên của Thành phố Springfield.",
        "ko": "스프링필드시의 도로, 보도, 가로등, 쓰레기 수거 및 재활용, 공원을 담당합니다.",
        "ar": "الشوارع والأرصفة وإنارة الشوارع والنفايات وإعادة التدوير والحدائق في مدينة سبرينغفيلد.",
    },
}


# The agencies' office hours (the demo's English `office_hours`: weekdays from, to; Saturday from, to) in each UI
# language, as the Springfield seed writes its own: they are read inside a sentence in the citizen's language (the
# "I don't know" answer's "call … (hours)", the chat page), where "(Monday to Friday, 8:00-17:00; Saturday 8:00-12:00)"
# stood in English in a Korean sentence on the front door.
HOURS = {
    "revenue": ("8:30", "16:30", None),
    "sangamon-county": ("8:30", "16:30", None),
    "motor-vehicles": ("8:00", "17:00", ("8:00", "12:00")),
    "public-health": ("8:30", "17:00", None),
    "natural-resources": ("8:30", "16:30", None),
    "transportation": ("8:00", "16:30", None),
}


def _fr(time: str) -> str:
    hours, minutes = time.split(":")
    return f"{hours} h {minutes}"


def _hours(code: str, start: str, end: str, saturday: tuple[str, str] | None) -> str:
    weekdays = {
        "es": f"De lunes a viernes, de {start} a {end}",
        "zh-hans": f"周一至周五 {start}-{end}",
        "de": f"Montag bis Freitag, {start}-{end} Uhr",
        "fr": f"Du lundi au vendredi, de {_fr(start)} à {_fr(end)}",
        "vi": f"Thứ Hai đến Thứ Sáu, {start}-{end}",
        "ko": f"월요일~금요일 {start}-{end}",
        "ar": f"من الاثنين إلى الجمعة، {start}-{end}",
    }[code]
    if saturday is None:
        return weekdays
    a, b = saturday
    return (
        weekdays
        + {
            "es": f"; sábados de {a} a {b}",
            "zh-hans": f"；周六 {a}-{b}",
            "de": f"; Samstag {a}-{b} Uhr",
            "fr": f"\u00a0; le samedi de {_fr(a)} à {_fr(b)}",
            "vi": f"; Thứ Bảy {a}-{b}",
            "ko": f", 토요일 {a}-{b}",
            "ar": f"؛ السبت {a}-{b}",
        }[code]
    )


def agency_translations_ensure(agency: Agency, seeded: dict | None = None) -> None:
    """Adds the demo's texts the agency's translations lack (`seeded`: the seed's own table), keeping typed ones."""
    wanted: dict[str, dict[str, str]] = {}
    for table in (seeded or {}, {code: {"name": name} for code, name in NAMES.get(agency.slug, {}).items()}):
        for code, entry in table.items():
            wanted.setdefault(code, {}).update(entry)
    for code, description in DESCRIPTIONS.get(agency.slug, {}).items():
        wanted.setdefault(code, {}).setdefault("description", description)
    if agency.slug in HOURS:
        for code in NAMES.get(agency.slug, {}):
            wanted.setdefault(code, {}).setdefault("office_hours", _hours(code, *HOURS[agency.slug]))
    current = agency.translations if isinstance(agency.translations, dict) else {}
    merged = {code: dict(entry) for code, entry in current.items() if isinstance(entry, dict)}
    for code, entry in wanted.items():
        for field, text in entry.items():
            if not str(merged.get(code, {}).get(field) or "").strip():
                merged.setdefault(code, {})[field] = text
    if merged != current:
        agency.translations = merged
        agency.save(update_fields=["translations"])
