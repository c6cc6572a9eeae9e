from . import test_preflight
from . import test_partner
from . import test_security
