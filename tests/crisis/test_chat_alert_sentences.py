"""The chat's alert sign-up and opt-out replies in Chinese join their sentences without a space and quote the
opt-out words with Chinese quotation marks (found by the session-25 walk: "…即可停止。 如需在关闭此页面后…",
"…此对话将不再收到警报。 电子邮件警报…", and "随时说"取消订阅警报"即可停止" with straight quotes)."""

import pytest

from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401


@pytest.mark.parametrize(
    ("text", "skill"), [("我想订阅警报", "alerts_subscribe"), ("取消订阅警报", "alerts_unsubscribe")]
)
def test_chinese_alert_replies_read_as_chinese(agency, text, skill):  # noqa: F811
    conversation = start(agency)
    if skill == "alerts_unsubscribe":
        say(agency, conversation, "我想订阅警报")
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["skill"] == skill, reply.text
    assert "。 " not in reply.text, reply.text
    assert '"' not in reply.text, reply.text


def test_english_alert_replies_keep_their_space(agency):  # noqa: F811
    reply = say(agency, start(agency), "sign me up for emergency alerts")
    assert "this chat. Say" in reply.text and "them. To get them" in reply.text, reply.text


@pytest.mark.parametrize(
    ("language", "text", "quoted"),
    [
        ("es", "quiero recibir alertas", "«darme de baja de las alertas»"),
        ("vi", "Tôi muốn nhận cảnh báo khẩn cấp", "“hủy đăng ký cảnh báo”"),
        ("ko", "긴급 알림을 받고 싶어요", "“알림 구독 해지”"),
    ],
)
def test_the_opt_out_words_are_quoted_as_the_language_quotes(agency, language, text, quoted):  # noqa: F811
    """Found by the session-25 walk: 'Diga "darme de baja de las alertas"' in straight quotes, a sentence before
    «darse de baja»; Vietnamese and Korean likewise beside the quoted link names of the next sentence."""
    reply = say(agency, start(agency), text)
    assert reply.payload["decision"]["skill"] == "alerts_subscribe", reply.text
    assert reply.payload["decision"]["language"] == language, reply.text
    assert quoted in reply.text and '"' not in reply.text, reply.text
