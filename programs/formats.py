"""Number formats of the plan, used by every app: won ↔ 백만원, △ for negatives, 증감률.

Money is stored in whole won; the plan's tables print 백만원 with thousands separators, negative
changes with △ (△1,740, △36.7) and new programs' change rate as 신규. Every screen and export
converts through these functions so that the conventions are written once.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

MILLION = 1_000_000  # 1 백만원 in won
EOK = 100_000_000  # 1 억원 in won
NEGATIVE_MARK = "△"
NEW_LABEL = "신규"

# Excel number formats giving the same look as the plan (the cell stays a number).
EXCEL_MILLION_FORMAT = f'#,##0;"{NEGATIVE_MARK}"#,##0;0'
EXCEL_RATE_FORMAT = f'0.0;"{NEGATIVE_MARK}"0.0;0.0'
EXCEL_COUNT_FORMAT = "#,##0"


def million_to_won(amount_million: int | Decimal) -> int:
    return int(Decimal(amount_million) * MILLION)


def won_to_million(amount_won: int) -> Decimal:
    """Exact 백만원 value of a won amount (a Decimal, so nothing is lost)."""
    return Decimal(amount_won) / MILLION


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    # Enough precision for every digit of the value (a 400-digit typed amount must be shown back
    # with its error, not crash the page: the default context holds 28 digits).
    with localcontext() as context:
        if value.is_finite():
            context.prec = max(context.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def change_rate(previous: int | None, current: int | None) -> Decimal | None:
    """증감률 in percent, rounded half-up to one decimal as the plan prints it; None for 신규, and
    None where the year's budget is not there yet (a draft year: no rate, not △100.0)."""
    if not previous or current is None:
        return None
    return round_half_up(Decimal((current or 0) - previous) * 100 / Decimal(previous), 1)


def execution_rate(executed: int | None, budget: int | None) -> Decimal | None:
    """집행률 in percent, one decimal; None when there is no budget to measure against."""
    if not budget:
        return None
    return round_half_up(Decimal(executed or 0) * 100 / Decimal(budget), 1)


def format_number(value: int | Decimal, places: int = 0) -> str:
    """Thousands separators and △ for negatives: -1740 → '△1,740', Decimal('-36.7') → '△36.7'."""
    rounded = round_half_up(Decimal(value), places)
    text = f"{abs(rounded):,.{places}f}"
    return f"{NEGATIVE_MARK}{text}" if rounded < 0 else text


def format_million(amount_won: int | None, empty: str = "-") -> str:
    """A won amount in 백만원 as the plan prints it; '-' where the plan has no figure."""
    if amount_won is None:
        return empty
    return format_number(won_to_million(amount_won))


def format_rate(rate: Decimal | None, empty: str = NEW_LABEL) -> str:
    return empty if rate is None else format_number(rate, 1)


def with_particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """The word with the particle its last syllable takes: ('선정', '으로', '로') → '선정으로', '완료로'.

    Korean particles follow the final consonant (받침) of the word before them; 으로 also becomes
    로 after ㄹ (탈락 → 탈락으로, but 서울 → 서울로). A word not ending in Hangul keeps both forms.
    """
    last = word.rstrip().rstrip("」』'\"”’)]")[-1:] or " "  # 「선정」: the particle follows 정
    code = ord(last) - 0xAC00
    if not 0 <= code < 11172:
        return f"{word}{after_consonant}({after_vowel})" if after_consonant != "으로" else f"{word}(으)로"
    final = code % 28
    if after_consonant == "으로" and final == 8:  # ㄹ
        return f"{word}로"
    return f"{word}{after_consonant if final else after_vowel}"
