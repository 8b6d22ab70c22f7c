"""Everything that draws: ipywidgets desks for trainees who do not code, the displays a
session can be started with, the report page and the charts.

Each desk is a face over the Session API: a click calls the same session method a line of
code would, so both record the same. A desk speaks the session's language (lang="zh": Chinese
labels, headers and values); a final step says beforehand what becomes final and acts only
once its confirm box is ticked; a desk shown again after its step shows the recorded result.

    from sandbox.ui import NotebookDisplay, ReviewDesk
    s = Session.start("scenarios/tutorial.yaml", display=NotebookDisplay())
    ReviewDesk(s)          # in a notebook cell: shows the desk
"""

from sandbox.ui.city import CitySupervisionDesk
from sandbox.ui.collection import CollectionDesk
from sandbox.ui.disclosure import DisclosureDesk
from sandbox.ui.display import HtmlDisplay, NotebookDisplay
from sandbox.ui.payout import FailureDesk, PaymentDesk, ReconciliationDesk
from sandbox.ui.review import PostingDesk, ReviewDesk
from sandbox.ui.supervision import SupervisionDesk

__all__ = ["CitySupervisionDesk", "CollectionDesk", "DisclosureDesk", "FailureDesk", "HtmlDisplay", "NotebookDisplay", "PaymentDesk",
           "PostingDesk", "ReconciliationDesk", "ReviewDesk", "SupervisionDesk"]
