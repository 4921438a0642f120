"""Command-line entry points: `flask seed-demo`."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--scale", type=click.IntRange(min=0), default=0,
                  help="Also add N synthetic products, for benchmarks.")
    def seed_demo_command(scale: int) -> None:
        """Load the demo catalog (idempotent: a second run changes nothing)."""
        from shop.catalog.demo import seed_demo

        report = seed_demo(scale=scale)
        click.echo(report)
