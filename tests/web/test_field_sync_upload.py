"""The offline sync endpoint with pictures: multipart, the actions as JSON in one field."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from guifan.apps.fieldwork.models import VisitPhoto
from guifan.clock import at_local
from tests.apps.fieldwork.visits import MON, field_user, field_visit, on_site

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#0b5cad").save(out, format="JPEG")
    return out.getvalue()


def client_for(user) -> Client:
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    return c


def test_a_queued_photo_uploads_as_a_part_at_its_tap_time(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    clock.set(at_local(MON, "10:30"))
    tapped = at_local(MON, "10:20")
    actions = [
        {
            "key": "p-1",
            "kind": "photo",
            "order": order.id,
            "version": order.version,
            "at": tapped.isoformat(),
            "file": "f1",
        },
        {
            "key": "p-2",
            "kind": "photo",
            "order": order.id,
            "version": order.version,
            "at": tapped.isoformat(),
            "file": "f2",
        },
    ]
    r = client_for(user).post(
        reverse("field:sync"),
        {
            "actions": json.dumps(actions),
            "f1": SimpleUploadedFile("f1", jpeg(), content_type="application/octet-stream"),
            "f2": SimpleUploadedFile("f2", b"GIF89a not a picture", content_type="image/png"),
        },
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["ok", "error"]
    assert results[1]["field"] == "photo"
    photo = VisitPhoto.objects.get(order=order)
    assert (photo.at, photo.content_type, photo.size) == (tapped, "image/jpeg", len(jpeg()))


def test_a_multipart_batch_that_is_not_json_is_a_400(clock):
    user = field_user()
    r = client_for(user).post(reverse("field:sync"), {"actions": "{not json"})
    assert r.status_code == 400


def test_the_service_worker_loads_the_shared_queue(clock):
    user = field_user()
    body = client_for(user).get(reverse("field:sw")).content.decode()
    assert 'importScripts("/static/web/field/queue.js")' in body
