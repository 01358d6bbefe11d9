"""Currency symbols and codes → ISO 4217, and a rough scale per currency.

The scale (units per US dollar, order of magnitude only) lets the salary parser use one
set of plausibility bounds for every currency; it is not an exchange rate and nothing is
converted with it.
"""

from __future__ import annotations

import pycountry

ISO_CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)
# Approximate units per US dollar, only to scale the plausibility bounds.
# fmt: off
SCALE = {
    "USD": 1, "EUR": 1, "GBP": 1, "CHF": 1, "CAD": 1.4, "AUD": 1.5, "NZD": 1.7, "SGD": 1.3,
    "HKD": 8, "SEK": 11, "NOK": 11, "DKK": 7, "ISK": 140, "PLN": 4, "CZK": 23, "HUF": 360,
    "RON": 4.6, "BGN": 1.8, "UAH": 41, "TRY": 40, "ILS": 3.7, "AED": 3.7, "SAR": 3.8,
    "QAR": 3.6, "EGP": 50, "ZAR": 18, "NGN": 1600, "KES": 130, "INR": 85, "PKR": 280,
    "BDT": 120, "LKR": 300, "JPY": 150, "CNY": 7.2, "KRW": 1400, "TWD": 32, "PHP": 58,
    "IDR": 16000, "MYR": 4.5, "THB": 35, "VND": 25000, "BRL": 5.5, "MXN": 19, "ARS": 1000,
    "CLP": 950, "COP": 4100, "PEN": 3.8,
}
# fmt: on
# fmt: off
SYMBOLS = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "CAD$": "CAD", "A$": "AUD", "AU$": "AUD",
    "NZ$": "NZD", "S$": "SGD", "SG$": "SGD", "HK$": "HKD", "R$": "BRL", "MX$": "MXN",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₱": "PHP", "₪": "ILS",
    "₺": "TRY", "₦": "NGN", "RS": "INR", "RMB": "CNY", "EUROS": "EUR", "EURO": "EUR",
    "DOLLARS": "USD", "POUNDS": "GBP", "LPA": "INR", "LAKH": "INR", "LAKHS": "INR",
}
# fmt: on
TEXT_CODES = (
    "USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|ISK|PLN|CZK|HUF|RON|BGN|UAH|TRY|ILS|AED|SAR|QAR"
    "|EGP|ZAR|NGN|KES|INR|PKR|BDT|LKR|JPY|CNY|RMB|KRW|TWD|PHP|IDR|MYR|THB|VND|BRL|MXN|ARS|CLP"
    "|COP|PEN|SGD|HKD"
)
DOLLAR_CODES = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP", "TWD"}
# Countries whose postings write their own dollar as a bare "$": "We pay $20.00 an hour" at
# a Canadian mall is Canadian dollars. (Mexico's "$" is left alone: US firms hiring there
# quote US dollars with it too.)
LOCAL_DOLLARS = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD"}


def currency_code(token: str | None) -> str | None:
    """A symbol or code as written ("$", "C$", "€", "eur", "(USD)") → ISO 4217, else None.
    A bare "$" is USD; callers look for a more specific dollar code nearby first."""
    if not token:
        return None
    cleaned = token.strip().strip("().").upper().replace(" ", "")
    if cleaned in SYMBOLS:
        return SYMBOLS[cleaned]
    if cleaned == "$":
        return "USD"
    if cleaned.endswith("$") and cleaned[:-1] in DOLLAR_CODES:  # "CAD$", "USD $"
        return cleaned[:-1]
    return cleaned if cleaned in ISO_CURRENCIES else None
