"""Waivers for portfolio findings: an entry whose ``proposal`` is ``portfolio:SUBJECT``
(the recipient, or for CA703-like rules the sponsor, that the finding is about)
accepts that rule's portfolio finding on that subject, with reason, approver and
expiry like any waiver.  Proposal ids are slugs, so ``portfolio:`` never names one.

    waivers:
      - {proposal: "portfolio:kyrgyzstan", rule: CA701, reason: "...", approved_by: Board, expires: 2014-06-30}
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from ..model.findings import Report, WaiverNotice
from ..output.portfolio import SUBJECT_PREFIX
from ..review.waivers import Waivers, _expired


def apply_portfolio_waivers(report: Report, waivers: Waivers, *, today: datetime.date | None = None,
                            rule_ids: Collection[str] | None = None) -> Report:
    """The portfolio findings waived, and a notice for each portfolio waiver that
    expired or matched nothing.  With ``rule_ids`` (the run's rules), a waiver for any
    other rule is left alone: ``apply_waivers`` has said that it can match nothing."""
    if report.portfolio is None:
        return report
    today = today or datetime.date.today()
    mine = [(w, _expired(w, today)) for w in waivers.entries if w.entry.proposal.startswith(SUBJECT_PREFIX)
            and (rule_ids is None or w.entry.rule in rule_ids)]
    live = {w.key: w for w, expired in mine if not expired}
    findings = []
    for f in report.portfolio.findings:
        w = live.get((SUBJECT_PREFIX + f.subject, f.rule_id))
        findings.append(f.model_copy(update={"waived": w.waiver()}) if w and f.waived is None else f)
    fired = {(SUBJECT_PREFIX + f.subject, f.rule_id) for f in report.portfolio.findings}
    notices = []
    for w, expired in mine:
        e = w.entry
        if expired:
            effect = "its finding counts again" if w.key in fired else "it matched no finding either"
            kind, message = "expired", (f"waiver for rule {e.rule} on '{e.proposal}' expired on {e.expires} and no "
                                        f"longer applies; {effect}")
        elif w.key not in fired:
            kind, message = "unmatched", (f"waiver for rule {e.rule} on '{e.proposal}' matched no portfolio "
                                          "finding; remove it if the finding is gone")
        else:
            continue
        notices.append(WaiverNotice(kind=kind, file=w.file, line=w.line, column=w.column, proposal=e.proposal,
                                    rule=e.rule, expires=e.expires, message=message))
    portfolio = report.portfolio.model_copy(update={"findings": findings})
    return report.model_copy(update={"portfolio": portfolio, "waiver_notices": report.waiver_notices + notices})
