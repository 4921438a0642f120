"""`flask outbox …`: send what the outbox holds."""
from __future__ import annotations

import datetime as dt
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from shop.clock import now_option
from shop.extensions import db

outbox_cli = AppGroup("outbox", help="Send queued e-mails.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due now, print a report and exit.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
              help="Seconds to sleep between rounds.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Messages per round (default OUTBOX_BATCH); with --once, at most this many in all.")
@now_option
def work_command(once: bool, interval: float, limit: int | None, at: dt.datetime | None) -> None:
    """Send due e-mails: one pass with --once, otherwise a loop that stops cleanly on SIGTERM or Ctrl-C."""
    from shop.notifications.mailer import transport_from_config
    from shop.notifications.sender import SendReport, send_due

    if at is not None and not once:
        # A loop frozen at one moment would never see another message fall due.
        raise click.UsageError("--now goes with --once.")
    transport = transport_from_config(current_app)
    if once:
        if limit:
            report = send_due(transport, at, limit=limit)
        else:
            # Drain in batches while all goes well. A round short of a batch left nothing due behind it;
            # a round with failures stops here, or a mail server that is down would see the same
            # messages again and again (their backoff expiring during a long run) until they all died.
            batch, report = current_app.config["OUTBOX_BATCH"], SendReport()
            while True:
                round_report = send_due(transport, at, limit=batch)
                report += round_report
                if round_report.handled < batch or round_report.sent < round_report.handled:
                    break
        click.echo(str(report))
        return

    stop = threading.Event()

    def request_stop(signum, _frame) -> None:
        # Finish the message in hand, then leave: a message is never cut off between sending and recording it.
        current_app.logger.info("outbox sender: %s received, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"outbox sender: {transport!r}, every {interval:g} s; SIGTERM or Ctrl-C stops it")
    try:
        while not stop.is_set():
            try:
                report = send_due(transport, limit=limit, stop=stop)
            except Exception:  # noqa: BLE001 - a database outage must not end the sender; try again next round
                db.session.rollback()
                current_app.logger.exception("outbox sender: round failed")
            else:
                if report.handled:
                    click.echo(str(report))
            finally:
                db.session.remove()
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("outbox sender: stopped")
