"""Property-based fuzzing of the checker (hypothesis).

Generates valid proposals from the format's vocabularies, near-valid ones (one field
removed, misspelt, of the wrong type, or one unknown field added), and random line
and character mutations of the bundled examples, and asserts that

* no exception escapes the Python API or the CLI, and the exit status is 0, 1 or 2;
* checking the same input twice gives identical output (the engine keeps no state
  between checks);
* findings do not depend on the order of components or of list entries where the
  format gives order no meaning (recipients, countries, forces, purposes, threats,
  sponsors...): compared as multisets of (rule id, severity) and as sets of messages
  with every echoed list sorted.

Kept to a few hundred examples (well under a minute on two cores); the random seed
is fixed (``derandomize``) so that a failure reproduces, and no example database is
written.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ca_advisor.api import check_mapping, check_text, get_checker
from ca_advisor.cli import main
from ca_advisor.model import vocabulary as v
from ca_advisor.reading.builtin import examples_dir

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXAMPLES = sorted(examples_dir().glob("*.yaml"))
OTHER_STATES = ("russia", "china", "afghanistan", "united-states", "germany", "turkey", "iran", "pakistan")
DONORS = ("united-states", "united-kingdom", "germany", "france", "nato", "eu", "osce", "japan")

# Lists whose order the format gives no meaning; permuting them must not change findings.
UNORDERED_TOP = ("sponsors", "partners", "recipients", "other_actors_considered", "consulted")
UNORDERED_COMPONENT = ("countries", "forces", "purposes", "participants", "transit_through")


def unique(values, *, min_size=0, max_size=4):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True)


def slugs(prefix: str):
    return st.integers(0, 999).map(lambda n: f"{prefix}-{n}")


@st.composite
def equipment_items(draw):
    item = {"item": draw(st.sampled_from(["Trucks", "Night-vision goggles", "Radios", "UAVs", "Body armour"])),
            "capability": draw(st.sampled_from(v.CAPABILITIES)),
            "quantity": draw(st.integers(1, 200))}
    if draw(st.booleans()):
        item["source"] = draw(st.sampled_from(v.EQUIPMENT_SOURCES))
    return item


@st.composite
def components(draw, recipients: list[str], index: int):
    c = {"id": f"part-{index}", "kind": draw(st.sampled_from(v.COMPONENT_KINDS))}
    optional = {
        "countries": unique(recipients, min_size=1, max_size=len(recipients)),
        "forces": unique(v.FORCES, min_size=1),
        "purposes": unique(v.PURPOSES, min_size=1),
        "deployment": st.sampled_from(("afghanistan", "mali", "kosovo")),
        "equipment": st.lists(equipment_items(), min_size=1, max_size=3),
        "needs_assessment": st.sampled_from(v.NEEDS_ASSESSMENTS),
        "end_use_monitoring": st.booleans(),
        "location": st.fixed_dictionaries({"country": st.sampled_from(v.CENTRAL_ASIAN_STATES + OTHER_STATES)},
                                          optional={"area": st.sampled_from(("fergana-valley", "termez"))}),
        "participants": unique(OTHER_STATES + v.CENTRAL_ASIAN_STATES, min_size=1),
        "transit_through": unique(v.CENTRAL_ASIAN_STATES + OTHER_STATES, min_size=1),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            c[key] = draw(strategy)
    return c


@st.composite
def proposals(draw):
    """A valid proposal in format v1, drawing every optional field or not."""
    recipients = draw(unique(v.CENTRAL_ASIAN_STATES + ("afghanistan",), min_size=1, max_size=5))
    p = {"format": v.FORMAT_V1, "id": draw(slugs("fuzz")), "title": "A generated package",
         "sponsors": draw(unique(DONORS, min_size=1, max_size=3)), "channel": draw(st.sampled_from(v.CHANNELS)),
         "recipients": recipients}
    optional = {
        "date": st.dates(min_value=__import__("datetime").date(1995, 1, 1),
                         max_value=__import__("datetime").date(2020, 12, 31)),
        "partners": unique(DONORS + ("csto", "sco"), min_size=1),
        "justification": st.fixed_dictionaries({}, optional={
            "threats": unique(v.THREATS, min_size=1), "threat_assessment": st.sampled_from(v.THREAT_ASSESSMENTS)}),
        "other_actors_considered": unique(OTHER_STATES, min_size=1),
        "consulted": unique(OTHER_STATES + v.CENTRAL_ASIAN_STATES, min_size=1),
        "duration_years": st.one_of(st.integers(1, 10), st.sampled_from([0.5, 1.5, 2.25])),
        "targets": st.lists(st.fixed_dictionaries({"measure": st.just("Patrols per month"),
                                                   "agreed_with_recipient": st.booleans()}), min_size=1,
                            max_size=2),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            p[key] = draw(strategy)
    count = draw(st.integers(1, 4))
    p["components"] = [draw(components(recipients, i)) for i in range(count)]
    return p


@st.composite
def near_valid(draw):
    """A valid proposal with one thing wrong: a field removed, added, misspelt or of
    the wrong type, anywhere in the tree."""
    p = draw(proposals())
    target, key = draw(_somewhere(p))
    action = draw(st.sampled_from(["delete", "unknown", "misspell", "retype"]))
    if action == "delete" and isinstance(target, dict):
        target.pop(key, None)
    elif action == "unknown" and isinstance(target, dict):
        target[f"{key}_extra"] = "x"
    elif action == "misspell" and isinstance(target[key], str):
        target[key] = target[key][:-1] or "x"
    else:
        target[key] = draw(st.sampled_from([None, "text", 7, 2.5, True, [], {}, ["a"], {"a": 1}]))
    return p


@st.composite
def _somewhere(draw, p):
    """A (container, key) pair somewhere inside ``p``."""
    spots = []

    def walk(node):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, child in items:
            spots.append((node, k))
            if isinstance(child, (dict, list)) and child:
                walk(child)

    walk(p)
    return draw(st.sampled_from(spots))


def _example_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in EXAMPLES]


@st.composite
def mutated_examples(draw):
    """A bundled example with random line and character edits: YAML that may or may
    not parse, validate or make sense."""
    lines = draw(st.sampled_from(_example_texts())).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "duplicate", "swap", "indent", "dedent", "insert", "truncate"]))
        if edit == "drop":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "indent":
            lines[i] = "  " + lines[i]
        elif edit == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        elif edit == "insert":
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.text(alphabet=":-[]{}&*!|>'\"#%@`, \t\n0aZé\x00\x07", max_size=4))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "".join(lines)


def _dump(p: dict) -> str:
    return yaml.safe_dump(p, sort_keys=False, allow_unicode=True)


# --- properties ---------------------------------------------------------------------

def assert_well_behaved(report) -> None:
    assert report.exit_code("warning") in (0, 1, 2)
    assert report.exit_code("never") in (0, 2)
    if report.errors:
        assert report.exit_code("warning") == 2
        assert all(e.message for e in report.errors)


@SETTINGS
@given(proposals())
def test_valid_proposals_are_checked_the_same_twice(p):
    first, second = check_mapping(copy.deepcopy(p)), check_mapping(copy.deepcopy(p))
    assert first.errors == [], [e.render() for e in first.errors]
    assert first.model_dump_json() == second.model_dump_json()
    assert_well_behaved(first)
    text_report = check_text(_dump(p))
    assert _findings(text_report) == _findings(first)


@SETTINGS
@given(near_valid())
def test_near_valid_proposals_never_raise(p):
    report = check_mapping(p)
    assert_well_behaved(report)
    again = check_text(_dump(p))
    assert_well_behaved(again)
    assert check_text(_dump(p)).model_dump_json() == again.model_dump_json()


@SETTINGS
@given(mutated_examples())
def test_mutated_examples_never_raise_and_repeat_exactly(text):
    first = check_text(text, file="mutated.yaml")
    assert_well_behaved(first)
    assert check_text(text, file="mutated.yaml").model_dump_json() == first.model_dump_json()


def _shuffled(p: dict, rnd) -> dict:
    """``p`` with its components and every unordered list in a random order."""
    shuffled = copy.deepcopy(p)
    rnd.shuffle(shuffled["components"])
    for key in UNORDERED_TOP:
        if key in shuffled:
            rnd.shuffle(shuffled[key])
    if "threats" in shuffled.get("justification", {}):
        rnd.shuffle(shuffled["justification"]["threats"])
    for c in shuffled["components"]:
        for key in UNORDERED_COMPONENT:
            if key in c:
                rnd.shuffle(c[key])
    return shuffled


@SETTINGS
@given(proposals(), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_list_order(p, rnd):
    a, b = check_mapping(p), check_mapping(_shuffled(p, rnd))
    assert a.errors == b.errors == []
    assert _findings(a) == _findings(b)
    assert _messages(a) == _messages(b)


@SETTINGS
@given(proposals(), st.randoms(use_true_random=False))
def test_messages_do_not_echo_list_order(p, rnd):
    """Stricter than the test above: no list sorting in the comparison, because facts
    hold unordered lists sorted (facts.py), so messages never echo the proposal's order."""
    raw = lambda report: Counter(_INDEX.sub("[*]", f.message)  # noqa: E731
                                 for r in report.results for f in r.findings + r.strengths)
    assert raw(check_mapping(p)) == raw(check_mapping(_shuffled(p, rnd)))


