"""French, Vietnamese, Korean and Arabic names of the demo catalogue (Springfield lists all eight UI
languages): each category's name, group and description, each question and its options, as staff would type
them into `translations`. Merged into `demo_translations` per language."""

# category code → language → (name, group, description)
CATEGORIES = {
    "pothole": {
        "fr": ("Nid-de-poule", "Rues et trottoirs", "Un trou ou une chaussée cassée dans une rue ou une ruelle."),
        "vi": ("Ổ gà", "Đường phố và vỉa hè", "Một ổ gà hoặc mặt đường bị vỡ trên đường hay trong hẻm."),
        "ko": ("도로 파임(포트홀)", "도로와 보도", "도로나 골목의 움푹 팬 곳이나 깨진 포장."),
        "ar": ("حفرة في الطريق", "الشوارع والأرصفة", "حفرة أو رصيف مكسور في شارع أو زقاق."),
    },
    "streetlight-out": {
        "fr": ("Lampadaire éteint", "Rues et trottoirs", "Un lampadaire éteint, qui clignote ou qui reste allumé le jour."),
        "vi": ("Đèn đường không sáng", "Đường phố và vỉa hè", "Đèn đường tắt, nhấp nháy hoặc sáng cả ban ngày."),
        "ko": ("가로등 고장", "도로와 보도", "꺼졌거나 깜빡이거나 낮에도 켜져 있는 가로등."),
        "ar": ("إنارة شارع معطلة", "الشوارع والأرصفة", "عمود إنارة مطفأ أو يومض أو مضاء نهارًا."),
    },
    "graffiti": {
        "fr": ("Graffiti", "Rues et trottoirs", "Graffiti sur un bien public : murs, panneaux, ponts, bancs."),
        "vi": ("Vẽ bậy", "Đường phố và vỉa hè", "Vẽ bậy trên tài sản công: tường, biển báo, cầu, ghế."),
        "ko": ("낙서", "도로와 보도", "공공 시설물의 낙서: 벽, 표지판, 다리, 벤치."),
        "ar": ("كتابة على الجدران", "الشوارع والأرصفة", "كتابات على الممتلكات العامة: الجدران واللافتات والجسور والمقاعد."),
    },
    "missed-trash": {
        "fr": ("Déchets non ramassés", "Déchets et recyclage", "Vos bacs étaient sortis le jour de collecte et n'ont pas été vidés."),
        "vi": ("Rác không được thu gom", "Rác và tái chế", "Thùng rác của Quý vị đã để ngoài vào ngày thu gom nhưng không được đổ."),
        "ko": ("쓰레기 미수거", "쓰레기와 재활용", "수거일에 내놓은 쓰레기통이 비워지지 않았습니다."),
        "ar": ("قمامة لم تُجمع", "القمامة وإعادة التدوير", "كانت حاوياتك في الخارج يوم الجمع ولم تُفرغ."),
    },
    "park-maintenance": {
        "fr": ("Entretien des parcs", "Parcs et arbres", "Jeux cassés, toilettes, déchets ou herbe haute dans un parc municipal."),
        "vi": ("Bảo trì công viên", "Công viên và cây xanh", "Đồ chơi hỏng, nhà vệ sinh, rác hoặc cỏ mọc cao trong công viên thành phố."),
        "ko": ("공원 관리", "공원과 나무", "시립 공원의 고장 난 놀이기구, 화장실, 쓰레기 또는 웃자란 풀."),
        "ar": ("صيانة الحدائق", "الحدائق والأشجار", "ألعاب مكسورة أو دورات مياه أو قمامة أو عشب طويل في حديقة عامة."),
    },
    "fallen-tree": {
        "fr": ("Arbre tombé ou danger", "Parcs et arbres", "Un arbre ou une grosse branche tombée, ou un autre danger sur une rue, un trottoir ou un chemin."),
        "vi": ("Cây đổ hoặc nguy hiểm", "Công viên và cây xanh", "Cây hoặc cành lớn bị đổ, hay mối nguy khác chắn đường, vỉa hè hoặc lối đi."),
        "ko": ("쓰러진 나무 또는 위험물", "공원과 나무", "도로, 보도, 길을 막는 쓰러진 나무나 큰 가지, 또는 기타 위험물."),
        "ar": ("شجرة ساقطة أو خطر", "الحدائق والأشجار", "شجرة أو غصن كبير ساقط، أو خطر آخر يسد شارعًا أو رصيفًا أو ممرًا."),
    },
}  # fmt: skip

