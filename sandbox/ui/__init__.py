"""ipywidgets desks for trainees who do not code. Each is a face over the Session API:
a click calls the same session method a line of code would, so both record the same.

    from sandbox.ui import ReviewDesk
    ReviewDesk(s)          # in a notebook cell: shows the desk
"""

from sandbox.ui.collection import CollectionDesk
from sandbox.ui.payout import FailureDesk, PaymentDesk, ReconciliationDesk
from sandbox.ui.review import PostingDesk, ReviewDesk

__all__ = ["CollectionDesk", "FailureDesk", "PaymentDesk", "PostingDesk", "ReconciliationDesk",
           "ReviewDesk"]
