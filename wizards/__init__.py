from . import chorus_send_wizard
from . import chorus_complete_wizard
from . import chorus_recycle_wizard
from . import chorus_directory_wizard
