"""The counter's transactions on the city day (HAL-13, HAL-12, the 三强 ban of STF-06).

After the SEC-03 record of a transaction the clerk completes it through the API: shows the
key terms, has the customer sign, takes the money and prints the receipt or guides to the
e-invoice. Now and then the clerk forgets a key term (refused, then corrected), does not
call out the cash, adds an add-on the customer did not ask for; a customer comes for a
business the hall cannot handle, and the clerk coordinates with the duty manager first (or
not) and guides them to the nearest hall that can. Every draw is from this module's own
streams (``hall_business:{seed}:{ticket}``): the rest of the hall's day is unchanged.
"""

from __future__ import annotations

import base64
import io
import random
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw

from guifan.apps.hall.models import Hall
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner
from guifan.norms import NormSet

# Rates per transaction (HAL-13) and per served ticket (HAL-12).
TERMS_FORGOTTEN = 0.08  # one key term not shown: refused, then shown
UNSIGNED_FIRST = 0.03  # completed before the customer signed: refused, then signed
CASH_SHARE = 0.35  # pays in cash
CASH_NOT_CALLED_OUT = 0.12  # of cash payments: the amounts not said aloud
ADDON_SHARE = 0.12  # an add-on is offered
ADDON_FORCED = 0.15  # of add-ons: added without the customer's consent (三强)
E_INVOICE = 0.3  # the customer takes the e-invoice guidance instead of a paper receipt
OUT_OF_AUTHORITY = 0.05  # a customer asks for a business this hall cannot handle
NOT_COORDINATED = 0.2  # of those: the clerk guides them away without asking the manager
SENT_AWAY_CAPABLE = 0.01  # the clerk sends away a business the hall can handle
PRINTED = 5  # receipts rendered through the API (each PDF takes about a second to draw)
PRICES = {"宽带续费": 100, "补换卡": 10, "套餐变更": 0, "新装宽带": 200}
ADDONS = ("来电显示", "视频会员包", "流量加油包")
# Other halls of the city, for guiding customers (code, name, level, address, lat, lng).
HALLS = (
    ("CD-CX01", "春熙路旗舰营业厅", 1, "成都市锦江区春熙路北段 88 号", 30.6570, 104.0800),
    ("CD-ZX00", "天府广场中心营业厅", 0, "成都市青羊区人民南路一段 86 号", 30.6598, 104.0657),
    (
        "CD-GX02",
        "高新区政企客户中心营业厅",
        0,
        "成都市高新区天府大道中段 1268 号",
        30.5790,
        104.0660,
    ),
    ("CD-JN03", "锦江区标准营业厅", 2, "成都市锦江区东大街 168 号", 30.6520, 104.0900),
    ("CD-SQ04", "玉林社区营业厅", 3, "成都市武侯区玉林北路 12 号", 30.6330, 104.0560),
)


