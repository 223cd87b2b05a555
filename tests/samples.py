"""Sample files shared by several test modules."""

ARMOUR_RULE = """\
id: MY101
name: transfer-of-armour
severity: warning
title: Armour in a transfer
for_each: equipment
when:
  - capability: armour
message: Component '{component.id}' transfers {quantity} armoured vehicles.
reasoning: Armour may alter the military balance.
evidence:
  - quote: avoid agreeing equipment transfers that in any way either alter the military balance
    section: "5"
recommendation: Leave the armour out.
"""
