"""Read-only answers over the state and its entries, for people and for scripts.

Nothing here decides or changes anything: the boards (:mod:`.board`, :mod:`.readiness_board`,
:mod:`.status`), one firearm's record (:mod:`.firearm_record`) and traces (:mod:`.trace`,
:mod:`.trace_lines`) read a :class:`~showclear.core.state.ProductionState` and the entries it holds.
"""