YES_NO = {"fr": ("Oui", "Non"), "vi": ("Có", "Không"), "ko": ("예", "아니요"), "ar": ("نعم", "لا")}

# (category code, question code) → language → (description, option values in the question's order, or None)
ATTRIBUTES = {
    ("pothole", "size"): {
        "fr": ("Quelle taille fait-il ?", ("Plus petit qu'une assiette", "Jusqu'à la taille d'un pneu", "Plus grand qu'un pneu")),
        "vi": ("Ổ gà lớn cỡ nào?", ("Nhỏ hơn cái đĩa", "Cỡ lốp xe trở xuống", "Lớn hơn lốp xe")),
        "ko": ("크기가 어느 정도인가요?", ("접시보다 작음", "타이어 크기까지", "타이어보다 큼")),
        "ar": ("ما حجمها؟", ("أصغر من طبق", "حتى حجم إطار", "أكبر من إطار")),
    },
    ("pothole", "position"): {
        "fr": ("À quel endroit de la rue ?", ("Voie de circulation", "Piste cyclable", "Passage piéton", "Accotement ou bordure")),
        "vi": ("Ở vị trí nào trên đường?", ("Làn xe chạy", "Làn xe đạp", "Vạch qua đường", "Lề đường")),
        "ko": ("도로의 어느 부분인가요?", ("차로", "자전거 도로", "횡단보도", "갓길 또는 연석")),
        "ar": ("في أي جزء من الشارع؟", ("مسار السيارات", "مسار الدراجات", "معبر المشاة", "حافة الطريق أو الرصيف")),
    },
    ("streetlight-out", "problem"): {
        "fr": ("Quel est le problème du lampadaire ?", ("Il est éteint", "Il clignote", "Il est allumé le jour", "Le poteau est endommagé")),
        "vi": ("Đèn đường bị sao?", ("Không sáng", "Nhấp nháy", "Sáng ban ngày", "Cột đèn bị hỏng")),
        "ko": ("가로등에 어떤 문제가 있나요?", ("꺼져 있음", "깜빡임", "낮에도 켜져 있음", "기둥이 손상됨")),
        "ar": ("ما مشكلة عمود الإنارة؟", ("مطفأ", "يومض", "مضاء نهارًا", "العمود متضرر")),
    },
    ("streetlight-out", "pole_number"): {
        "fr": ("Numéro du poteau, si vous le voyez", None),
        "vi": ("Số cột đèn, nếu Quý vị thấy", None),
        "ko": ("보이면 기둥 번호", None),
        "ar": ("رقم العمود إن كان ظاهرًا", None),
    },
    ("graffiti", "surface"): {
        "fr": ("Qu'est-ce qui est tagué ?", ("Un mur ou bâtiment public", "Un panneau de signalisation", "Un pont ou passage souterrain", "Autre chose")),
        "vi": ("Vẽ bậy ở đâu?", ("Tường hoặc tòa nhà công", "Biển báo giao thông", "Cầu hoặc hầm chui", "Chỗ khác")),
        "ko": ("어디에 낙서가 있나요?", ("공공 벽 또는 건물", "교통 표지판", "다리 또는 지하도", "기타")),
        "ar": ("ما الذي كُتب عليه؟", ("جدار أو مبنى عام", "لافتة مرور", "جسر أو نفق", "شيء آخر")),
    },
    ("graffiti", "offensive"): {
        "fr": ("Est-il injurieux ou haineux ?", "yes_no"),
        "vi": ("Nội dung có xúc phạm hoặc kích động thù ghét không?", "yes_no"),
        "ko": ("모욕적이거나 혐오적인 내용인가요?", "yes_no"),
        "ar": ("هل هي مسيئة أو تحض على الكراهية؟", "yes_no"),
    },
    ("missed-trash", "carts"): {
        "fr": ("Quels bacs n'ont pas été ramassés ?", ("Ordures ménagères", "Recyclage", "Déchets verts")),
        "vi": ("Thùng nào không được thu gom?", ("Rác sinh hoạt", "Rác tái chế", "Rác vườn")),
        "ko": ("어떤 쓰레기통이 수거되지 않았나요?", ("일반 쓰레기", "재활용", "정원 폐기물")),
        "ar": ("أي الحاويات لم تُجمع؟", ("القمامة", "إعادة التدوير", "مخلفات الحدائق")),
    },
    ("missed-trash", "out_by_six"): {
        "fr": ("Les bacs étaient-ils sur le trottoir avant 6 h ?", "yes_no"),
        "vi": ("Thùng rác có được để ra lề đường trước 6 giờ sáng không?", "yes_no"),
        "ko": ("오전 6시 전에 쓰레기통을 내놓았나요?", "yes_no"),
        "ar": ("هل كانت الحاويات على الرصيف قبل السادسة صباحًا؟", "yes_no"),
    },
    ("park-maintenance", "park_name"): {
        "fr": ("Quel parc ?", None), "vi": ("Công viên nào?", None), "ko": ("어느 공원인가요?", None), "ar": ("أي حديقة؟", None),
    },
    ("park-maintenance", "issue"): {
        "fr": ("Qu'est-ce qui doit être fait ?", ("Aire de jeux", "Toilettes", "Déchets ou poubelles pleines", "Pelouse ou mauvaises herbes", "Autre chose")),
        "vi": ("Cần xử lý việc gì?", ("Khu vui chơi", "Nhà vệ sinh", "Rác hoặc thùng rác đầy", "Cỏ hoặc cỏ dại", "Việc khác")),
        "ko": ("무엇을 처리해야 하나요?", ("놀이터", "화장실", "쓰레기 또는 가득 찬 쓰레기통", "잔디 또는 잡초", "기타")),
        "ar": ("ما الذي يحتاج إلى معالجة؟", ("ملعب الأطفال", "دورات المياه", "قمامة أو سلال ممتلئة", "العشب أو الأعشاب الضارة", "شيء آخر")),
    },
    ("fallen-tree", "blocking"): {
        "fr": ("Qu'est-ce qui est bloqué ?", ("La rue", "Le trottoir ou le chemin", "Il touche des fils électriques", "Rien n'est bloqué")),
        "vi": ("Cái gì bị chắn?", ("Lòng đường", "Vỉa hè hoặc lối đi", "Chạm vào dây điện", "Không có gì bị chắn")),
        "ko": ("무엇이 막혀 있나요?", ("도로", "보도 또는 길", "전선에 닿아 있음", "막힌 곳 없음")),
        "ar": ("ما الذي تسدّه؟", ("الشارع", "الرصيف أو الممر", "تلامس أسلاك الكهرباء", "لا شيء مسدود")),
    },
    ("fallen-tree", "diameter"): {
        "fr": ("Diamètre approximatif du tronc ou de la branche (pouces)", None),
        "vi": ("Đường kính ước chừng của thân hoặc cành (inch)", None),
        "ko": ("줄기나 가지의 대략적인 지름(인치)", None),
        "ar": ("القطر التقريبي للجذع أو الغصن (بالبوصة)", None),
    },
}  # fmt: skip
