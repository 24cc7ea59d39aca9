"""``briefing voices``: every installed backend's voices and whether each works
now; ``briefing voices install NAME`` fetches a voice's weights."""

from __future__ import annotations

from collections.abc import Sequence

import click

from briefing.backends.base import Installable, backend_names, get_backend
from briefing.errors import BackendUnavailable, BriefingError
from briefing.presets import load_presets


class BackendChoice(click.Choice):
    """``auto`` or an installed backend's name, plugins included, looked up when
    the option is parsed or shown (not when the command is defined)."""

    def __init__(self) -> None:
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return ("auto", *backend_names())

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # always the installed ones


@click.group(invoke_without_command=True)
@click.pass_context
def voices(ctx: click.Context) -> None:
    """List voices of every installed backend, with which work now."""
    if ctx.invoked_subcommand is not None:
        return
    presets = load_presets()
    for name in backend_names():
        try:
            backend = get_backend(name)
        except BackendUnavailable as exc:
            click.echo(f"Warning: {exc}", err=True)
            continue
        with backend:
            try:
                problem = backend.available()
                listed = backend.voices()
            except BackendUnavailable as exc:
                click.echo(f"{name}: unavailable: {exc}\n")
                continue
        status = "works now" if problem is None else f"unavailable: {problem}"
        click.echo(f"{name} ({status})")
        for voice in listed:
            preset_names = [
                p.name for p in presets.values() if p.backend == name and p.voice == voice.id
            ]
            extra = f"  preset: {', '.join(preset_names)}" if preset_names else ""
            note = f"  [{voice.license}]" if voice.license else ""
            click.echo(
                f"  {voice.id:<28} {voice.language:<6} {voice.gender:<7} "
                f"{voice.description}{note}{extra}"
            )
        click.echo()


@voices.command()
@click.argument("name")
def install(name: str) -> None:
    """Fetch and install a voice's weights (e.g. baker)."""
    with get_backend(name) as backend:
        if not isinstance(backend, Installable):
            raise BriefingError(f"the {name} backend has nothing to install")
        backend.install(lambda line: click.echo(line, err=True))
    click.echo(f"{name} is installed.", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(voices)
