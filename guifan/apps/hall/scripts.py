"""The hall's three voices (LNG-06): what the counter says when a customer comes and goes.

Data in the shape of the compliance catalog's scripts, served by the same ScriptBook.
"""

from __future__ import annotations

from functools import cache

from guifan.compliance.scripts import ScriptBook, scriptbook_from_dict

SOURCES = ["004_7491b580e1c67f41.txt", "000_505cfddd0bab7e07.txt"]
HALL_SCRIPTS = {
    "scripts": {
        "norm": "LNG-06",
        "moments": {
            "hall_greet": {
                "channel": "counter",
                "lines": ["{name，}您好，请坐！", "请问您需要办理什么业务？"],
                "sources": SOURCES,
            },
            "hall_answer": {
                "channel": "counter",
                "lines": ["请您稍等，我马上为您办理。", "请问您还有什么不清楚的地方吗？"],
                "sources": SOURCES,
            },
            "hall_farewell": {
                "channel": "counter",
                "lines": ["您的业务已经办好了，请问还有什么可以帮您？", "谢谢您，请慢走，再见！"],
                "sources": SOURCES,
            },
        },
        "defaults": {},
    }
}

# The spoken call on the calling screen: always Chinese, it is for the customers in the hall.
CALL_TEMPLATE = "请{ticket}号到{counter}号窗口办理"


@cache
def hall_scriptbook() -> ScriptBook:
    return scriptbook_from_dict(HALL_SCRIPTS)


def call_announcement(*, ticket_code: str, counter_number: int) -> str:
    return CALL_TEMPLATE.format(ticket=ticket_code, counter=counter_number)
