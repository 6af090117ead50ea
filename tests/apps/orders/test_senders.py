"""The local SMS/call sender logs what it would send, with the number masked (SEC-01)."""

from __future__ import annotations

import logging

import pytest

from guifan.apps.orders.senders import LocalSender


@pytest.mark.parametrize(
    ("number", "masked"), [("13912345678", "139****5678"), ("028-85551234", "028****1234")]
)
def test_the_sender_log_masks_the_number(caplog, number, masked):
    caplog.set_level(logging.INFO, logger="guifan.contacts")
    assert LocalSender().send(to=number, channel="sms", body="您好", key="k1") == "sent"
    assert masked in caplog.text
    assert number not in caplog.text and number.replace("-", "") not in caplog.text
