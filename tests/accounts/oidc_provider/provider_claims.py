"""Claims as Microsoft Entra ID sends them: ``roles`` (app role values) and ``groups`` (object ids).

A provider user's Django groups stand for both: a group named ``role:VALUE`` is an app role
assignment, ``group:OBJECT-ID`` a security group membership.
"""


def userinfo(claims, user):
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims


def entra_like_claims(id_token, user, **kwargs):
    names = list(user.groups.values_list("name", flat=True))
    id_token["preferred_username"] = user.username
    roles = [n.removeprefix("role:") for n in names if n.startswith("role:")]
    groups = [n.removeprefix("group:") for n in names if n.startswith("group:")]
    if roles:
        id_token["roles"] = roles
    if groups:
        id_token["groups"] = groups
    return id_token
