# ruff: noqa: RUF001 - Chinese and Spanish text uses its own punctuation
"""Multilingual text for the engine, without Django.

Definitions carry their own labels as `{"en": …, "es": …, "zh-hans": …}` (or a plain string). The
engine's own messages (validation errors, chat hints) live in `MESSAGES` so a runner that has no
Django translation machinery (a chat channel adapter, a worker) still speaks the citizen's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registrations.engine.i18n_more import MORE_MESSAGES

LANGUAGES = ("en", "es", "zh-hans", "fr", "vi", "ko", "ar", "de")  # the UI languages (settings.LANGUAGES)
FALLBACK = "en"

Text = str | dict[str, str]


def normalize_language(lang: str | None) -> str:
    """Map `es-MX`, `zh-CN`, `zh_Hans` … onto the engine's languages; English otherwise."""
    code = (lang or FALLBACK).lower().replace("_", "-")
    if code in LANGUAGES:
        return code
    if code.startswith("zh"):
        return "zh-hans"
    base = code.split("-")[0]
    return base if base in LANGUAGES else FALLBACK


def localize(text: Text | None, lang: str | None) -> str:
    """The text in `lang`, else English, else whichever language the author gave."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = normalize_language(lang)
    for code in (lang, FALLBACK):
        value = text.get(code)
        if value:
            return value
    for value in text.values():
        if value:
            return value
    return ""


MESSAGES: dict[str, dict[str, str]] = {
    # validation
    "required": {
        "en": "This question needs an answer.",
        "es": "Esta pregunta necesita una respuesta.",
        "zh-hans": "此问题必须回答。",
    },
    "invalid": {
        "en": "This answer is not valid.",
        "es": "Esta respuesta no es válida.",
        "zh-hans": "此回答无效。",
    },
    "min_length": {
        "en": "Use at least {min} characters.",
        "es": "Use al menos {min} caracteres.",
        "zh-hans": "请至少输入 {min} 个字符。",
    },
    "max_length": {
        "en": "Use at most {max} characters.",
        "es": "Use como máximo {max} caracteres.",
        "zh-hans": "最多输入 {max} 个字符。",
    },
    "pattern": {
        "en": "The format is not valid.",
        "es": "El formato no es válido.",
        "zh-hans": "格式无效。",
    },
    "invalid_number": {
        "en": "Enter a number, for example 42.",
        "es": "Escriba un número, por ejemplo 42.",
        "zh-hans": "请输入数字，例如 42。",
    },
    "not_integer": {
        "en": "Enter a whole number.",
        "es": "Escriba un número entero.",
        "zh-hans": "请输入整数。",
    },
    "min_value": {
        "en": "Enter a number of at least {min}.",
        "es": "Escriba un número mayor o igual a {min}.",
        "zh-hans": "请输入不小于 {min} 的数字。",
    },
    "max_value": {
        "en": "Enter a number of at most {max}.",
        "es": "Escriba un número menor o igual a {max}.",
        "zh-hans": "请输入不大于 {max} 的数字。",
    },
    "invalid_date": {
        "en": "Enter a real date, for example {example}.",
        "es": "Escriba una fecha válida, por ejemplo {example}.",
        "zh-hans": "请输入有效日期，例如 {example}。",
    },
    "date_min": {
        "en": "The date must be on or after {date}.",
        "es": "La fecha debe ser igual o posterior al {date}.",
        "zh-hans": "日期不得早于 {date}。",
    },
    "date_max": {
        "en": "The date must be on or before {date}.",
        "es": "La fecha debe ser igual o anterior al {date}.",
        "zh-hans": "日期不得晚于 {date}。",
    },
    "min_age": {
        "en": "You must be at least {age} years old.",
        "es": "Debe tener al menos {age} años.",
        "zh-hans": "您必须年满 {age} 岁。",
    },
    "max_age": {
        "en": "This service is for people up to {age} years old.",
        "es": "Este servicio es para personas de hasta {age} años.",
        "zh-hans": "此服务仅面向 {age} 岁及以下人士。",
    },
    "invalid_email": {
        "en": "Enter an email address such as name@example.com.",
        "es": "Escriba un correo electrónico como nombre@ejemplo.com.",
        "zh-hans": "请输入电子邮件地址，例如 name@example.com。",
    },
    "invalid_phone": {
        "en": "Enter a phone number with 7 to 15 digits.",
        "es": "Escriba un número de teléfono de 7 a 15 dígitos.",
        "zh-hans": "请输入 7 到 15 位数字的电话号码。",
    },
    "invalid_choice": {
        "en": "Choose one of the options.",
        "es": "Elija una de las opciones.",
        "zh-hans": "请从选项中选择。",
    },
    "min_choices": {
        "en": "Choose at least {min} options.",
        "es": "Elija al menos {min} opciones.",
        "zh-hans": "请至少选择 {min} 项。",
    },
    "max_choices": {
        "en": "Choose at most {max} options.",
        "es": "Elija como máximo {max} opciones.",
        "zh-hans": "最多选择 {max} 项。",
    },
    "invalid_yes_no": {
        "en": "Answer yes or no.",
        "es": "Responda sí o no.",
        "zh-hans": "请回答“是”或“否”。",
    },
    "address_incomplete": {
        "en": "Give the street, the city and the ZIP or postal code.",
        "es": "Indique la calle, la ciudad y el código postal.",
        "zh-hans": "请填写街道、城市和邮政编码。",
    },
    "invalid_postal_code": {
        "en": "Enter a 5-digit ZIP code, for example 62701.",
        "es": "Escriba un código postal de 5 dígitos, por ejemplo 62701.",
        "zh-hans": "请输入 5 位邮政编码，例如 62701。",
    },
    "invalid_coordinates": {
        "en": "Give coordinates as latitude, longitude, for example 39.78, -89.64.",
        "es": "Indique las coordenadas como latitud, longitud, por ejemplo 39.78, -89.64.",
        "zh-hans": "请按“纬度, 经度”填写坐标，例如 39.78, -89.64。",
    },
    "location_missing": {
        "en": "Say where it is: type an address or share your location.",
        "es": "Indique dónde está: escriba una dirección o comparta su ubicación.",
        "zh-hans": "请说明位置：输入地址或分享您的位置。",
    },
    "file_type": {
        "en": "Upload a file of one of these types: {types}.",
        "es": "Suba un archivo de uno de estos tipos: {types}.",
        "zh-hans": "请上传以下类型的文件：{types}。",
    },
    "file_size": {
        "en": "The file is larger than {max} MB.",
        "es": "El archivo supera {max} MB.",
        "zh-hans": "文件超过 {max} MB。",
    },
    "file_in_chat": {
        "en": "Files can only be uploaded on the web form. Continue there with your link, or skip if this is optional.",
        "es": "Los archivos solo se pueden subir en el formulario web. Continúe allí con su enlace, u omita si es opcional.",
        "zh-hans": "文件只能在网页表单中上传。请使用您的链接在网页上继续；如果此项为可选，也可以跳过。",
    },
    "not_applicable": {
        "en": "This question does not apply given your other answers.",
        "es": "Esta pregunta no corresponde según sus otras respuestas.",
        "zh-hans": "根据您的其他回答，此问题不适用。",
    },
    "unknown_field": {
        "en": "This form has no such question.",
        "es": "Este formulario no tiene esa pregunta.",
        "zh-hans": "此表单中没有该问题。",
    },
    "not_eligible": {
        "en": "With this answer you cannot apply for this service.",
        "es": "Con esta respuesta no puede solicitar este servicio.",
        "zh-hans": "根据此回答，您无法申请此服务。",
    },
    "cannot_skip": {
        "en": "This question cannot be skipped.",
        "es": "Esta pregunta no se puede omitir.",
        "zh-hans": "此问题不能跳过。",
    },
    "step_incomplete": {
        "en": "Please complete this step first.",
        "es": "Complete primero este paso.",
        "zh-hans": "请先完成此步骤。",
    },
    "already_confirmed": {
        "en": "This application has already been submitted.",
        "es": "Esta solicitud ya fue enviada.",
        "zh-hans": "此申请已提交。",
    },
    # identifiers
    "checksum": {
        "en": "This number is not valid: its check digit does not match. Check for typing mistakes.",
        "es": "Este número no es válido: su dígito de control no coincide. Revise si hay errores.",
        "zh-hans": "此号码无效：校验位不匹配。请检查是否输错。",
    },
    "us_ssn": {
        "en": "Enter a Social Security number such as 123-45-6789 (9 digits; it cannot start with 000, 666 or 9).",
        "es": "Escriba un número de Seguro Social como 123-45-6789 (9 dígitos; no puede empezar con 000, 666 ni 9).",
        "zh-hans": "请输入社会安全号码，例如 123-45-6789（9 位数字，不能以 000、666 或 9 开头）。",
    },
    "us_ein": {
        "en": "Enter an Employer Identification Number such as 12-3456789.",
        "es": "Escriba un número de identificación patronal (EIN) como 12-3456789.",
        "zh-hans": "请输入雇主识别号码（EIN），例如 12-3456789。",
    },
    "vin": {
        "en": "Enter the 17-character vehicle identification number (VIN). It has no I, O or Q, and its check digit must match.",
        "es": "Escriba el número de identificación del vehículo (VIN) de 17 caracteres. No lleva I, O ni Q y su dígito de control debe coincidir.",
        "zh-hans": "请输入 17 位车辆识别号（VIN），其中不含 I、O、Q，且校验位必须正确。",
    },
    "iban": {
        "en": "Enter an IBAN such as DE89 3704 0044 0532 0130 00; its check digits must match.",
        "es": "Escriba un IBAN como ES91 2100 0418 4502 0005 1332; sus dígitos de control deben coincidir.",
        "zh-hans": "请输入 IBAN，例如 DE89 3704 0044 0532 0130 00，校验位必须正确。",
    },
    "aba_routing": {
        "en": "Enter the 9-digit bank routing number printed on your checks.",
        "es": "Escriba el número de ruta bancaria de 9 dígitos que aparece en sus cheques.",
        "zh-hans": "请输入支票上印的 9 位银行路由号码。",
    },
    "luhn": {
        "en": "This number is not valid: its check digit does not match.",
        "es": "Este número no es válido: su dígito de control no coincide.",
        "zh-hans": "此号码无效：校验位不匹配。",
    },
    "npi": {
        "en": "Enter a 10-digit National Provider Identifier whose check digit matches.",
        "es": "Escriba un NPI de 10 dígitos con dígito de control válido.",
        "zh-hans": "请输入校验位正确的 10 位国家医疗服务提供者识别号（NPI）。",
    },
    # chat prompts
    "hint_yes_no": {"en": "Reply yes or no.", "es": "Responda sí o no.", "zh-hans": "请回复“是”或“否”。"},
    "hint_choice": {
        "en": "Reply with the number or the name of an option.",
        "es": "Responda con el número o el nombre de una opción.",
        "zh-hans": "请回复选项的编号或名称。",
    },
    "hint_multi": {
        "en": "Reply with one or more numbers, separated by commas.",
        "es": "Responda con uno o más números separados por comas.",
        "zh-hans": "请回复一个或多个编号，用逗号分隔。",
    },
    "hint_date": {
        "en": "Write the date like {example}.",
        "es": "Escriba la fecha así: {example}.",
        "zh-hans": "请按此格式填写日期：{example}。",
    },
    "hint_address": {
        "en": "Write it as: street, city, state ZIP.",
        "es": "Escríbala así: calle, ciudad, estado código postal.",
        "zh-hans": "请按此格式填写：街道, 城市, 州 邮编。",
    },
    "hint_location": {
        "en": "Type an address, or share your location as coordinates like “39.78, -89.64”.",
        "es": "Escriba una dirección o comparta su ubicación como coordenadas, por ejemplo “39.78, -89.64”.",
        "zh-hans": "请输入地址，或以坐标形式分享您的位置，例如“39.78, -89.64”。",
    },
    "hint_skip": {
        "en": "This one is optional: reply “skip” to leave it out.",
        "es": "Es opcional: responda “omitir” para dejarla en blanco.",
        "zh-hans": "此项为可选：回复“跳过”即可略过。",
    },
    "hint_back": {
        "en": "Reply “back” to change your previous answer.",
        "es": "Responda “atrás” para cambiar su respuesta anterior.",
        "zh-hans": "回复“返回”可修改上一个回答。",
    },
    "question_of": {
        "en": "Question {n} of {total}",
        "es": "Pregunta {n} de {total}",
        "zh-hans": "第 {n} 题，共 {total} 题",
    },
    # While an answer still to come decides which questions follow, the count has no total yet.
    "question_n": {"en": "Question {n}", "es": "Pregunta {n}", "zh-hans": "第 {n} 题"},
    "review_intro": {
        "en": "Please check your answers:",
        "es": "Revise sus respuestas:",
        "zh-hans": "请核对您的回答：",
    },
    "review_outro": {
        "en": "Reply “confirm” to submit, or “back” to change your last answer.",
        "es": "Responda “confirmar” para enviar, o “atrás” para cambiar su última respuesta.",
        "zh-hans": "回复“确认”提交，或回复“返回”修改最后一个回答。",
    },
    "button_back": {"en": "Back", "es": "Atrás", "zh-hans": "返回"},
    "button_skip": {"en": "Skip", "es": "Omitir", "zh-hans": "跳过"},
    "button_confirm": {"en": "Confirm", "es": "Confirmar", "zh-hans": "确认"},
    "button_change": {"en": "Change", "es": "Cambiar", "zh-hans": "修改"},
    "yes": {"en": "Yes", "es": "Sí", "zh-hans": "是"},
    "no": {"en": "No", "es": "No", "zh-hans": "否"},
    "not_answered": {"en": "Not answered", "es": "Sin respuesta", "zh-hans": "未回答"},
}
for _language, _texts in MORE_MESSAGES.items():
    for _code, _text in _texts.items():
        MESSAGES[_code][_language] = _text


def message(code: str, lang: str | None, **params: Any) -> str:
    """The message `code` in `lang`. A `date` parameter is the ISO date an answer is checked against and is written
    out in `lang` as dates are on the forms ("27 mars 1990", "1990年3月27日"), not as "1990-03-27"."""
    from registrations.engine.dates import format_date

    template = localize(MESSAGES.get(code, MESSAGES["invalid"]), lang)
    if isinstance(params.get("date"), str):
        params["date"] = format_date(params["date"], lang)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


@dataclass(frozen=True)
class FieldError:
    """A reason an answer was refused: a code, its parameters, and optionally the author's own text."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    text: Text | None = None  # a message written in the definition (pattern_message, expect_message)

    def message(self, lang: str | None) -> str:
        if self.text:
            return localize(self.text, lang)
        return message(self.code, lang, **self.params)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang)}
