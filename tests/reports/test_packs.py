"""Board packs: draft → submitted → approved → issued, who may do what, frozen once issued, and what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from oversight.plans.models import Action, RagRating
from oversight.reports import packs
from oversight.reports.builders import build
from oversight.reports.models import BoardPack, IssuedFile, IssuedPackError, PackEvent

FAST = ("html", "docx")  # every format is covered by the command's and the browser's tests


@pytest.fixture
def plan(plan_factory):
    return plan_factory("packs", 1)


def issued(plan, january, pm, formats=FAST) -> BoardPack:
    pack = packs.create_pack(plan, january, pm)
    packs.submit(pack, pm)
    packs.approve(pack, pm)
    return packs.issue(pack, pm, formats=formats)


def test_a_programme_manager_takes_a_pack_from_draft_to_issued_and_each_step_is_recorded(
        plan, january, priya_programme_manager):
    pm = priya_programme_manager
    pack = issued(plan, january, pm)
    assert pack.state == "issued" and pack.version == 1
    assert [e.action for e in pack.events.all()] == ["created", "submitted", "approved", "issued"]
    assert all(e.by == pm for e in pack.events.all())
    assert pack.submitted_by == pm and pack.approved_by == pm and pack.issued_by == pm and pack.issued_at


def test_versions_count_up_per_programme(plan, january, priya_programme_manager):
    first = packs.create_pack(plan, january, priya_programme_manager)
    second = packs.create_pack(plan, january, priya_programme_manager)
    assert (first.version, second.version) == (1, 2)


def test_a_request_for_changes_sends_the_pack_back_to_draft_with_its_comment(
        plan, january, priya_programme_manager):
    pack = packs.create_pack(plan, january, priya_programme_manager)
    packs.submit(pack, priya_programme_manager)
    packs.request_changes(pack, priya_programme_manager, "Add the workforce figures")
    assert pack.state == "draft" and pack.comment == "Add the workforce figures"
    assert pack.events.last().comment == "Add the workforce figures"


def test_a_pack_cannot_be_issued_before_it_is_approved(plan, january, priya_programme_manager):
    pack = packs.create_pack(plan, january, priya_programme_manager)
    with pytest.raises(packs.PackError):
        packs.issue(pack, priya_programme_manager)
    packs.submit(pack, priya_programme_manager)
    with pytest.raises(packs.PackError):
        packs.issue(pack, priya_programme_manager)


def test_a_board_member_cannot_start_submit_or_approve_a_pack(plan, january, priya_programme_manager,
                                                              bob_board_member):
    with pytest.raises(packs.PackError):
        packs.create_pack(plan, january, bob_board_member)
    pack = packs.create_pack(plan, january, priya_programme_manager)
    with pytest.raises(packs.PackError):
        packs.submit(pack, bob_board_member)
    packs.submit(pack, priya_programme_manager)
    with pytest.raises(packs.PackError):
        packs.approve(pack, bob_board_member)


def test_the_sro_approves_even_without_the_programme_manager_role(plan, january, priya_programme_manager,
                                                                  owen_action_owner):
    plan.sro.user = owen_action_owner
    plan.sro.save()
    pack = packs.create_pack(plan, january, priya_programme_manager)
    packs.submit(pack, priya_programme_manager)
    packs.approve(pack, owen_action_owner)
    assert pack.approved_by == owen_action_owner


def test_a_board_member_reads_issued_packs_only(plan, january, priya_programme_manager, bob_board_member):
    draft = packs.create_pack(plan, january, priya_programme_manager)
    assert not packs.can_read(bob_board_member, draft)
    done = issued(plan, january, priya_programme_manager)
    assert packs.can_read(bob_board_member, done)


def test_the_narrative_can_be_edited_only_while_the_pack_is_a_draft(plan, january, priya_programme_manager):
    pm = priya_programme_manager
    pack = packs.create_pack(plan, january, pm)
    packs.edit_narrative(pack, pm, meeting="Improvement Board", proposal="Note the progress.")
    report = build("committee", plan, january, pack=pack)
    assert report.meeting == "Improvement Board"
    assert report.sections[1].blocks[0].text == "1.1 Note the progress."
    packs.submit(pack, pm)
    with pytest.raises(packs.PackError):
        packs.edit_narrative(pack, pm, meeting="Cabinet")


def test_an_issued_pack_is_unchanged_after_a_risk_and_an_action_are_edited(plan, january,
                                                                          priya_programme_manager):
    pack = issued(plan, january, priya_programme_manager)
    before = {(f.name, f.format): hashlib.sha256(bytes(f.content)).hexdigest() for f in pack.files.all()}
    snapshot = json.dumps(pack.snapshot, sort_keys=True)
    assert all(f.sha256 == before[(f.name, f.format)] for f in pack.files.all())
    risk = plan.risks.get(ref="1")
    risk.probability, risk.impact = 5, 5
    risk.save()
    action = Action.objects.filter(recommendation__theme__programme=plan).last()
    action.title = "Something else entirely"
    action.status = "completed"
    action.save()
    fresh = BoardPack.objects.get(pk=pack.pk)
    assert json.dumps(fresh.snapshot, sort_keys=True) == snapshot
    assert {(f.name, f.format): hashlib.sha256(bytes(f.content)).hexdigest() for f in fresh.files.all()} == before
    assert "Something else entirely" not in bytes(fresh.files.get(name="tracker", format="html").content).decode()
    assert "Something else entirely" in packs.render(build("tracker", plan, january), "html").decode()


def test_an_issued_pack_and_its_files_refuse_to_change(plan, january, priya_programme_manager):
    pack = issued(plan, january, priya_programme_manager)
    pack.title = "Rewritten"
    with pytest.raises(IssuedPackError):
        pack.save()
    f = pack.files.first()
    f.content = b"tampered"
    with pytest.raises(IssuedPackError):
        f.save()
    with pytest.raises(IssuedPackError):
        BoardPack.objects.get(pk=pack.pk).delete()
    assert IssuedFile.objects.filter(pack=pack).count() == 5 * len(FAST)


def test_changed_since_lists_moved_actions_new_closed_and_rescored_risks(plan, january, priya_programme_manager):
    from oversight.risks.models import Risk

    pm = priya_programme_manager
    first = issued(plan, january, pm)
    action = Action.objects.filter(recommendation__theme__programme=plan, status="in_progress").first()
    action.status = "completed"
    action.completed_on = dt.date(2020, 1, 20)
    action.save()
    RagRating.objects.filter(action=action, year=2019, quarter=4).update(rag="red")
    r1 = plan.risks.get(ref="1")
    r1.probability, r1.impact = 4, 4
    r1.save()
    r1.assessments.all().delete()
    r2 = plan.risks.get(ref="2")
    r2.status, r2.closed_on = "closed", dt.date(2020, 1, 15)
    r2.save()
    Risk.objects.create(programme=plan, ref="9", kind="issue", description="A new issue", mitigation="",
                        raised_on=dt.date(2020, 1, 2), probability=2, impact=3)
    second = packs.create_pack(plan, january, pm)
    changes, since = packs.changes_since(second)
    assert since == f"Version {first.version}"
    texts = {(c.kind, c.ref): c.text for c in changes}
    assert texts[("action", action.ref)] == "Status: In progress → Completed; RAG: Green → Red"
    assert texts[("risk", "1")].startswith("Re-scored") and texts[("risk", "1")].endswith("→ 16")
    assert texts[("risk", "2")] == "Closed"
    assert texts[("risk", "9")].startswith("New risk, scored 6")
    highlight = build("highlight", plan, january)
    assert highlight.changes_since == f"Version {first.version}"
    assert any(s.title == f"Changed since Version {first.version}" for s in highlight.sections)


def test_the_first_pack_has_nothing_to_compare_with(plan, january, priya_programme_manager):
    pack = packs.create_pack(plan, january, priya_programme_manager)
    assert packs.changes_since(pack) == ([], "")
    assert PackEvent.objects.filter(pack=pack).count() == 1
