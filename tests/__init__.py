from . import test_preflight
from . import test_partner
from . import test_security
from . import test_chorus_connection
from . import test_partner_chorus_sync
from . import test_neutralize
from . import test_tour