def test_the_cli_never_raises_on_mutated_examples(tmp_path):
    """The CLI end to end, on a fixed sample (a CLI run costs more than an API call)."""
    import random
    rnd = random.Random(20131001)
    texts = _example_texts()
    for n in range(30):
        lines = rnd.choice(texts).splitlines(keepends=True)
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(len(lines))
            lines[i] = rnd.choice(["", "  " + lines[i], lines[i][: len(lines[i]) // 2], lines[i] * 2, "\t- x\n"])
        (tmp_path / f"m{n:02}.yaml").write_text("".join(lines), encoding="utf-8")
    get_checker()  # compile once, outside the loop
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", fmt])
        assert result.exit_code in (0, 1, 2)
        if fmt == "json":
            doc = __import__("json").loads(result.stdout)
            # A mutation that drops the format: line makes the file no proposal: skipped, and counted.
            assert len(doc["results"]) + len({e["file"] for e in doc["errors"]}) + len(doc["run"]["skipped"]) == 30
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output


# --- comparison helpers ---------------------------------------------------------------

def _findings(report) -> Counter:
    return Counter((f.rule_id, f.severity) for r in report.results for f in r.findings + r.strengths)


_LIST = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(?:, [A-Za-z0-9][A-Za-z0-9-]*)+")


_INDEX = re.compile(r"\[\d+\]")


def _messages(report) -> Counter:
    """Messages with every echoed comma-separated list sorted and list positions
    ("components[1]", which move when components are reordered) blanked."""
    return Counter(_INDEX.sub("[*]", _LIST.sub(lambda m: ", ".join(sorted(m.group(0).split(", "))), f.message))
                   for r in report.results for f in r.findings + r.strengths)


def test_the_examples_exist():
    assert len(EXAMPLES) >= 1 and all(Path(p).is_file() for p in EXAMPLES)
