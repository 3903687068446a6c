"""An extracted answer joins its sentences as the passage's language does (found by the session-22 walk: the Chinese
trash-day answer read "…固定在同一天。 请在收集日…", a space after "。" that no Chinese text has)."""

from types import SimpleNamespace

from knowledge.answering import extract

CHINESE = (
    "生活垃圾每周收集一次。"
    "收集日固定在同一天。"
    "请在早上六点前把垃圾桶放到路边。"
    "节假日顺延一天。"
    "大件垃圾需要提前预约。"
    "可回收物请单独放在蓝色桶里。"
    "厨余垃圾请放在绿色桶里。"
    "有害垃圾请送到回收站。"
    "详情请致电三一一。"
)


def test_chinese_sentences_are_joined_without_a_space():
    text = extract("生活垃圾每周哪天收集日", SimpleNamespace(text=CHINESE), "zh-hans")
    assert text.count("。") >= 2 and "。 " not in text, text


def test_english_sentences_keep_their_space():
    passage = " ".join(
        ["Trash is collected weekly.", "Put the cart out by 6 a.m."] + ["Bulk items need a booking."] * 9
    )
    text = extract("when is trash collected", SimpleNamespace(text=passage), "en")
    assert "weekly. Put" in text, text
