"""Emergency playbooks (HAL-11): steps from the norm, one open use per emergency, recorded."""

from __future__ import annotations

import pytest

from guifan.apps.hall.models import Hall
from guifan.apps.hall.playbooks import playbook_close, playbook_start, playbook_step, playbooks
from guifan.apps.norms.models import NormCheck
from guifan.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock):
    return Hall.objects.create(code="H1", name="春熙路营业厅")


def test_every_hal11_emergency_has_steps_with_the_norms_numbers():
    books = {p.kind: p.steps for p in playbooks()}
    assert len(books) == 7 and all(books.values())
    assert "119" in books["fire"][0] and "120" in books["customer taken ill"][0]


def test_a_playbook_done_step_by_step_keeps_hal11(hall):
    run = playbook_start(hall=hall, kind="rain and snow", by=None)
    for step in range(4):
        playbook_step(run_id=run.id, hall=hall, step=step, done=True, by=None)
    playbook_close(run_id=run.id, hall=hall, by=None)
    assert list(NormCheck.objects.filter(norm_id="HAL-11").values_list("kept", flat=True)) == [True]


def test_a_playbook_closed_with_steps_left_breaks_hal11(hall):
    run = playbook_start(hall=hall, kind="fire", by=None)
    playbook_step(run_id=run.id, hall=hall, step=0, done=True, by=None)
    playbook_step(run_id=run.id, hall=hall, step=1, done=True, by=None)
    playbook_step(run_id=run.id, hall=hall, step=1, done=False, by=None)
    run = playbook_close(run_id=run.id, hall=hall, by=None)
    assert run.done == [0]
    check = NormCheck.objects.get(norm_id="HAL-11")
    assert check.kept is False and "1/5" in check.reason


def test_refusals(hall):
    with pytest.raises(NotFound):
        playbook_start(hall=hall, kind="earthquake", by=None)
    run = playbook_start(hall=hall, kind="power cut", by=None)
    with pytest.raises(Conflict):
        playbook_start(hall=hall, kind="power cut", by=None)
    with pytest.raises(ValidationFailed):
        playbook_step(run_id=run.id, hall=hall, step=9, done=True, by=None)
    other = Hall.objects.create(code="H2", name="另一个厅")
    with pytest.raises(NotFound):
        playbook_close(run_id=run.id, hall=other, by=None)
    playbook_close(run_id=run.id, hall=hall, by=None)
    with pytest.raises(Conflict):
        playbook_step(run_id=run.id, hall=hall, step=0, done=True, by=None)
