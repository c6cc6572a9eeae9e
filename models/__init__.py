from . import chorus_service
from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import account_move_preflight
from . import res_partner_chorus_sync
