"""``graphapp users ...`` and ``graphapp tokens ...``: accounts from a terminal."""

from __future__ import annotations

import sys

import click

from graphapp import audit, auth
from graphapp.commands.base import instance_option
from graphapp.commands.graph import graph_for


@click.group()
def users() -> None:
    """Accounts: viewer, editor, admin (docs/security.md)."""


@users.command("create")
@instance_option
@click.argument("name")
@click.option("--role", type=click.Choice(auth.ROLES), default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(instance: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password comes from a prompt or --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with graph_for(instance) as graph:
        user = auth.create_user(graph, name, role, password)
        audit.record(graph, "cli", "user.create", f"user:{name}", None,
                     {"name": user["name"], "role": user["role"]})
    click.echo(f"Created {role} {name!r}.")


@users.command("ensure-admin")
@instance_option
@click.option("--name", default="admin", show_default=True)
def users_ensure_admin(instance: str, name: str) -> None:
    """On an empty user store, create an admin and print its generated password once."""
    with graph_for(instance) as graph:
        password = auth.ensure_admin(graph, name)
        if password:
            audit.record(graph, "cli", "user.create", f"user:{name}", None,
                         {"name": name, "role": "admin"})
    if password:
        click.echo(f"Created the first account: sign in at /login as {name!r} with the "
                   f"password {password}\n(shown once; change it with "
                   f"`graphapp users password {name}`).")


@users.command("password")
@instance_option
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_password(instance: str, name: str, password_stdin: bool) -> None:
    """Set a new password (signs the user out everywhere and revokes their API tokens)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with graph_for(instance) as graph:
        auth.set_password(graph, name, password)
        audit.record(graph, "cli", "user.password", f"user:{name}", None, None)
    click.echo(f"Password of {name!r} changed; their sessions and API tokens are ended.")


@users.command("list")
@instance_option
def users_list(instance: str) -> None:
    """Accounts and their roles."""
    with graph_for(instance) as graph:
        for u in auth.list_users(graph):
            state = "  disabled" if u.get("disabled") else ""
            click.echo(f"{u['name']:<24} {u['role']:<8} tokens: {u['tokens']}{state}")


def _set_disabled(instance: str, name: str, disabled: bool) -> None:
    action = "disable" if disabled else "enable"
    with graph_for(instance) as graph:
        user, before = auth.set_disabled(graph, name, disabled)
        audit.record(graph, "cli", f"user.{action}", f"user:{name}", {"disabled": before},
                     {"disabled": user["disabled"]})
    click.echo(f"{name!r} is {action}d" + ("; their sessions are ended and their API tokens "
                                         "answer 401." if disabled else "."))


@users.command("disable")
@instance_option
@click.argument("name")
def users_disable(instance: str, name: str) -> None:
    """Disable an account: it cannot sign in, its sessions end, its tokens answer 401."""
    _set_disabled(instance, name, True)


@users.command("enable")
@instance_option
@click.argument("name")
def users_enable(instance: str, name: str) -> None:
    """Enable a disabled account again (its API tokens work again)."""
    _set_disabled(instance, name, False)


@click.group()
def tokens() -> None:
    """API tokens (sent as 'Authorization: Bearer TOKEN')."""


@tokens.command("create")
@instance_option
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
def tokens_create(instance: str, name: str, label: str) -> None:
    """Print a new API token for user NAME (only its hash is stored: copy it now)."""
    with graph_for(instance) as graph:
        token = auth.create_token(graph, name, label)
        audit.record(graph, "cli", "token.create", f"user:{name}", None, {"label": label})
    click.echo(token)


@tokens.command("list")
@instance_option
@click.option("--user", "name", default=None, help="Only this user's tokens.")
def tokens_list(instance: str, name: str | None) -> None:
    """API tokens: id, user, label, when made and last used (never the token itself)."""
    with graph_for(instance) as graph:
        found = auth.list_tokens(graph, name)
    for t in found:
        click.echo(f"{t['id']}  {t['user']:<20} {t['label'] or '(no label)':<24} "
                   f"made {t['created_at'][:19]}  last used "
                   f"{(t['last_used_at'] or 'never')[:19]}")
    if not found:
        click.echo("No API tokens.", err=True)


@tokens.command("revoke")
@instance_option
@click.argument("token_id")
def tokens_revoke(instance: str, token_id: str) -> None:
    """Revoke the token TOKEN_ID (from `graphapp tokens list`): it answers 401 from now on."""
    with graph_for(instance) as graph:
        revoked = auth.revoke_token(graph, token_id)
        audit.record(graph, "cli", "token.revoke", f"user:{revoked['user']}",
                     {"label": revoked["label"]}, None)
    click.echo(f"Revoked the token {token_id} of {revoked['user']!r}.")
