"""Alerts: one clear summary line per failed run, logged and (when configured) posted or mailed.

``PIPELINE_ALERT_WEBHOOK``: a URL that receives ``{"text": line, ...}`` as JSON (Slack, Teams
and most chat tools accept this). ``PIPELINE_ALERT_EMAIL``: comma-separated recipients, sent
through ``PIPELINE_SMTP_HOST`` (default localhost:25). Only final failures alert: Airflow calls
the DAG-level failure callback once per failed run, never for a retry that later succeeds.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage

import requests

log = logging.getLogger("newspipe.alerts")


def summary_line(
    *,
    dag_id: str,
    source_id: str | None,
    interval_start: datetime | None,
    interval_end: datetime | None,
    failed_tasks: Sequence[str],
    reason: str | None = None,
    counts: dict[str, int] | None = None,
) -> str:
    """``FAILED ingest_duvar_english source=duvar-english interval=[...) failed=2 (load_batch[3], finish): ...``"""
    interval = (
        f"[{interval_start.isoformat() if interval_start else '?'}, "
        f"{interval_end.isoformat() if interval_end else '?'})"
    )
    parts = [
        f"FAILED {dag_id}",
        f"source={source_id or '-'}",
        f"interval={interval}",
        f"failed={len(failed_tasks)} ({', '.join(failed_tasks) or '-'})",
    ]
    if counts:
        parts.append(" ".join(f"{k}={v}" for k, v in counts.items()))
    if reason:
        parts.append(f"reason: {reason.splitlines()[0][:300]}")
    return " ".join(parts)


def notify(line: str, *, details: dict[str, object] | None = None) -> None:
    """Log *line*; post it to the webhook and mail it when those are configured. Never raises."""
    log.error(line)
    webhook = os.environ.get("PIPELINE_ALERT_WEBHOOK")
    if webhook:
        try:
            requests.post(
                webhook,
                data=json.dumps({"text": line, **(details or {})}, default=str),
                headers={"Content-Type": "application/json"},
                timeout=10,
            )
        except requests.RequestException as exc:
            log.warning("alert webhook failed: %s", exc)
    recipients = [r.strip() for r in os.environ.get("PIPELINE_ALERT_EMAIL", "").split(",") if r.strip()]
    if recipients:
        msg = EmailMessage()
        msg["Subject"] = line[:150]
        msg["From"] = os.environ.get("PIPELINE_ALERT_FROM", "newspipe@localhost")
        msg["To"] = ", ".join(recipients)
        msg.set_content(line + "\n\n" + json.dumps(details or {}, indent=2, default=str))
        host, _, port = os.environ.get("PIPELINE_SMTP_HOST", "localhost:25").partition(":")
        try:
            with smtplib.SMTP(host, int(port or 25), timeout=10) as smtp:
                smtp.send_message(msg)
        except OSError as exc:
            log.warning("alert mail failed: %s", exc)
