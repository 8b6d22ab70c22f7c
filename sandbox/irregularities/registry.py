"""The registry of irregularity types: one module each, listed here in declaration order.

The order is the scenario schema's (docs/authoring.md's field table); planting goes phase
by phase and keeps this order within a phase, so the random draws never move. A new type
is one module with one class, added to this list.
"""

from __future__ import annotations

from sandbox.irregularities.base import Registry
from sandbox.irregularities.cadre_relative import CadreRelative
from sandbox.irregularities.data_entry_card import DataEntryCard
from sandbox.irregularities.data_entry_id import DataEntryId
from sandbox.irregularities.data_entry_name import DataEntryName
from sandbox.irregularities.dead_payee import DeadPayee
from sandbox.irregularities.duplicate import Duplicate
from sandbox.irregularities.ineligible import Ineligible
from sandbox.irregularities.inflated_area import InflatedArea
from sandbox.irregularities.over_standard import OverStandard
from sandbox.irregularities.proxy_account import ProxyAccount
from sandbox.irregularities.public_employee import PublicEmployee

FAULTS = Registry([
    DataEntryId(),
    DataEntryName(),
    DataEntryCard(),
    DeadPayee(),
    PublicEmployee(),
    CadreRelative(),
    Duplicate(),
    InflatedArea(),
    OverStandard(),
    Ineligible(),
    ProxyAccount(),
])
