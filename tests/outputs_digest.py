"""Every output format of a few hundred varied plans, as one digest.

Run by tests/test_properties.py in two processes with different
PYTHONHASHSEED values (``python -m tests.outputs_digest [COUNT]``): any output that depends on set or dict-of-set
iteration order (string hashing is salted per process) changes the digest.
"""

import hashlib
import random
import sys
from datetime import UTC, date, datetime, timedelta

from msmonitor import checklists
from msmonitor.model import PlanOptions
from msmonitor.protocol import load_protocol
from msmonitor.render.checklist import render_checklist_html, render_checklist_markdown
from msmonitor.render.ics import IcsOptions, render_ics
from msmonitor.render.markdown import render_markdown
from msmonitor.render.plan_data import render_csv, render_json
from msmonitor.render.table import render_table
from msmonitor.schedule import PlanRequest, compute_plan

STAMP = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def plans(count: int):
    rng = random.Random(20261121)
    protocols = [load_protocol("us"), load_protocol("eu")]
    for n in range(count):
        course1 = date(1995, 1, 1) + timedelta(days=rng.randrange(40000))
        course2 = course1 + timedelta(days=rng.randrange(300, 800)) if rng.random() < 0.5 else None
        later = (course2 + timedelta(days=400),) if course2 and rng.random() < 0.3 else ()
        options = PlanOptions(
            sex=rng.choice([None, "female", "male"]),
            include_unverified=rng.random() < 0.3,
            patient=f"p{n}" if rng.random() < 0.5 else None,
        )
        request = PlanRequest(
            course1=course1,
            course2=course2,
            later=later,
            single_course=not course2 and rng.random() < 0.2,
            options=options,
        )
        today = course1 + timedelta(days=rng.randrange(-100, 2500))
        yield compute_plan(rng.choice(protocols), request), today


def outputs(count: int):
    for i, (plan, today) in enumerate(plans(count)):
        yield render_json(plan, today)
        yield render_csv(plan, today)
        yield render_markdown(plan, today)
        yield render_table(plan, today, width=80)
        after = [e.date for e in plan.events if e.date >= plan.courses[0].first]
        visit = after[i % len(after)]
        docs = [checklists.pre_treatment_checklist(plan), checklists.course_checklist(plan, 1)]
        docs += [checklists.symptom_card(plan), checklists.visit_checklist(plan, visit, today)]
        for doc in docs:
            yield render_checklist_markdown(doc)
            yield render_checklist_html(doc)
        if i % 20 == 0:  # the calendar export is the slow one
            yield render_ics(plan, stamp=STAMP, options=IcsOptions(salt=f"{i:032x}")).data.decode()


if __name__ == "__main__":
    digest = hashlib.sha256()
    for text in outputs(int(sys.argv[1]) if len(sys.argv) > 1 else 100):
        digest.update(text.encode())
    print(digest.hexdigest())
