"""Start the test OpenID provider: migrate its own SQLite file, register Oversight as a client,
create the council's people, then serve on 127.0.0.1:PORT until killed.

    python run.py PORT DB_PATH SETUP_JSON

SETUP_JSON: {"client_id", "client_secret", "redirect_uri",
             "users": [{"username", "password", "email", "first_name", "last_name", "groups": [...]}]}
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["PROVIDER_PORT"], os.environ["PROVIDER_DB"] = sys.argv[1], sys.argv[2]
os.environ["DJANGO_SETTINGS_MODULE"] = "provider_settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402


def main() -> None:
    setup = json.loads(sys.argv[3])
    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey", verbosity=0)
    client = Client.objects.create(
        name="Oversight", client_type="confidential", client_id=setup["client_id"],
        client_secret=setup["client_secret"], jwt_alg="RS256", require_consent=True, reuse_consent=False,
        redirect_uris=[setup["redirect_uri"]], scope=["openid", "email", "profile"],
    )
    client.response_types.set(ResponseType.objects.filter(value="code"))
    for person in setup["users"]:
        user = User.objects.create_user(person["username"], email=person["email"], password=person["password"],
                                        first_name=person["first_name"], last_name=person["last_name"])
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in person["groups"]])

    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    print("provider ready", flush=True)
    serve(get_wsgi_application(), host="127.0.0.1", port=int(sys.argv[1]), threads=4, _quiet=True)


if __name__ == "__main__":
    main()
