"""The contracted paying banks (代发银行): return codes, calendar, accounts, payout, branches."""

from sandbox.bank.accounts import AccountBook, card_number_ok, draw_bank_knows_death
from sandbox.bank.branch import BranchDesk, schedule_activations
from sandbox.bank.codes import RETURN_CODES, Bilingual, ReturnCode
from sandbox.bank.hours import BankTime, processing_windows
from sandbox.bank.ledger import PaymentLedger
from sandbox.bank.model import LINE_COLUMNS, PayoutRun, simulate_payout, validate_lines

__all__ = [
    "LINE_COLUMNS",
    "RETURN_CODES",
    "AccountBook",
    "Bilingual",
    "BankTime",
    "BranchDesk",
    "PaymentLedger",
    "PayoutRun",
    "ReturnCode",
    "card_number_ok",
    "draw_bank_knows_death",
    "processing_windows",
    "schedule_activations",
    "simulate_payout",
    "validate_lines",
]
