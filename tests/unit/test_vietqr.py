"""VietQR payloads against the published vectors (vietnam.md §2.3–2.4), folding, validation, images."""
import base64
import binascii
import unicodedata

import pytest

from shop.payments import vietqr
from shop.payments.vietqr import BANKS, BankAccount, crc16_ccitt_false, crc_ok, parse, payload
from shop.qr import qr_png_data_uri, qr_svg

TPBANK = BankAccount("970423", "0099999999", "NGUYEN VAN A", "TPBank")
VIETINBANK = BankAccount("970415", "0011001932418", "NGUYEN VAN A", "VietinBank")
MB_ALNUM = BankAccount("970422", "0023457923442ASDFLJ", "NGUYEN VAN A", "MB Bank")
MB_ODOO = BankAccount("970422", "660704060000129", "COMPANY 1", "MB Bank")
SHOP = BankAccount("970436", "0011000123456", "HTX OCOP QUANG NINH", "Vietcombank")

T1 = "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4"
T2 = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)
T3 = (
    "00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA"
    "53037045405401235802VN62290825chuyen khoan alsdkf laksj6304E5DB"
)
T4 = (
    "00020101021238590010A0000007270129000697042201156607040600001290208QRIBFTTA"
    "52040000530370454031005802VN5914company_1_data6007Vietnam62150811INVTEST000163042656"
)
T5 = (
    "00020101021238590010A0000007270129000697042201156607040600001290208QRIBFTTA"
    "52040000530370454031005802VN5914aAeEoOiIuUyYdD6007Vietnam62150811INVTEST00026304E1C2"
)
WORKED = (
    "00020101021238570010A00000072701270006970436011300110001234560208QRIBFTTA"
    "530370454062500005802VN62190815DH10025 OCOP QN63048AB4"
)
WORKED_STATIC = "00020101021138570010A00000072701270006970436011300110001234560208QRIBFTTA53037045802VN6304B794"
ALL_VECTORS = [T1, T2, T3, T4, T5, WORKED, WORKED_STATIC]


def _note_of(qr: str) -> str:
    return parse(parse(qr)["62"])["08"]


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


@pytest.mark.parametrize("qr", ALL_VECTORS)
def test_crc_agrees_with_stdlib_crc_hqx(qr):
    # binascii.crc_hqx is the same polynomial without the init; seeding it with 0xFFFF gives CCITT-FALSE.
    body = qr[:-4].encode("ascii")
    assert crc16_ccitt_false(body) == binascii.crc_hqx(body, 0xFFFF) == int(qr[-4:], 16)


def test_t1_static_tpbank():
    assert payload(TPBANK) == T1


def test_t2_dynamic_vietinbank_with_note():
    assert payload(VIETINBANK, 120000, "ung ho lu lut") == T2


def test_t3_alphanumeric_19_char_account_and_25_char_note():
    assert payload(MB_ALNUM, 40123, "chuyen khoan alsdkf laksj") == T3


def test_t4_odoo_with_mcc_merchant_and_filtered_reference():
    # Odoo passes the reference "INV/TEST/0001"; the note filter drops the slashes.
    qr = payload(MB_ODOO, 100, "INV/TEST/0001", mcc="0000", merchant_name="company_1_data", merchant_city="Vietnam")
    assert qr == T4


@pytest.mark.parametrize(
    "name",
    [
        "áÁéÉóÓíÍúÚýÝđĐ",  # the partner name in Odoo's test_emv_qr_vals_with_accent_partner
        "àÁèÉòÒìÍùÚỳÝđĐ",
        unicodedata.normalize("NFD", "áÁéÉóÓíÍúÚýÝđĐ"),
        "aAeEoOiIuUyYdD",
    ],
)
def test_t5_odoo_accented_merchant_name(name):
    qr = payload(MB_ODOO, 100, "INV/TEST/0002", mcc="0000", merchant_name=name, merchant_city="Vietnam")
    assert qr == T5


def test_worked_example_dynamic():
    assert payload(SHOP, 250000, "DH10025 OCOP QN") == WORKED
    assert len(WORKED) == 127


def test_worked_example_static():
    assert payload(SHOP) == WORKED_STATIC


@pytest.mark.parametrize("qr", ALL_VECTORS)
def test_crc_ok_accepts_vectors(qr):
    assert crc_ok(qr)


@pytest.mark.parametrize("qr", ALL_VECTORS)
def test_crc_ok_rejects_one_changed_character(qr):
    i = qr.index("5802VN") + 4  # inside the body
    assert not crc_ok(qr[:i] + "X" + qr[i + 1 :])
    last = qr[-1]
    assert not crc_ok(qr[:-1] + ("0" if last != "0" else "1"))


def test_crc_ok_rejects_lower_case_missing_or_foreign():
    assert not crc_ok(WORKED[:-4] + WORKED[-4:].lower())
    assert not crc_ok(WORKED[:-8])
    assert not crc_ok("")
    assert not crc_ok(WORKED.replace("DH10025", "ĐH10025"))


def test_crc_with_leading_zero_is_padded_to_four_digits():
    # Found by trying order codes: this one's CRC is 0x0E7B, which unpadded %X would write as "E7B".
    qr = payload(SHOP, 250000, "DH10107")
    assert qr.endswith("63040E7B")
    assert crc16_ccitt_false(qr[:-4].encode("ascii")) == 0x0E7B
    assert parse(qr)["63"] == "0E7B"
    assert crc_ok(qr)


