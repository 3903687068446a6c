# ruff: noqa: RUF002 - Chinese text uses its own punctuation
"""The words citizens use for each demo category in the languages Springfield lists, as staff would type them
into a category's `translations` (`{"zh-hans": {"keywords": "坑洞,坑洼,…"}}`): the chat picks the category from
a message that contains one ("如何报告路面坑洼？" is a pothole, though its name is 路面坑洞). Matched as
parts of the message (`registrations.engine.parsing`), so none is a piece of an unrelated word ("trou" is in
"trouver", "hố" in "phố", "Ast" in "fast"). Merged into `demo_translations.CATEGORY_TRANSLATIONS`."""

CATEGORY_KEYWORDS = {
    "pothole": {
        "es": "bache,hoyo en la calle,hoyo en el camino,socavón,socavon,pavimento roto,asfalto",
        "zh-hans": "坑洞,坑洼,坑坑洼洼,路坑,大坑,路面破损,路面塌陷,沥青",
        "de": "Schlagloch,Schlaglöcher,Loch in der Straße,Loch im Asphalt,Straßenbelag,Asphalt",
        "fr": "nid-de-poule,nid de poule,nids de poule,nids-de-poule,trou dans,trou sur,gros trou,chaussée abîmée,asphalte",
        "vi": "ổ gà,ổ voi,o ga,hố sâu,cái hố,mặt đường bị vỡ",
        "ko": "포트홀,구멍,파임,움푹,도로 파손",
        "ar": "حفرة,حفر,الحفرة",
    },
    "streetlight-out": {
        "es": "farola,alumbrado,luminaria,poste de luz,lámpara,lampara",
        "zh-hans": "路灯,街灯,灯不亮,灯坏了",
        "de": "Laterne,Straßenbeleuchtung,Lampe,Licht aus",
        "fr": "lampadaire,éclairage public,eclairage public,réverbère,lampe",
        "vi": "đèn đường,den duong,cột đèn,đèn không sáng",
        "ko": "가로등,조명,전등",
        "ar": "إنارة,مصباح,عمود النور,الإضاءة",
    },
    "graffiti": {
        "es": "grafiti,graffiti,pintada,vandalismo",
        "zh-hans": "涂鸦,乱涂乱画,喷漆,乱画",
        "de": "Graffiti,Schmiererei,Sprüherei,Vandalismus",
        "fr": "graffiti,tags sur,des tags,vandalisme",
        "vi": "vẽ bậy,ve bay,bôi bẩn,sơn bậy",
        "ko": "낙서,그래피티,스프레이",
        "ar": "كتابة على الجدران,كتابات,رسم على الجدران,جرافيتي,غرافيتي",
    },
    "missed-trash": {
        "es": "basura,recolección,recoleccion,contenedor,reciclaje",
        "zh-hans": "垃圾,漏收,垃圾桶,回收",
        "de": "Müll,Tonne,Abfuhr,Wertstoff",
        "fr": "poubelle,ordures,déchets,dechets,collecte,ramassage",
        "vi": "rác,thùng rác,thu gom",
        "ko": "쓰레기,수거,분리수거",
        "ar": "قمامة,نفايات,زبالة,حاوية",
    },
    "park-maintenance": {
        "es": "el parque,un parque,del parque,parque municipal,juegos infantiles,columpio,césped",
        "zh-hans": "公园,游乐设施,秋千,草坪",
        "de": "Spielplatz,Schaukel,Rasenfläche,Parkanlage,im Park",
        "fr": "aire de jeux,balançoire,pelouse,parc municipal,dans le parc",
        "vi": "công viên,cong vien,xích đu,sân chơi",
        "ko": "공원,놀이터,그네,잔디",
        "ar": "حديقة,ملعب,أرجوحة",
    },
    "fallen-tree": {
        "es": "árbol,arbol,rama caída,ramas caídas",
        "zh-hans": "倒树,树倒,倒下的树,树枝,断枝,大树",
        "de": "Baum,Äste,großer Ast,umgestürzt",
        "fr": "arbre,branche tombée,grosse branche,des branches",
        "vi": "cây đổ,cay do,cành cây,nhánh cây",
        "ko": "나무,나뭇가지,쓰러진",
        "ar": "شجرة,غصن,أغصان",
    },
}
