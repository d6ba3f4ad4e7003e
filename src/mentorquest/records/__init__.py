"""Completion records: building, signing and verifying them; exports, xAPI, the LRS push, the report.

The record's format is declared below the store, in `mentorquest.engine.record`. Never
imports textual or rich; the commands that render these live in `mentorquest.cli`.
"""
