"""Completion records: the model, signing and verification, exports, xAPI, LRS push, report data.

Never imports textual or rich; the commands that render these live in `mentorquest.cli`.
Submodules are imported directly (`mentorquest.records.model`, `.signing`, ...) so that
the store can use the model without pulling in exports.
"""