def _signature() -> str:
    """A customer's scribble, as the pad's PNG data URL."""
    image = Image.new("RGBA", (320, 120), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.line([(20, 80), (70, 30), (120, 90), (180, 35), (240, 85), (300, 40)], "#111827", 3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@dataclass(slots=True)
class CounterBusiness:
    runner: Runner
    hall: str
    seed: int = 0
    signature: str = field(default_factory=_signature)
    terms: list[str] = field(default_factory=list)
    capable: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    printed: int = 0

    def setup(self) -> None:
        """Addresses and places of the city's halls (the demo's hall exists already)."""
        for code, name, level, address, lat, lng in HALLS:
            Hall.objects.update_or_create(
                code=code,
                defaults={"address": address, "lat": lat, "lng": lng},
                create_defaults={
                    "name": name,
                    "level": level,
                    "address": address,
                    "lat": lat,
                    "lng": lng,
                },
            )
        norms = NormSet()
        self.terms = [str(t) for t in norms.param("HAL-13", "key_terms")]
        table = {int(k): list(v) for k, v in dict(norms.param("HAL-12", "capabilities")).items()}
        level = Hall.objects.get(code=self.hall).level
        self.capable = [str(b) for b in table.get(level, [])]
        every = {str(b) for names in table.values() for b in names}
        self.elsewhere = sorted(every - set(self.capable))

    def serve(self, api: Api, tid: int, record: dict[str, Any] | None) -> None:
        """After the SEC-03 record: a transaction completed, or an out-of-authority request."""
        rng = random.Random(f"hall_business:{self.seed}:{tid}")
        if self.elsewhere and rng.random() < OUT_OF_AUTHORITY:
            self._refer(api, tid, rng, rng.choice(self.elsewhere))
        elif self.capable and rng.random() < SENT_AWAY_CAPABLE:
            self._refer(api, tid, rng, rng.choice(self.capable))
        if record and record.get("kind") == "transaction":
            self._complete(api, tid, record, rng)

    def _complete(self, api: Api, tid: int, record: dict[str, Any], rng: random.Random) -> None:
        path = f"/halls/{self.hall}/tickets/{tid}/business/{record['id']}/complete"
        due = PRICES.get(record["business"], 50)
        body: dict[str, Any] = {
            "terms_shown": self.terms,
            "signature": self.signature,
            "receipt": "e_invoice" if rng.random() < E_INVOICE else "paper",
            "amount_due": due,
        }
        if due and rng.random() < CASH_SHARE:
            received = due + rng.choice((0, 0, 10, 50, 100))
            body |= {
                "cash_received": received,
                "cash_called_out": rng.random() >= CASH_NOT_CALLED_OUT,
            }
        if rng.random() < ADDON_SHARE:
            body["addons"] = [
                {"name": rng.choice(ADDONS), "consented": rng.random() >= ADDON_FORCED}
            ]
        first: dict[str, Any] | None = None
        if rng.random() < TERMS_FORGOTTEN:
            first = {**body, "terms_shown": [t for t in self.terms if t != rng.choice(self.terms)]}
        elif rng.random() < UNSIGNED_FIRST:
            first = {**body, "signature": ""}
        if first is not None:  # refused (HAL-13), then done right
            self.runner.call(lambda: api.post(path, first), "transaction")
        done = self.runner.call(lambda: api.post(path, body), "transaction")
        if done and body["receipt"] == "paper" and self.printed < PRINTED:  # a few, as a check
            printed = api.client.get(
                done["receipt_url"], headers={"X-Request-ID": f"demo-receipt-{tid}"}
            )
            self.printed += printed.status_code == 200

    def _refer(self, api: Api, tid: int, rng: random.Random, business: str) -> None:
        """Coordinate with the duty manager (mostly), then guide to the nearest capable hall."""
        base = f"/halls/{self.hall}/tickets/{tid}/referrals"
        coordinated = business in self.elsewhere and rng.random() >= NOT_COORDINATED
        if coordinated:
            self.runner.call(
                lambda: api.post(f"{base}/coordinate", {"business": business}), "coordinate"
            )
        self.runner.call(lambda: api.post(f"{base}/guide", {"business": business}), "guide")


def transactions_report() -> dict[str, int]:
    """The hall's transactions from the records (report.json ``hall.transactions``)."""
    from guifan.apps.hall.models import CounterTransaction, ReceiptKind, Referral
    from guifan.apps.norms.models import NormCheck

    done = CounterTransaction.objects.all()
    referrals = Referral.objects.filter(guided_at__isnull=False)
    return {
        "count": done.count(),
        "receipts": done.filter(receipt=ReceiptKind.PAPER).count(),
        "signatures": done.exclude(signature_digest="").count(),
        "refused_hal13": NormCheck.objects.filter(
            norm_id="HAL-13", kept=False, detail__has_key="refusal"
        ).count(),
        "out_of_authority": referrals.count(),
        "guided_with_coordination": referrals.filter(coordinated_at__isnull=False).count(),
    }
