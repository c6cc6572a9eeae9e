-- A restored copy of a production database must never talk to the real Chorus Pro.
UPDATE res_company
    SET chorus_environment = 'qualification',
        chorus_api_url = NULL,
        chorus_oauth_url = NULL,
        chorus_client_id = NULL,
        chorus_client_secret = NULL,
        chorus_login = NULL,
        chorus_password = NULL;