def test_static_crc_with_leading_zero():
    qr = payload(SHOP, 11000)
    assert qr[-8:] == "63040E49"
    assert crc_ok(qr)


@pytest.mark.parametrize(
    "note",
    ["Đơn hàng QN-2612-0001", unicodedata.normalize("NFD", "Đơn hàng QN-2612-0001"), "  Đơn\thàng\nQN-2612-0001 "],
)
def test_vietnamese_note_folded_to_ascii(note):
    qr = payload(SHOP, 250000, note)
    assert _note_of(qr) == "Don hang QN-2612-0001"
    assert qr.isascii() and crc_ok(qr)


def test_note_keeps_only_safe_characters():
    assert _note_of(payload(SHOP, 1000, "DH#10025 (Hạ Long)!/₫ _.-")) == "DH10025 Ha Long _.-"


def test_long_note_truncated_to_25_characters():
    qr = payload(SHOP, 250000, "Thanh toán đơn hàng DH10025 tại cửa hàng Hạ Long")
    assert _note_of(qr) == "Thanh toan don hang DH100"
    assert len(_note_of(qr)) == 25


def test_empty_note_after_filtering_omits_tag_62():
    assert "62" not in parse(payload(SHOP, 1000, "%%% ₫"))
    assert "62" not in parse(payload(SHOP, 1000))


def test_merchant_name_and_city_folded_and_truncated():
    fields = parse(payload(SHOP, merchant_name="Hợp tác xã Trà hoa vàng Ba Chẽ", merchant_city="Thành phố Hạ Long"))
    assert fields["59"] == "Hop tac xa Tra hoa vang B"
    assert fields["60"] == "Thanh pho Ha Lo"


@pytest.mark.parametrize(
    "account",
    [
        BankAccount("97043", "0011000123456", "A", "Vietcombank"),
        BankAccount("9704361", "0011000123456", "A", "Vietcombank"),
        BankAccount("97043A", "0011000123456", "A", "Vietcombank"),
        BankAccount("970436", "0011 000123456", "A", "Vietcombank"),
        BankAccount("970436", "", "A", "Vietcombank"),
        BankAccount("970436", "0" * 20, "A", "Vietcombank"),
        BankAccount("970436", "001100012345-6", "A", "Vietcombank"),
        BankAccount("970436", "００１１", "A", "Vietcombank"),  # full-width digits
    ],
)
def test_bad_account_raises(account):
    with pytest.raises(ValueError):
        payload(account, 1000)


@pytest.mark.parametrize("amount", [0, -5, 1.5, 250000.0, True, "250000", 10**13])
def test_bad_amount_raises(amount):
    with pytest.raises(ValueError):
        payload(SHOP, amount)


def test_bad_mcc_raises():
    with pytest.raises(ValueError):
        payload(SHOP, mcc="52")


def test_tlv_refuses_values_over_99_characters():
    # Through payload() every value is already bounded; this guards the encoder itself.
    assert vietqr._tlv("62", "x" * 99).startswith("6299")
    with pytest.raises(ValueError):
        vietqr._tlv("62", "x" * 100)


def test_parse_round_trips_tags():
    fields = parse(WORKED)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["53"] == "704" and fields["54"] == "250000" and fields["58"] == "VN"
    assert fields["63"] == "8AB4"
    merchant = parse(fields["38"])
    assert merchant == {"00": "A000000727", "01": "000697043601130011000123456", "02": "QRIBFTTA"}
    assert parse(merchant["01"]) == {"00": "970436", "01": "0011000123456"}
    assert _note_of(WORKED) == "DH10025 OCOP QN"
    rebuilt = "".join(f"{tag}{len(value):02d}{value}" for tag, value in fields.items())
    assert rebuilt == WORKED


def test_parse_t4_merchant_fields():
    fields = parse(T4)
    assert (fields["52"], fields["59"], fields["60"]) == ("0000", "company_1_data", "Vietnam")


@pytest.mark.parametrize("bad", ["0002", "000201010", "0x0201", "00020100020"])
def test_parse_rejects_malformed(bad):
    with pytest.raises(ValueError):
        parse(bad)


def test_qr_svg_is_inline_svg():
    svg = qr_svg(WORKED)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert 'role="img"' in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<title>VietQR</title>" in svg


def test_qr_svg_escapes_title_and_scales():
    small, large = qr_svg(T1, scale=2, title="Mã <QR>"), qr_svg(T1, scale=4)
    assert "<title>Mã &lt;QR&gt;</title>" in small
    # No fixed size: a viewBox, so CSS can scale the code to any screen; scale sets its units.
    assert 'width="' not in small.split(">", 1)[0]
    view = lambda svg: int(svg.split('viewBox="')[1].split('"')[0].split()[2])  # noqa: E731
    assert view(large) == 2 * view(small)


def test_qr_png_data_uri():
    uri = qr_png_data_uri(WORKED)
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).startswith(b"\x89PNG\r\n\x1a\n")


def test_banks_have_six_digit_bins():
    assert BANKS["970436"] == "Vietcombank"
    assert BANKS["970422"].startswith("MB")
    assert len(BANKS) >= 10
    assert all(len(b) == 6 and b.isdigit() for b in BANKS)
